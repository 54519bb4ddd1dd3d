// Expanding a sweep into run configs: order, names, values, determinism for a seed.
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import type { RunConfigFile } from '../../../src/contracts/runConfigFile';
import { expandSweep, formatParameterValue, sweepCombinations, sweepName, SweepError } from '../../../src/core/sweeps/expandSweep';

function config(sweep: unknown, extra: Record<string, unknown> = {}): RunConfigFile {
  const result = validateRunConfig({
    name: 'tune',
    datasets: { train: 'train.jsonl' },
    baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
    evalEvery: 5,
    hyperparameters: { maxSteps: 30, learningRate: 5e-5, loraDropout: 0.1 },
    sweep,
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const identity = { id: 'sweep-20261203-101500-abcdef', name: 'tune' };

describe('expanding a sweep', () => {
  it('gives a grid in a fixed order, the last parameter varying fastest, each run named by its values', () => {
    const children = expandSweep(config({ parameters: { learningRate: [1e-4, 2e-4], loraR: [8, 16] }, metric: 'token_f1' }), identity);
    expect(children.map((child) => child.config.name)).toEqual(['tune lr=1e-4 r=8', 'tune lr=1e-4 r=16', 'tune lr=2e-4 r=8', 'tune lr=2e-4 r=16']);
    expect(children[3].config.hyperparameters).toEqual({ maxSteps: 30, learningRate: 2e-4, loraDropout: 0.1, loraR: 16 });
    expect(children[3].config.sweep).toBeUndefined();
    expect(children.map((child) => child.membership.index)).toEqual([0, 1, 2, 3]);
    expect(children[2].membership).toEqual({
      id: identity.id,
      name: 'tune',
      index: 2,
      size: 4,
      parameters: { learningRate: 2e-4, loraR: 8 },
      metric: 'token_f1',
      goal: 'max',
      earlyStop: null,
    });
  });

  it('keeps everything else of the config in every run', () => {
    const source = config({ parameters: { epochs: [1, 2] }, earlyStop: { afterEvaluations: 3 } }, { seed: 7, maxSeqLen: 512 });
    for (const child of expandSweep(source, identity)) {
      const { name: _name, hyperparameters: _h, sweep: _s, ...rest } = child.config;
      const { name: _n, hyperparameters: _hh, sweep: _ss, ...expected } = source;
      expect(rest).toEqual(expected);
      expect(child.membership.goal).toBe('min');
      expect(child.membership.earlyStop).toEqual({ rule: 'median', afterEvaluations: 3, minRuns: 2 });
    }
  });

  it('draws the same random runs for the same seed, and other ones for another seed', () => {
    const sweep = {
      strategy: 'random',
      maxRuns: 6,
      seed: 3,
      parameters: { learningRate: { min: 1e-5, max: 1e-3 }, loraR: { min: 4, max: 64 }, batchSize: [2, 4, 8] },
    };
    const first = sweepCombinations(config(sweep).sweep!);
    expect(sweepCombinations(config(sweep).sweep!)).toEqual(first);
    expect(sweepCombinations(config({ ...sweep, seed: 4 }).sweep!)).not.toEqual(first);
    expect(first).toHaveLength(6);
    for (const values of first) {
      expect(values.learningRate).toBeGreaterThanOrEqual(1e-5);
      expect(values.learningRate).toBeLessThanOrEqual(1e-3);
      expect(Number(values.learningRate.toPrecision(3))).toBe(values.learningRate);
      expect(Number.isInteger(values.loraR)).toBe(true);
      expect(values.loraR).toBeGreaterThanOrEqual(4);
      expect(values.loraR).toBeLessThanOrEqual(64);
      expect([2, 4, 8]).toContain(values.batchSize);
    }
  });

  it('spreads a log range over its decades and a linear one evenly', () => {
    const draws = (spec: unknown) =>
      sweepCombinations(config({ strategy: 'random', maxRuns: 100, parameters: { learningRate: spec } }).sweep!).map((v) => v.learningRate);
    const log = draws({ min: 1e-6, max: 1e-2, scale: 'log' });
    const linear = draws({ min: 1e-6, max: 1e-2, scale: 'linear' });
    // Four decades: a log draw lands below 1e-4 about half the time, a linear one about 1% of the time.
    expect(log.filter((v) => v < 1e-4).length).toBeGreaterThan(30);
    expect(linear.filter((v) => v < 1e-4).length).toBeLessThan(10);
  });

  it('refuses a grid larger than maxRuns, and a sweep the rest of the config cannot serve', () => {
    const big = config({ parameters: { loraR: [4, 8, 16] }, maxRuns: 3 });
    expect(expandSweep(big, identity)).toHaveLength(3);
    expect(() => expandSweep({ ...big, sweep: { ...big.sweep!, maxRuns: 2 } }, identity)).toThrow(
      new SweepError(
        'the grid has 3 combinations (3 loraR values), more than "maxRuns": 2: raise maxRuns to 3, list fewer values, or use "strategy": "random" to draw 2 of them',
      ),
    );
    const early = config({ parameters: { loraR: [8] }, earlyStop: {} });
    expect(() => expandSweep({ ...early, evalEvery: 0 }, identity)).toThrow(/\$\.sweep\.earlyStop: early stopping compares eval loss/);
    expect(() => expandSweep(config(undefined), identity)).toThrow(/no "sweep" block/);
  });

  it('writes values the way people write them', () => {
    expect([2e-4, 1e-4 * 3, 1.5e-5, 0.05, 0.123456, 16, 2].map(formatParameterValue)).toEqual(['2e-4', '3e-4', '1.5e-5', '0.05', '0.1235', '16', '2']);
  });

  it('names the sweep after the config, else after its file', () => {
    expect(sweepName({ name: ' tickets ' }, '/p/a.brightrun.json')).toBe('tickets');
    expect(sweepName({}, '/p/lr-search.brightrun.json')).toBe('lr-search');
  });
});
