// The median stopping rule, and the engine part that applies it while a sweep's runs train.
import { describe, expect, it } from 'vitest';
import { evalCurve, median, medianStopReason } from '../../../src/core/sweeps/medianStop';
import { SweepSupervisor, type SupervisedRuns } from '../../../src/core/sweeps/sweepSupervisor';
import type { RunEvent } from '../../../src/contracts/events';
import type { RunInfo } from '../../../src/core/runs/runInfo';
import { run } from '../editor-runs/helpers/runFixture';

const rule = { rule: 'median' as const, afterEvaluations: 2, minRuns: 2 };
const curve = (...values: [number, number][]) => values.map(([step, value]) => ({ step, value }));

describe('the median stopping rule', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('stops a run worse than the median of the other runs at the same step, and says so', () => {
    const others = [curve([10, 1.0], [20, 0.8]), curve([10, 1.2], [20, 0.9]), curve([10, 1.1], [20, 1.3])];
    expect(medianStopReason(curve([10, 1.5], [20, 1.0]), others, rule)).toBe(
      'stopped early: eval loss 1 at step 20 is worse than the median 0.9 of 3 other runs of the sweep at that step',
    );
    expect(medianStopReason(curve([10, 1.5], [20, 0.85]), others, rule)).toBeNull();
    expect(medianStopReason(curve([10, 1.5], [20, 0.9]), others, rule)).toBeNull(); // equal to the median is not worse
  });

  it('waits for enough evaluations of the run and enough other runs at that step', () => {
    const others = [curve([10, 1.0]), curve([10, 1.0], [20, 0.5])];
    expect(medianStopReason(curve([10, 9]), others, rule)).toBeNull(); // one evaluation of two
    expect(medianStopReason(curve([10, 9], [20, 9]), others, rule)).toBeNull(); // one other run at step 20
    expect(medianStopReason(curve([10, 9], [20, 9]), others, { ...rule, minRuns: 1 })).toMatch(/median 0.5 of 1 other runs/);
  });

  it('reads the eval-loss curve from events, the last value per step winning (a resumed attempt)', () => {
    const base = { v: 1 as const, ts: '2026-12-03T10:00:00Z' };
    const events: RunEvent[] = [
      { ...base, seq: 1, type: 'eval', step: 10, eval_loss: 2, perplexity: 7.4 },
      { ...base, seq: 2, type: 'metrics', step: 11, epoch: 0.1, loss: 1.5, learning_rate: 1e-4 } as RunEvent,
      { ...base, seq: 3, type: 'eval', step: 20, eval_loss: 1.5, perplexity: 4.5 },
      { ...base, seq: 4, type: 'eval', step: 10, eval_loss: 1.9, perplexity: 6.7 },
    ];
    expect(evalCurve(events)).toEqual(curve([10, 1.9], [20, 1.5]));
  });
});

/** The engine's runs as the supervisor sees them: a list, each run's events, and cancel that records its reason. */
class Runs implements SupervisedRuns {
  readonly cancelled: { id: string; reason: string | undefined }[] = [];
  private listener: ((batch: { runId: string; events: RunEvent[] }) => void) | undefined;
  constructor(
    private readonly runs: RunInfo[],
    private readonly histories: Map<string, RunEvent[]>,
  ) {}
  get = (id: string) => this.runs.find((r) => r.id === id);
  list = () => this.runs;
  events = async (id: string) => this.histories.get(id) ?? [];
  cancel = async (id: string, reason?: string) => {
    this.cancelled.push({ id, reason });
    Object.assign(this.get(id)!, { state: 'cancelled', stopReason: reason ?? null });
    return 'stopped' as const;
  };
  onDidAppendEvents = (listener: (batch: { runId: string; events: RunEvent[] }) => void) => {
    this.listener = listener;
    return { dispose: () => (this.listener = undefined) };
  };
  append(id: string, step: number, evalLoss: number) {
    const history = this.histories.get(id) ?? [];
    const event: RunEvent = {
      v: 1,
      seq: history.length + 1,
      ts: '2026-12-03T10:00:00Z',
      type: 'eval',
      step,
      eval_loss: evalLoss,
      perplexity: Math.exp(evalLoss),
    };
    this.histories.set(id, [...history, event]);
    this.listener?.({ runId: id, events: [event] });
  }
}

describe('early stop while a sweep trains', () => {
  const sweep = (index: number, earlyStop: typeof rule | null = rule) => ({
    id: 'sweep-a',
    name: 'tune',
    index,
    size: 4,
    parameters: { loraR: 8 * (index + 1) },
    metric: 'eval_loss' as const,
    goal: 'min' as const,
    earlyStop,
  });

  it('cancels a run that falls behind the median, once, with the reason recorded', async () => {
    const runs = new Runs(
      [
        run({ id: 'a', state: 'completed', sweep: sweep(0) }),
        run({ id: 'b', state: 'completed', sweep: sweep(1) }),
        run({ id: 'c', state: 'running', sweep: sweep(2) }),
        run({ id: 'd', state: 'running', sweep: sweep(3) }),
        run({ id: 'solo', state: 'running', sweep: null }),
      ],
      new Map(),
    );
    for (const [id, values] of [
      ['a', [1.0, 0.8]],
      ['b', [1.1, 0.7]],
    ] as const) {
      runs.append(id, 10, values[0]);
      runs.append(id, 20, values[1]);
    }
    const stopped: string[] = [];
    const supervisor = new SweepSupervisor(runs, { onStopped: (info) => stopped.push(info.id) });
    runs.append('c', 10, 0.9);
    runs.append('c', 20, 0.7); // better than the median 0.75: goes on
    runs.append('d', 10, 1.4); // one evaluation: too early to judge
    await supervisor.idle();
    expect(runs.cancelled).toEqual([]);
    runs.append('d', 20, 0.9); // worse than the median 0.7 of a, b and c
    await supervisor.idle();
    runs.append('d', 30, 0.95); // already stopped: not cancelled again
    runs.append('solo', 20, 5);
    await supervisor.idle();
    expect(runs.cancelled).toEqual([
      { id: 'd', reason: expect.stringMatching(/^stopped early: eval loss 0.9 at step 20 is worse than the median 0.7 of 3 other runs/) },
    ]);
    expect(stopped).toEqual(['d']);
    supervisor.dispose();
  });

  it('leaves a sweep without earlyStop alone', async () => {
    const runs = new Runs(
      [
        run({ id: 'a', state: 'completed', sweep: sweep(0, null) }),
        run({ id: 'b', state: 'completed', sweep: sweep(1, null) }),
        run({ id: 'c', state: 'running', sweep: sweep(2, null) }),
      ],
      new Map(),
    );
    runs.append('a', 10, 1);
    runs.append('b', 10, 1);
    const supervisor = new SweepSupervisor(runs);
    runs.append('c', 10, 9);
    runs.append('c', 20, 9);
    await supervisor.idle();
    expect(runs.cancelled).toEqual([]);
  });
});
