// The sweep block of a run config: what it accepts, and the words of what it refuses.
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { runConfigJsonSchema } from '../../../src/contracts/runConfigFile';

const base = { datasets: { train: 'train.jsonl', validation: 'val.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', evalEvery: 10 };

function problems(sweep: unknown, extra: Record<string, unknown> = {}): string[] {
  const result = validateRunConfig({ ...base, ...extra, sweep });
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('the sweep block of a run config', () => {
  it('accepts a grid and fills its defaults: grid, eval_loss, seed 0, no early stop', () => {
    const result = validateRunConfig({ ...base, sweep: { parameters: { learningRate: [1e-4, 2e-4], loraR: [8, 16] } } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sweep).toMatchObject({ strategy: 'grid', metric: 'eval_loss', seed: 0, parameters: { learningRate: [1e-4, 2e-4], loraR: [8, 16] } });
    expect(result.config.sweep?.earlyStop).toBeUndefined();
    expect(result.config.sweep?.goal).toBeUndefined();
  });

  it('fills the early stop rule and a log scale for a learning-rate range', () => {
    const result = validateRunConfig({
      ...base,
      sweep: { strategy: 'random', maxRuns: 4, parameters: { learningRate: { min: 1e-5, max: 1e-3 }, loraR: { min: 4, max: 32 } }, earlyStop: {} },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sweep?.parameters.learningRate).toEqual({ min: 1e-5, max: 1e-3, scale: 'log' });
    expect(result.config.sweep?.parameters.loraR).toEqual({ min: 4, max: 32, scale: 'linear' });
    expect(result.config.sweep?.earlyStop).toEqual({ rule: 'median', afterEvaluations: 2, minRuns: 2 });
  });

  it('names an unknown parameter, an empty list and a value outside the hyper-parameter limits', () => {
    expect(problems({ parameters: { lr: [1e-4] } })).toContainEqual(expect.stringMatching(/^\$\.sweep\.parameters\.lr: unknown setting 'lr'/));
    expect(problems({ parameters: { loraR: [] } })).toEqual(['$.sweep.parameters.loraR: give at least one value for loraR, e.g. [8, 16]']);
    expect(problems({ parameters: { loraR: [8, 8.5] } })).toEqual([expect.stringMatching(/^\$\.sweep\.parameters\.loraR: value 2 \(8.5\) of loraR: .*int/)]);
    expect(problems({ parameters: { learningRate: [2] } })).toEqual([expect.stringMatching(/^\$\.sweep\.parameters\.learningRate\[0\]: .*<=1/)]);
    expect(problems({ parameters: {} })).toEqual([expect.stringMatching(/^\$\.sweep\.parameters: name at least one parameter to vary: learningRate, loraR/)]);
  });

  it('says what is wrong with a range: min above max, a missing bound, a range in a grid', () => {
    const random = (spec: unknown) => problems({ strategy: 'random', maxRuns: 3, parameters: { learningRate: spec } });
    expect(random({ min: 1e-3, max: 1e-4 })).toEqual(['$.sweep.parameters.learningRate: min must be below max (for one value, give a list: [2e-4])']);
    expect(random({ min: 1e-3 })).toEqual(['$.sweep.parameters.learningRate: a range of learningRate needs both "min" and "max" as numbers']);
    expect(random('fast')).toEqual([expect.stringContaining('learningRate takes a list of values ([...]) or, in a random sweep, a range')]);
    expect(problems({ parameters: { learningRate: { min: 1e-5, max: 1e-3 } } })).toEqual([
      '$.sweep.parameters.learningRate: a grid sweep needs a list of values for learningRate; a range {min, max} is drawn from only by "strategy": "random"',
    ]);
    expect(problems({ strategy: 'random', parameters: { loraR: [8, 16] } })).toEqual([
      '$.sweep.maxRuns: a random sweep needs "maxRuns": how many runs to draw',
    ]);
  });

  it('refuses a grid larger than maxRuns, naming the grid size and how it comes about', () => {
    expect(problems({ maxRuns: 4, parameters: { learningRate: [1e-4, 2e-4, 3e-4], loraR: [8, 16] } })).toEqual([
      '$.sweep.maxRuns: the grid has 6 combinations (3 learningRate values x 2 loraR values), more than "maxRuns": 4: raise maxRuns to 6, list fewer values, or use "strategy": "random" to draw 4 of them',
    ]);
    const big = Array.from({ length: 11 }, (_, i) => i + 1);
    expect(problems({ parameters: { loraR: big, batchSize: big } })[0]).toMatch(
      /^\$\.sweep\.parameters: the grid has 121 combinations .* more than the 100 runs a sweep may launch/,
    );
  });

  it('checks the sweep against the rest of the config: early stop needs evaluations, report metrics need the report', () => {
    expect(problems({ parameters: { loraR: [8] }, earlyStop: {} }, { evalEvery: 0 })).toEqual([
      '$.sweep.earlyStop: early stopping compares eval loss at each evaluation: set "evalEvery" (e.g. 50), or remove "earlyStop"',
    ]);
    expect(problems({ parameters: { loraR: [8] }, metric: 'rouge_l' }, { evaluate: false })).toEqual([
      '$.sweep.metric: rouge_l comes from the evaluation report at the end of each run: set "evaluate": true, or rank by eval_loss',
    ]);
    expect(problems({ parameters: { loraR: [8] }, metric: 'preference_accuracy' })).toEqual([
      '$.sweep.metric: preference_accuracy is measured for method dpo or orpo only: set "method", or rank by eval_loss',
    ]);
    expect(problems({ parameters: { loraR: [8] }, metric: 'accuracy' })[0]).toMatch(/^\$\.sweep\.metric: /);
  });

  it('is in the generated JSON Schema, so the editor completes and checks it in the file', () => {
    const schema = runConfigJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties.sweep.properties ?? {})).toEqual(['strategy', 'parameters', 'maxRuns', 'seed', 'metric', 'goal', 'earlyStop']);
  });
});
