import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunConfigText, validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { methodFormatProblem, PreferenceSettings } from '../../../src/contracts/preference';
import { localPaths, resolveConfig } from '../../../src/core/config/resolveConfig';
import { TrainerConfig } from '../../../src/contracts/trainerConfig';
import { generatedSchemas } from '../../../src/contracts/schemas';

const minimal = { datasets: { train: 'pairs.jsonl' }, baseModel: 'HuggingFaceTB/SmolLM2-135M-Instruct' };
const hostPaths = { runId: 'r1', trainPathOnHost: '/data/pairs.jsonl', validationPathOnHost: null };

function problemsOf(value: unknown) {
  const result = validateRunConfig(value);
  return result.ok ? [] : result.problems;
}

describe('training method in the run config', () => {
  it('defaults to sft, and an sft config resolves without preference settings', () => {
    const result = validateRunConfig(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.method).toBe('sft');
    const trainer = resolveConfig(result.config, hostPaths);
    expect(trainer.method).toBe('sft');
    expect(trainer.preference).toBeUndefined();
  });

  it('resolves dpo with every preference default filled in, and keeps the values given', () => {
    const result = validateRunConfig({ ...minimal, method: 'dpo', preference: { beta: 0.25, lossType: 'ipo' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const trainer = resolveConfig(result.config, hostPaths);
    expect(trainer.method).toBe('dpo');
    expect(trainer.preference).toEqual({ beta: 0.25, lossType: 'ipo', labelSmoothing: 0, lambda: 0.1 });
    expect(TrainerConfig.safeParse(trainer).success).toBe(true);
  });

  it('orpo without settings gets the defaults (lambda 0.1, beta 0.1, sigmoid)', () => {
    const result = validateRunConfig({ ...minimal, method: 'orpo' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(resolveConfig(result.config, hostPaths).preference).toEqual(PreferenceSettings.parse({}));
    expect(PreferenceSettings.parse({})).toEqual({ beta: 0.1, lossType: 'sigmoid', labelSmoothing: 0, lambda: 0.1 });
  });

  it('refuses packing for a preference method, saying to turn it off', () => {
    const problems = problemsOf({ ...minimal, method: 'dpo', packing: true });
    expect(problems.map((p) => p.path)).toEqual(['$.packing']);
    expect(problems[0].message).toMatch(/packing must be off.*"packing": false/);
    expect(problemsOf({ ...minimal, method: 'sft', packing: true })).toEqual([]);
  });

  it('refuses preference settings on an sft run', () => {
    const problems = problemsOf({ ...minimal, preference: { beta: 0.5 } });
    expect(problems.map((p) => p.path)).toEqual(['$.preference']);
    expect(problems[0].message).toMatch(/only to method dpo or orpo/);
  });

  it('reports out-of-range and misspelt preference settings at their paths', () => {
    const problems = problemsOf({
      ...minimal,
      method: 'dpo',
      preference: { beta: 0, lossType: 'kto', labelSmoothing: 0.7, betta: 1 },
    });
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['$.preference.beta', '$.preference.betta', '$.preference.labelSmoothing', '$.preference.lossType'].sort(),
    );
    expect(problemsOf({ ...minimal, method: 'ppo' }).map((p) => p.path)).toEqual(['$.method']);
  });
});

describe('method against dataset format', () => {
  it('accepts preference formats for dpo and orpo and the others for sft', () => {
    for (const method of ['dpo', 'orpo'] as const) {
      expect(methodFormatProblem(method, 'openai-preference')).toBeNull();
      expect(methodFormatProblem(method, 'pairs')).toBeNull();
    }
    for (const format of ['openai-chat', 'sharegpt', 'alpaca', 'prompt-completion', 'text']) {
      expect(methodFormatProblem('sft', format)).toBeNull();
    }
  });

  it('says what to change when they do not match', () => {
    expect(methodFormatProblem('dpo', 'openai-chat')).toMatch(/dpo trains on preference pairs.*openai-preference or pairs.*"method": "sft"/);
    expect(methodFormatProblem('sft', 'pairs')).toMatch(/preference pairs \(pairs\).*"method": "dpo" or "orpo"/);
    expect(methodFormatProblem('orpo', 'unknown')).toBeNull();
  });
});

describe('trainer config schema', () => {
  it('keeps method and preference optional, so configs written before them still load', () => {
    const schema = generatedSchemas()['config.schema.json'] as { required: string[]; properties: Record<string, unknown> };
    expect(schema.properties).toHaveProperty('method');
    expect(schema.properties).toHaveProperty('preference');
    expect(schema.required).not.toContain('method');
    expect(schema.required).not.toContain('preference');
  });
});

describe('samples/preference configs', () => {
  for (const method of ['dpo', 'orpo'] as const) {
    it(`${method}.brightrun.json is valid and points at the sample pairs`, () => {
      const file = `samples/preference/${method}.brightrun.json`;
      const result = parseRunConfigText(readFileSync(file, 'utf8'));
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.config.method).toBe(method);
      expect(result.config.packing).toBe(false);
      const paths = localPaths(result.config, file);
      expect(paths.train).toBe(resolve('samples/preference/train.jsonl'));
      expect(paths.validation).toBe(resolve('samples/preference/val.jsonl'));
    });
  }
});
