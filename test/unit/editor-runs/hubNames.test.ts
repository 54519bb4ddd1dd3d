import { describe, expect, it } from 'vitest';
import { fallbackModelCard, planAdapterUpload, repoIdProblem, suggestRepoName } from '../../../src/vscode/hub/hubNames';

describe('repoIdProblem', () => {
  it('accepts namespace/name ids the Hub accepts', () => {
    expect(repoIdProblem('alice/llama-support-lora')).toBeNull();
    expect(repoIdProblem('Org_1/qwen2.5-0.5b_lora')).toBeNull();
  });

  it('explains what is wrong with the rest', () => {
    expect(repoIdProblem('no-namespace')).toMatch(/namespace\/name/);
    expect(repoIdProblem('a/b/c')).toMatch(/namespace\/name/);
    expect(repoIdProblem('alice/')).toMatch(/name is empty/);
    expect(repoIdProblem('alice/has space')).toMatch(/may only contain/);
    expect(repoIdProblem('alice/-leading')).toMatch(/start and end/);
    expect(repoIdProblem('alice/a--b')).toMatch(/"--"/);
    expect(repoIdProblem('alice/model.git')).toMatch(/\.git/);
    expect(repoIdProblem(`alice/${'x'.repeat(97)}`)).toMatch(/at most 96/);
  });
});

describe('suggestRepoName', () => {
  it('builds a valid name from a model path or id and the run id', () => {
    const name = suggestRepoName('Qwen/Qwen2.5-0.5B-Instruct', '20261124-081200-ab12');
    expect(name).toBe('qwen2.5-0.5b-instruct-lora-20261124-081200-ab12');
    expect(repoIdProblem(`alice/${name}`)).toBeNull();
  });

  it('cleans local folder paths and odd characters', () => {
    const name = suggestRepoName('/home/me/models/My Model (v2)/', 'r1');
    expect(name).toBe('my-model-v2-lora-r1');
    expect(repoIdProblem(`alice/${name}`)).toBeNull();
  });
});

describe('planAdapterUpload', () => {
  const adapter = [
    { path: 'adapter_model.safetensors', size: 1000 },
    { path: 'adapter_config.json', size: 200 },
    { path: 'README.md', size: 50 },
    { path: 'tokenizer.json', size: 300 },
  ];

  it('uploads the adapter files, sorted, and counts their bytes', () => {
    const plan = planAdapterUpload([
      ...adapter,
      { path: 'checkpoint-10/adapter_model.safetensors', size: 5 },
      { path: '.DS_Store', size: 1 },
      { path: 'training_args.bin', size: 7 },
    ]);
    expect(plan.files.map((file) => file.path)).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'README.md', 'tokenizer.json']);
    expect(plan.totalBytes).toBe(1550);
    expect(plan.hasModelCard).toBe(true);
  });

  it('refuses a folder that is not an adapter, naming what is missing', () => {
    expect(() => planAdapterUpload([{ path: 'README.md', size: 1 }])).toThrow(/adapter_config\.json and adapter_model\.safetensors missing/);
  });

  it('notices a missing model card', () => {
    expect(planAdapterUpload(adapter.filter((file) => file.path !== 'README.md')).hasModelCard).toBe(false);
  });
});

describe('fallbackModelCard', () => {
  it('declares the base model and peft in its metadata', () => {
    const card = fallbackModelCard({ repoId: 'alice/x', baseModel: 'gpt2', runId: 'r1', finalEvalLoss: 1.23456 });
    expect(card).toMatch(/^---\nbase_model: gpt2\nlibrary_name: peft\n/);
    expect(card).toContain('Final eval loss: 1.2346.');
  });
});
