// Ranking a sweep's runs by its metric, picking the best, and the one line that says how far the sweep got.
// Pure: the caller supplies each run's evaluation report when the metric comes from one.
import type { EvalReport } from '../../contracts/evalReport';
import { TRAINING_METRICS, type SweepGoal, type SweepMetric } from '../../contracts/sweep';
import { TERMINAL_STATES, type RunState } from '../../contracts/status';
import type { RunInfo } from '../runs/runInfo';
import type { SweepMembership } from './sweepMembership';
import { parameterWords } from './expandSweep';

export function needsEvalReport(metric: SweepMetric): boolean {
  return !TRAINING_METRICS.includes(metric);
}

/** The run's value of the metric; null when it was not measured (no evaluation yet, no report). */
export function metricValue(metric: SweepMetric, run: Pick<RunInfo, 'evalLoss' | 'loss'>, report: EvalReport | null = null): number | null {
  switch (metric) {
    case 'eval_loss':
      return run.evalLoss;
    case 'train_loss':
      return run.loss;
    case 'perplexity':
      return run.evalLoss === null ? null : Math.exp(run.evalLoss);
    case 'preference_accuracy':
      return report?.preference?.adapter.accuracy ?? null;
    default:
      return report?.metrics[metric].adapter ?? null;
  }
}

/** How a metric is named in one-line texts. */
export function metricWord(metric: SweepMetric): string {
  return { eval_loss: 'eval', train_loss: 'loss', perplexity: 'ppl' }[metric as string] ?? metric;
}

export function formatMetric(value: number): string {
  return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
}

export interface SweepRunResult {
  runId: string;
  state: RunState;
  sweep: SweepMembership;
  value: number | null;
}

export interface RankedRun extends SweepRunResult {
  /** 1 for the best; null for a run that did not complete with a value (running, stopped, failed). */
  rank: number | null;
  best: boolean;
}

/** Completed runs with a value first, best first (ties: the earlier run); then the others in sweep order. */
export function rankSweep(runs: readonly SweepRunResult[], goal: SweepGoal): RankedRun[] {
  const byIndex = [...runs].sort((a, b) => a.sweep.index - b.sweep.index);
  const ranked = byIndex
    .filter((run) => run.state === 'completed' && run.value !== null && Number.isFinite(run.value))
    .sort((a, b) => (goal === 'min' ? a.value! - b.value! : b.value! - a.value!));
  const unranked = byIndex.filter((run) => !ranked.includes(run));
  return [...ranked.map((run, i) => ({ ...run, rank: i + 1, best: i === 0 })), ...unranked.map((run) => ({ ...run, rank: null, best: false }))];
}

/** The best run of the sweep, or null while none completed with a value. */
export function bestRun(runs: readonly SweepRunResult[], goal: SweepGoal): RankedRun | null {
  const first = rankSweep(runs, goal)[0];
  return first?.best ? first : null;
}

export interface SweepSummary {
  id: string;
  name: string;
  size: number;
  metric: SweepMetric;
  goal: SweepGoal;
  /** Runs recorded (a run forgotten with `runs --remove` no longer counts). */
  runs: number;
  ended: number;
  completed: number;
  /** Every run of the sweep has ended. */
  finished: boolean;
  best: RankedRun | null;
  createdAt: string;
}

/** Runs grouped by sweep id, each group in sweep order; runs of their own are left out. */
export function groupSweeps<T extends Pick<RunInfo, 'sweep'>>(runs: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const run of runs) {
    if (!run.sweep) continue;
    const group = groups.get(run.sweep.id) ?? [];
    group.push(run);
    groups.set(run.sweep.id, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.sweep!.index - b.sweep!.index);
  return groups;
}

/** One sweep's state from its runs (all of one sweep id) and each run's metric value. */
export function summarizeSweep(members: readonly RunInfo[], valueOf: (run: RunInfo) => number | null): SweepSummary {
  const first = members[0].sweep!;
  const results = members.map((run) => ({ runId: run.id, state: run.state, sweep: run.sweep!, value: valueOf(run) }));
  const ended = members.filter((run) => TERMINAL_STATES.includes(run.state)).length;
  return {
    id: first.id,
    name: first.name,
    size: first.size,
    metric: first.metric,
    goal: first.goal,
    runs: members.length,
    ended,
    completed: members.filter((run) => run.state === 'completed').length,
    finished: ended === members.length,
    best: bestRun(results, first.goal),
    createdAt: members.map((run) => run.createdAt).sort()[0],
  };
}

/** "3/6 done, best: lr=2e-4 r=16 eval 1.23" */
export function sweepProgressText(summary: SweepSummary): string {
  const done = `${summary.ended}/${summary.runs} done`;
  if (!summary.best) return done;
  return `${done}, best: ${parameterWords(summary.best.sweep.parameters)} ${metricWord(summary.metric)} ${formatMetric(summary.best.value!)}`;
}
