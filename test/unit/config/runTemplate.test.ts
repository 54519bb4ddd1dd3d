// Run templates: derived from a run's record and trainer config, filled back into a run config that trains exactly
// the same, and checked like any run config (variables declared, used and filled).
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { resolveConfig } from '../../../src/core/config/resolveConfig';
import { templateFromRun, templateFileStem, type RunForTemplate } from '../../../src/core/config/templateFromRun';
import { fileVariables, fillTemplate, parseAssignments, templateFormStart } from '../../../src/core/config/fillTemplate';
import type { RunConfigFile } from '../../../src/contracts/runConfigFile';

const project = '/home/ana/project';
const place = { configDir: `${project}/configs`, templateDir: `${project}/configs`, projectDir: project };

function parsed(raw: unknown): RunConfigFile {
  const result = validateRunConfig(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const original = parsed({
  name: 'tickets',
  datasets: { train: '../data/train.jsonl', validation: '../data/val.jsonl' },
  baseModel: '../models/smol',
  method: 'sft',
  preset: 'aggressive',
  hyperparameters: { learningRate: 0.0003, maxSteps: 40, targetModules: ['q_proj', 'v_proj'] },
  packing: true,
  maxSeqLen: 512,
  overlength: 'drop',
  checkpointEvery: 5,
  keepCheckpoints: 3,
  evalEvery: 10,
  logEvery: 2,
  precision: 'fp32',
  gradientCheckpointing: true,
  host: 'gpu-box',
  gpus: 2,
  pricePerGpuHour: 1.8,
  budgetUsd: 20,
  seed: 7,
  gates: { minTokenF1: 0.5, maxRetentionIncreasePct: null },
  recovery: { enabled: false, maxAttempts: 2 },
  project: 'support',
  tracking: { tensorboard: true, wandb: { project: 'tickets' }, mlflow: { trackingUri: 'http://127.0.0.1:5000' } },
});

function runOf(config: RunConfigFile, overrides: Partial<RunForTemplate> = {}): RunForTemplate {
  const trainer = resolveConfig(config, {
    runId: '20261203-101500-abc123',
    trainPathOnHost: '/srv/work/datasets/1f2e.jsonl',
    validationPathOnHost: config.datasets.validation ? '/srv/work/datasets/9a8b.jsonl' : null,
    baseModelOnHost: '/home/ana/project/models/smol',
  });
  return {
    id: trainer.run_id,
    name: config.name ?? null,
    project: config.project ?? null,
    preset: config.preset,
    baseModel: config.baseModel,
    host: config.host,
    pricePerGpuHour: config.pricePerGpuHour ?? null,
    budgetUsd: config.budgetUsd ?? null,
    recovery: config.recovery,
    trainer,
    ...overrides,
  };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('templateFromRun', () => {
  it('holds the run settings with the datasets as variables, and a filled copy trains exactly like the run', () => {
    const template = templateFromRun(runOf(original), place, { name: 'Tickets LoRA', description: 'support tickets to JSON' });
    expect(template.template).toEqual({
      name: 'Tickets LoRA',
      description: 'support tickets to JSON',
      fromRun: '20261203-101500-abc123',
      variables: {
        train: { description: expect.stringContaining('Training data') },
        validation: { description: expect.stringContaining('Validation data') },
      },
    });
    expect(template.datasets).toEqual({ train: '${train}', validation: '${validation}' });
    expect(template.baseModel).toBe('../models/smol');
    expect(template).toMatchObject({
      host: 'gpu-box',
      gpus: 2,
      pricePerGpuHour: 1.8,
      budgetUsd: 20,
      recovery: { enabled: false, maxAttempts: 2 },
      project: 'support',
    });
    // The template is itself a valid run config file (the schema the editor checks it with).
    expect(validateRunConfig(template).ok).toBe(true);

    const filled = fillTemplate(template, { train: '../data/train.jsonl', validation: '../data/val.jsonl' });
    if (!filled.ok) throw new Error(filled.error);
    expect(filled.raw.template).toBeUndefined();
    const paths = { runId: 'x', trainPathOnHost: 't', validationPathOnHost: 'v', baseModelOnHost: 'm' };
    expect(resolveConfig(filled.config, paths)).toEqual(resolveConfig(original, paths));
  });

  it('writes every hyper-parameter as the trainer got it, so a changed preset cannot change the template', () => {
    const template = templateFromRun(
      runOf(parsed({ datasets: { train: 't.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', preset: 'conservative' })),
      place,
      {
        name: 'c',
      },
    );
    const run = runOf(parsed({ datasets: { train: 't.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', preset: 'conservative' }));
    expect(template.hyperparameters).toEqual({
      loraR: run.trainer.lora.r,
      loraAlpha: run.trainer.lora.alpha,
      loraDropout: run.trainer.lora.dropout,
      learningRate: run.trainer.learning_rate,
      epochs: run.trainer.epochs,
      batchSize: run.trainer.batch_size,
      gradAccum: run.trainer.grad_accum,
      lrScheduler: run.trainer.lr_scheduler,
      warmupRatio: run.trainer.warmup_ratio,
      weightDecay: run.trainer.weight_decay,
      maxGradNorm: run.trainer.max_grad_norm,
    });
    // Without a validation file the run held out a share: no validation variable, the split kept.
    expect(template.datasets).toEqual({ train: '${train}' });
    expect(template.validationSplit).toBe(0.05);
    expect(Object.keys((template.template as { variables: object }).variables)).toEqual(['train']);
    // Without a description of its own, the template says where it comes from.
    expect((template.template as { description: string }).description).toBe('The settings of run "20261203-101500-abc123".');
    const described = templateFromRun({ ...run, name: 'tickets', evalLoss: 0.91234 }, place, { name: 'c' });
    expect((described.template as { description: string }).description).toBe('The settings of run "tickets", final eval loss 0.912.');
    expect(template.baseModel).toBe('Qwen/Qwen2.5-0.5B-Instruct');
  });

  it('holds no absolute path of the machine that ran it: a model folder outside the project becomes a variable', () => {
    const outside = runOf(original, { baseModel: '/opt/models/llama-3-8b' });
    const template = templateFromRun(outside, place, { name: 'x' });
    expect(template.baseModel).toBe('${baseModel}');
    expect((template.template as { variables: Record<string, { description: string }> }).variables.baseModel.description).toContain('"llama-3-8b"');
    for (const text of strings(template)) expect(text).not.toMatch(/^(\/|[A-Za-z]:\\)|\/home\/|\/srv\//);
    // So does an MLflow store in a folder of that machine.
    const fileStore = runOf(parsed({ ...original, tracking: { mlflow: { trackingUri: 'file:///home/ana/mlruns' } } }));
    const withStore = templateFromRun(fileStore, place, { name: 'x' });
    expect(withStore.tracking).toEqual({ mlflow: { trackingUri: '${mlflowTrackingUri}', experiment: 'brightrun' } });
    expect(validateRunConfig(withStore).ok).toBe(true);
    expect(validateRunConfig(template).ok).toBe(true);
    // A run config elsewhere in the project: the model path is rewritten relative to the template's own folder.
    const atRoot = templateFromRun(runOf(original), { ...place, templateDir: project }, { name: 'x' });
    expect(atRoot.baseModel).toBe('./models/smol');
    // ~/ paths and Hub ids are the same on any machine.
    expect(templateFromRun(runOf(original, { baseModel: '~/models/smol' }), place, { name: 'x' }).baseModel).toBe('~/models/smol');
  });

  it('names the file after the template', () => {
    expect(templateFileStem('Tickets v2 (final)')).toBe('tickets-v2-final');
    expect(templateFileStem('!!!')).toBe('run-template');
  });
});

describe('fillTemplate', () => {
  const template = {
    template: {
      name: 'tickets',
      variables: { train: { description: 'Training data' }, validation: { description: 'Validation data' }, model: { default: 'Qwen/Qwen2.5-0.5B-Instruct' } },
    },
    name: 'tickets on ${train}',
    datasets: { train: '${train}', validation: '${validation}' },
    baseModel: '${model}',
  };

  it('refuses a template with unfilled variables, listing each with its description', () => {
    const result = fillTemplate(template, { train: 'a.jsonl' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing).toEqual(['validation']);
    expect(result.error).toContain('validation: Validation data');
  });

  it('refuses a value for a variable the template does not have', () => {
    const result = fillTemplate(template, { train: 'a.jsonl', validation: 'b.jsonl', trian: 'c.jsonl' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.unknown).toEqual(['trian']);
    expect(result.error).toContain('trian: not a variable of template "tickets" (it has train, validation, model)');
  });

  it('fills values and defaults everywhere they are used, and checks the result as a run config', () => {
    const result = fillTemplate(template, { train: 'a.jsonl', validation: 'b.jsonl' });
    if (!result.ok) throw new Error(result.error);
    expect(result.raw).toEqual({ name: 'tickets on a.jsonl', datasets: { train: 'a.jsonl', validation: 'b.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct' });
    const bad = fillTemplate(template, { train: 'a.jsonl', validation: 'a.jsonl' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.path)).toEqual(['$.datasets.validation']);
    const badModel = fillTemplate(template, { train: 'a.jsonl', validation: 'b.jsonl', model: 'not a model!' });
    expect(badModel.ok).toBe(false);
    if (badModel.ok) return;
    expect(badModel.problems.map((p) => p.path)).toEqual(['$.baseModel']);
  });

  it('says a plain run config is not a template', () => {
    expect(fillTemplate({ datasets: { train: 'a' }, baseModel: 'x' }, {})).toMatchObject({ ok: false, error: expect.stringContaining('not a template') });
  });

  it('parses --set operands', () => {
    expect(parseAssignments(['train=data/a=b.jsonl', 'validation='])).toEqual({ values: { train: 'data/a=b.jsonl', validation: '' }, problems: [] });
    expect(parseAssignments(['train', '9x=1', 'a=1', 'a=2']).problems).toEqual([
      "'train' is not NAME=VALUE (e.g. train=data/train.jsonl)",
      "'9x=1' is not NAME=VALUE (e.g. train=data/train.jsonl)",
      'a is set twice',
    ]);
  });

  it('knows which variables stand for files', () => {
    expect(Object.fromEntries(fileVariables(template))).toEqual({ train: 'dataset', validation: 'dataset', model: 'model' });
  });

  it('gives the launch form the settings it can fill and the fields left for the user', () => {
    expect(templateFormStart(template)).toEqual({
      config: { datasets: {}, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct' },
      unfilled: ['name', 'datasets.train', 'datasets.validation'],
    });
  });
});

describe('template validation', () => {
  it('reports variables used but not declared, declared but not used, and variables in a plain run config', () => {
    const result = validateRunConfig({
      template: { name: 't', variables: { train: {}, spare: {} } },
      datasets: { train: '${train}', validation: '${val}' },
      baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: '$.datasets.validation', message: '${val} is not declared: add "val" to template.variables' },
      { path: '$.template.variables.spare', message: 'variable "spare" is not used anywhere in the file: remove it, or use ${spare}' },
    ]);
    const plain = validateRunConfig({ datasets: { train: '${train}' }, baseModel: '${model}' });
    expect(plain.ok).toBe(false);
    if (plain.ok) return;
    expect(plain.problems.map((p) => p.path)).toEqual(['$.datasets.train', '$.baseModel']);
    expect(plain.problems[0].message).toContain('has no "template" block');
  });
});
