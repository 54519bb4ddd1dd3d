import { describe, expect, it } from 'vitest';
import type { DatasetStats } from '../../../src/contracts/dataset';
import {
  configFileName,
  configFileText,
  configRelativePath,
  datasetEntries,
  defaultRunConfig,
  estimateForConfig,
  guessValidationFile,
  rebaseConfigPaths,
} from '../../../src/vscode/panels/launchLogic';

const stats: DatasetStats = {
  format: 'openai-chat',
  examples: 1000,
  messages: 3000,
  tokens: { total: 500_000, assistant: 200_000, p50: 450, p95: 900, max: 1500 },
  tokensApproximate: true,
  tokenizer: 'approx',
  maxSeqLen: 2048,
  examplesOverMaxSeqLen: 0,
  paddingWaste: 0.3,
  errors: 0,
  warnings: 0,
  infos: 0,
};

describe('dataset paths', () => {
  it('writes paths relative to the config folder, with forward slashes', () => {
    expect(configRelativePath('/ws', '/ws/data/train.jsonl')).toBe('data/train.jsonl');
    expect(configRelativePath('/ws/configs', '/elsewhere/x.jsonl')).toBe('/elsewhere/x.jsonl');
    expect(datasetEntries([{ path: '/ws/data/a.jsonl', stats }], '/ws/data', '/ws')).toEqual([{ path: 'a.jsonl', label: 'data/a.jsonl', stats }]);
  });

  it('finds the validation file beside the training file', () => {
    expect(guessValidationFile('/ws/chat-train.jsonl', ['/ws/chat-train.jsonl', '/ws/chat-val.jsonl'])).toBe('/ws/chat-val.jsonl');
    expect(guessValidationFile('/ws/foo.jsonl', ['/ws/foo-val.jsonl'])).toBeUndefined();
  });

  it('re-anchors relative paths when saved elsewhere', () => {
    const moved = rebaseConfigPaths({ datasets: { train: 'data/t.jsonl', validation: '/abs/v.jsonl' }, baseModel: './models/tiny' }, '/ws', '/ws/configs');
    expect(moved).toEqual({ datasets: { train: '../data/t.jsonl', validation: '/abs/v.jsonl' }, baseModel: '../models/tiny' });
  });

  it('re-anchors a relative .gguf base model, with or without ./, and leaves absolute ones', () => {
    expect(rebaseConfigPaths({ baseModel: 'models/tiny.gguf' }, '/ws', '/ws/configs')).toEqual({ baseModel: '../models/tiny.gguf' });
    expect(rebaseConfigPaths({ baseModel: 'models/tiny.gguf' }, '/ws/configs', '/ws')).toEqual({ baseModel: './configs/models/tiny.gguf' });
    expect(rebaseConfigPaths({ baseModel: '/srv/tiny.gguf' }, '/ws', '/ws/configs')).toEqual({ baseModel: '/srv/tiny.gguf' });
    expect(rebaseConfigPaths({ baseModel: 'org/model' }, '/ws', '/ws/configs')).toEqual({ baseModel: 'org/model' });
  });
});

describe('config file', () => {
  it('names the file after the run', () => {
    expect(configFileName('My Run: v2!')).toBe('my-run-v2.brightrun.json');
    expect(configFileName('')).toBe('training-run.brightrun.json');
  });
  it('drops an empty name and ends with a newline', () => {
    expect(configFileText({ name: '', preset: 'balanced' })).toBe('{\n  "preset": "balanced"\n}\n');
  });
});

describe('estimateForConfig', () => {
  const context = { baseDir: '/ws', statsFor: (p: string) => (p === '/ws/data/train.jsonl' ? stats : undefined), history: [] };

  it('estimates steps, duration and cost with its basis', () => {
    const answer = estimateForConfig({ ...defaultRunConfig('data/train.jsonl'), baseModel: 'Qwen/Qwen2.5-0.5B', pricePerGpuHour: 2 }, context);
    expect(answer.error).toBeUndefined();
    expect(answer.estimate!.steps).toBeGreaterThan(0);
    expect(answer.estimate!.duration_s).toBeGreaterThan(60);
    expect(answer.estimate!.cost_usd).toBeCloseTo((answer.estimate!.duration_s / 3600) * 2, 6);
    expect(answer.estimate!.basis).toMatch(/1000 examples/);
  });

  it('prices a remote host without a price from the GPU its preflight found, and says so; never the local machine', () => {
    const config = { ...defaultRunConfig('data/train.jsonl'), baseModel: 'Qwen/Qwen2.5-0.5B', host: 'gpu-box' };
    const remote = estimateForConfig(config, { ...context, gpu: 'NVIDIA H100 80GB HBM3' }).estimate!;
    expect(remote.cost_usd).toBeCloseTo((remote.duration_s / 3600) * 2.99, 6);
    expect(remote.basis).toMatch(/\$2\.99\/GPU-hour \(typical on-demand price for the detected H100; set pricePerGpuHour/);
    const configured = estimateForConfig(config, { ...context, gpu: 'NVIDIA H100 80GB HBM3', hostPricePerGpuHour: 1.5 }).estimate!;
    expect(configured.cost_usd).toBeCloseTo((configured.duration_s / 3600) * 1.5, 6);
    expect(configured.basis).not.toMatch(/detected/);
    const local = estimateForConfig({ ...config, host: 'local' }, { ...context, gpu: 'NVIDIA H100 80GB HBM3' }).estimate!;
    expect(local.cost_usd).toBeNull();
    expect(estimateForConfig(config, { ...context, gpu: 'Some Future GPU' }).estimate!.cost_usd).toBeNull();
  });

  it('says which field is wrong instead of estimating', () => {
    const answer = estimateForConfig({ ...defaultRunConfig('data/train.jsonl'), baseModel: '' }, context);
    expect(answer.estimate).toBeNull();
    expect(answer.error).toMatch(/baseModel/);
  });

  it('waits for the statistics of the training file', () => {
    const answer = estimateForConfig({ ...defaultRunConfig('data/other.jsonl'), baseModel: 'gpt2' }, context);
    expect(answer.error).toMatch(/No statistics for data\/other\.jsonl/);
  });
});
