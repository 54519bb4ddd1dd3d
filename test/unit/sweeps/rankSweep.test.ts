// Ranking a sweep's runs by its metric, the best run, and the line that says how far the sweep got.
import { describe, expect, it } from 'vitest';
import { metricValue, rankSweep, summarizeSweep, sweepProgressText } from '../../../src/core/sweeps/rankSweep';
import type { SweepMembership } from '../../../src/core/sweeps/sweepMembership';
import type { EvalReport } from '../../../src/contracts/evalReport';
import { run } from '../editor-runs/helpers/runFixture';

function member(index: number, parameters: Record<string, number>, overrides: Partial<SweepMembership> = {}): SweepMembership {
  return { id: 'sweep-a', name: 'tune', index, size: 4, parameters, metric: 'eval_loss', goal: 'min', earlyStop: null, ...overrides };
}

describe('ranking a sweep', () => {
  it('puts completed runs best first (ties: the earlier run), then the others in sweep order', () => {
    const ranked = rankSweep(
      [
        { runId: 'a', state: 'completed', sweep: member(0, { loraR: 4 }), value: 1.5 },
        { runId: 'b', state: 'cancelled', sweep: member(1, { loraR: 8 }), value: 0.9 },
        { runId: 'c', state: 'completed', sweep: member(2, { loraR: 16 }), value: 1.2 },
        { runId: 'd', state: 'completed', sweep: member(3, { loraR: 32 }), value: 1.2 },
        { runId: 'e', state: 'running', sweep: member(4, { loraR: 64 }), value: 0.5 },
        { runId: 'f', state: 'completed', sweep: member(5, { loraR: 2 }), value: null },
      ],
      'min',
    );
    expect(ranked.map((r) => [r.runId, r.rank, r.best])).toEqual([
      ['c', 1, true],
      ['d', 2, false],
      ['a', 3, false],
      ['b', null, false],
      ['e', null, false],
      ['f', null, false],
    ]);
    const max = rankSweep(
      [
        { runId: 'a', state: 'completed', sweep: member(0, {}), value: 0.2 },
        { runId: 'b', state: 'completed', sweep: member(1, {}), value: 0.7 },
      ],
      'max',
    );
    expect(max[0]).toMatchObject({ runId: 'b', best: true });
  });

  it('reads each metric where it is measured: progress for losses, the evaluation report for scores', () => {
    const progress = { evalLoss: 1.25, loss: 0.9 };
    const report = {
      metrics: { token_f1: { base: 0.1, adapter: 0.42 }, exact_match: { base: 0, adapter: null } },
      preference: { adapter: { accuracy: 0.8, margin: 1 } },
    } as unknown as EvalReport;
    expect(metricValue('eval_loss', progress)).toBe(1.25);
    expect(metricValue('train_loss', progress)).toBe(0.9);
    expect(metricValue('perplexity', progress)).toBeCloseTo(Math.exp(1.25));
    expect(metricValue('perplexity', { evalLoss: null, loss: 1 })).toBeNull();
    expect(metricValue('token_f1', progress, report)).toBe(0.42);
    expect(metricValue('exact_match', progress, report)).toBeNull();
    expect(metricValue('preference_accuracy', progress, report)).toBe(0.8);
    expect(metricValue('token_f1', progress, null)).toBeNull();
  });

  it('summarizes progress and the best run in one line', () => {
    const members = [
      run({ id: 'a', state: 'completed', evalLoss: 1.4, sweep: member(0, { learningRate: 1e-4, loraR: 8 }) }),
      run({ id: 'b', state: 'completed', evalLoss: 1.2345678, sweep: member(1, { learningRate: 2e-4, loraR: 16 }) }),
      run({ id: 'c', state: 'running', evalLoss: 0.2, sweep: member(2, { learningRate: 3e-4, loraR: 8 }) }),
    ];
    const summary = summarizeSweep(members, (info) => info.evalLoss);
    expect(summary).toMatchObject({ id: 'sweep-a', runs: 3, ended: 2, completed: 2, finished: false, size: 4 });
    expect(summary.best?.runId).toBe('b');
    expect(sweepProgressText(summary)).toBe('2/3 done, best: lr=2e-4 r=16 eval 1.235');
    const none = summarizeSweep([run({ id: 'x', state: 'running', sweep: member(0, { loraR: 8 }) })], () => null);
    expect(sweepProgressText(none)).toBe('0/1 done');
  });
});
