import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunConfigText, validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { userSchemas } from '../../../src/contracts/schemas';
import { HYPERPARAMETER_HELP, PRESETS, PRESET_NAMES, applyPreset } from '../../../src/contracts/presets';
import { localPaths, resolveConfig } from '../../../src/core/config/resolveConfig';
import { TrainerConfig } from '../../../src/contracts/trainerConfig';

const minimal = { datasets: { train: 'data/train.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct' };

describe('run config validation', () => {
  it('accepts a minimal config and fills the defaults', () => {
    const result = validateRunConfig(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.preset).toBe('balanced');
    expect(result.config.host).toBe('local');
    expect(result.config.gpus).toBe(1);
    expect(result.config.maxSeqLen).toBe(2048);
  });

  it('reports every problem at once, each with its JSON path', () => {
    const result = validateRunConfig({
      datasets: { validation: 'v.jsonl' },
      preset: 'turbo',
      hyperparameters: { learningRate: -1, targetModules: ['q_proj', ''], lerningRate: 1 },
      gpus: 0,
      colour: 'blue',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => p.path).sort();
    expect(paths).toEqual(
      [
        '$.baseModel',
        '$.colour',
        '$.datasets.train',
        '$.gpus',
        '$.hyperparameters.learningRate',
        '$.hyperparameters.lerningRate',
        '$.hyperparameters.targetModules[1]',
        '$.preset',
      ].sort(),
    );
    expect(result.problems.find((p) => p.path === '$.colour')?.message).toMatch(/unknown setting 'colour'/);
    expect(result.problems.find((p) => p.path === '$.baseModel')?.message).toMatch(/missing/);
  });

  it('rejects a validation file that is the training file', () => {
    const result = validateRunConfig({ ...minimal, datasets: { train: 'a.jsonl', validation: 'a.jsonl' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0].path).toBe('$.datasets.validation');
  });

  it('locates a JSON syntax error by line and column', () => {
    const result = parseRunConfigText('{\n  "baseModel": "x",\n  oops\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0].message).toMatch(/line 3, column 3/);
  });
});

describe('presets', () => {
  it('every preset fixes every hyper-parameter, and every hyper-parameter has a one-line explanation', () => {
    const names = Object.keys(HYPERPARAMETER_HELP).sort();
    for (const preset of PRESET_NAMES) expect(Object.keys(PRESETS[preset].values).sort()).toEqual(names);
    for (const text of Object.values(HYPERPARAMETER_HELP)) expect(text).not.toContain('\n');
  });

  it('grow in strength from conservative to aggressive', () => {
    const [c, b, a] = PRESET_NAMES.map((p) => PRESETS[p].values);
    expect(c.loraR).toBeLessThan(b.loraR);
    expect(b.loraR).toBeLessThan(a.loraR);
    expect(c.learningRate).toBeLessThan(a.learningRate);
  });

  it('overrides replace single values and leave the rest', () => {
    const values = applyPreset('conservative', { learningRate: 5e-5 });
    expect(values.learningRate).toBe(5e-5);
    expect(values.loraR).toBe(PRESETS.conservative.values.loraR);
  });
});

describe('resolveConfig', () => {
  it('expands the preset, applies overrides and points at the host paths', () => {
    const parsed = validateRunConfig({
      ...minimal,
      preset: 'aggressive',
      hyperparameters: { loraR: 4, maxSteps: 7, targetModules: ['q_proj'] },
      checkpointEvery: 3,
      gpus: 2,
    });
    if (!parsed.ok) throw new Error('fixture invalid');
    const resolved = resolveConfig(parsed.config, {
      runId: '20260101-000000-abcdef',
      trainPathOnHost: '/data/train.jsonl',
      validationPathOnHost: null,
    });
    expect(TrainerConfig.safeParse(resolved).success).toBe(true);
    expect(resolved.lora).toEqual({ r: 4, alpha: PRESETS.aggressive.values.loraAlpha, dropout: 0.1, target_modules: ['q_proj'] });
    expect(resolved.max_steps).toBe(7);
    expect(resolved.save_every).toBe(3);
    expect(resolved.num_gpus).toBe(2);
    expect(resolved.validation_split).toBe(0.05);
    expect(resolved.train_file).toBe('/data/train.jsonl');
  });

  it('disables the held-out split when a validation file is given', () => {
    const parsed = validateRunConfig({ ...minimal, datasets: { train: 't.jsonl', validation: 'v.jsonl' } });
    if (!parsed.ok) throw new Error('fixture invalid');
    const resolved = resolveConfig(parsed.config, { runId: 'r1', trainPathOnHost: '/t', validationPathOnHost: '/v' });
    expect(resolved.validation_split).toBe(0);
    expect(resolved.validation_file).toBe('/v');
  });

  it('resolves dataset and local model paths relative to the config file', () => {
    const parsed = validateRunConfig({ ...minimal, baseModel: '../models/tiny', datasets: { train: 'd/t.jsonl' } });
    if (!parsed.ok) throw new Error('fixture invalid');
    const paths = localPaths(parsed.config, '/work/proj/runs/a.brightrun.json');
    expect(paths).toEqual({ train: '/work/proj/runs/d/t.jsonl', validation: null, baseModel: '/work/proj/models/tiny' });
    const parsedMinimal = validateRunConfig(minimal);
    if (!parsedMinimal.ok) throw new Error('fixture invalid');
    expect(localPaths(parsedMinimal.config, '/x/a.json').baseModel).toBe('Qwen/Qwen2.5-0.5B-Instruct');
  });
});

describe('samples/demo.brightrun.json', () => {
  it('is a valid run config whose paths resolve next to it', () => {
    const result = parseRunConfigText(readFileSync('samples/demo.brightrun.json', 'utf8'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const paths = localPaths(result.config, 'samples/demo.brightrun.json');
    expect(paths.train).toBe(resolve('samples/chat-train.jsonl'));
    expect(paths.baseModel).toBe(resolve('.cache/tiny-model'));
  });
});

describe('brightrun.schema.json', () => {
  it('is up to date (run npm run gen:schemas)', () => {
    const onDisk = JSON.parse(readFileSync('schemas/brightrun.schema.json', 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(userSchemas()['brightrun.schema.json'])));
  });

  it('is contributed for *.brightrun.json files', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.contributes.jsonValidation).toContainEqual({ fileMatch: '*.brightrun.json', url: './schemas/brightrun.schema.json' });
  });
});
