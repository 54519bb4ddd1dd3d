// The median stopping rule: after a run's N-th evaluation, stop it when its eval loss is worse than the median
// of the other runs of the sweep at the same step. Pure: the caller passes the curves.
import type { RunEvent } from '../../contracts/events';
import type { SweepMembership } from './sweepMembership';

export interface EvalPoint {
  step: number;
  value: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Why the run should stop now (a sentence), or null to let it go on. Eval loss: lower is better. */
export function medianStopReason(
  run: readonly EvalPoint[],
  others: readonly (readonly EvalPoint[])[],
  rule: NonNullable<SweepMembership['earlyStop']>,
): string | null {
  if (run.length < rule.afterEvaluations) return null;
  const latest = run[run.length - 1];
  const peers = others.flatMap((curve) => curve.filter((point) => point.step === latest.step).map((point) => point.value));
  if (peers.length < rule.minRuns) return null;
  const middle = median(peers);
  if (!(latest.value > middle)) return null;
  const fmt = (n: number) => Number(n.toPrecision(4)).toString();
  return `stopped early: eval loss ${fmt(latest.value)} at step ${latest.step} is worse than the median ${fmt(middle)} of ${peers.length} other runs of the sweep at that step`;
}

/** The eval-loss curve of a run from its events (the last value per step wins). */
export function evalCurve(events: readonly RunEvent[]): EvalPoint[] {
  const byStep = new Map<number, number>();
  for (const event of events) if (event.type === 'eval') byStep.set(event.step, event.eval_loss);
  return [...byStep].map(([step, value]) => ({ step, value })).sort((a, b) => a.step - b.step);
}
