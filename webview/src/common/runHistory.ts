// A run's event history as the panels use it: every event kept (deduplicated by seq, so a replayed history or
// an overlapping batch never doubles a point), split by type, with series extracted for the charts.
// Mutable on purpose: a 100k-step run must not copy its arrays on every live batch; `version` tells React.
import type { DoneEvent, ErrorEvent, EvalEvent, MetricsEvent, PlanEvent, RunEvent, StageName } from '../../../src/core/runs/events';
import type { Point } from './lttb';

export interface StageMark {
  name: StageName;
  ts: string;
}

export type XAxisKind = 'step' | 'tokens';

export class RunHistory {
  readonly metrics: MetricsEvent[] = [];
  readonly evals: EvalEvent[] = [];
  readonly stages: StageMark[] = [];
  readonly errors: ErrorEvent[] = [];
  readonly logs: { level: string; message: string; ts: string }[] = [];
  plan: PlanEvent | null = null;
  done: DoneEvent | null = null;
  lastCheckpointStep: number | null = null;
  version = 0;
  private readonly seen = new Set<number>();
  /** The events that are neither metrics nor evaluations, as they came: with metrics and evals, the history again. */
  private readonly rest: RunEvent[] = [];
  /** Chart series built once and then extended point by point, so a live event on a 100k-step run does not
   *  rebuild 100k points per chart. Keyed by metric and x axis. */
  private readonly seriesCache = new Map<string, { key: MetricKey; x: XAxisKind; points: Point[] }>();

  /** Adds the events not seen yet; returns how many were new. */
  add(events: readonly RunEvent[]): number {
    let added = 0;
    for (const event of events) {
      if (this.seen.has(event.seq)) continue;
      this.seen.add(event.seq);
      this.apply(event);
      added++;
    }
    if (added > 0) this.version++;
    return added;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Every event kept (after a resume, the replaced steps are gone), not necessarily in seq order. */
  events(): RunEvent[] {
    return [...this.metrics, ...this.evals, ...this.rest];
  }

  private apply(event: RunEvent): void {
    if (event.type !== 'metrics' && event.type !== 'eval') this.rest.push(event);
    switch (event.type) {
      case 'metrics':
        this.metrics.push(event);
        for (const cached of this.seriesCache.values()) {
          const point = pointOf(this, event, cached.key, cached.x);
          if (point !== null) cached.points.push(point);
        }
        break;
      case 'eval':
        this.evals.push(event);
        break;
      case 'stage':
        this.stages.push({ name: event.name, ts: event.ts });
        break;
      case 'plan':
        this.plan = event;
        // Token positions estimated from the plan change with it.
        this.seriesCache.clear();
        // A resumed run repeats the steps after its checkpoint: the new attempt replaces the old points.
        if (event.resumed_from_step !== undefined) this.truncateAfter(event.resumed_from_step);
        break;
      case 'checkpoint':
        this.lastCheckpointStep = event.step;
        break;
      case 'log':
        this.logs.push({ level: event.level, message: event.message, ts: event.ts });
        break;
      case 'error':
        this.errors.push(event);
        break;
      case 'done':
        this.done = event;
        break;
    }
  }

  private truncateAfter(step: number): void {
    this.seriesCache.clear();
    const keepMetrics = this.metrics.filter((m) => m.step <= step);
    this.metrics.splice(0, this.metrics.length, ...keepMetrics);
    const keepEvals = this.evals.filter((e) => e.step <= step);
    this.evals.splice(0, this.evals.length, ...keepEvals);
    // A new attempt starts with a clean outcome.
    this.done = null;
  }

  /** The points of one metric (shared, extended in place as events arrive: copy it to keep a snapshot). */
  series(key: MetricKey, x: XAxisKind): Point[] {
    const id = `${key}:${x}`;
    let cached = this.seriesCache.get(id);
    if (cached === undefined) {
      const points: Point[] = [];
      for (const m of this.metrics) {
        const point = pointOf(this, m, key, x);
        if (point !== null) points.push(point);
      }
      cached = { key, x, points };
      this.seriesCache.set(id, cached);
    }
    return cached.points;
  }

  get lastMetrics(): MetricsEvent | undefined {
    return this.metrics[this.metrics.length - 1];
  }

  get lastEval(): EvalEvent | undefined {
    return this.evals[this.evals.length - 1];
  }

  /** Total steps as the trainer announced it (plan, or the latest metrics line). */
  get totalSteps(): number | null {
    return this.lastMetrics?.total_steps ?? this.plan?.total_steps ?? null;
  }
}

export type MetricKey = 'loss' | 'learning_rate' | 'grad_norm' | 'tokens_per_s' | 'gpu_util' | 'gpu_mem_gb';

/** tokens_seen when the trainer reports it; otherwise estimated from the plan's tokens per step. */
function xOf(history: RunHistory, step: number, tokensSeen: number | undefined, kind: XAxisKind): number {
  if (kind === 'step') return step;
  if (tokensSeen !== undefined) return tokensSeen;
  const plan = history.plan;
  if (plan !== null && plan.total_steps > 0) return Math.round((plan.train_tokens * plan.epochs * step) / plan.total_steps);
  return step;
}

function pointOf(history: RunHistory, m: MetricsEvent, key: MetricKey, x: XAxisKind): Point | null {
  const y = m[key];
  return typeof y === 'number' && Number.isFinite(y) ? { x: xOf(history, m.step, m.tokens_seen, x), y } : null;
}

export function metricSeries(history: RunHistory, key: MetricKey, x: XAxisKind = 'step'): Point[] {
  return history.series(key, x);
}

export function evalSeries(history: RunHistory, x: XAxisKind = 'step'): Point[] {
  // Evaluations carry no tokens_seen: take it from the metrics line of the same step when there is one.
  const tokensAtStep = new Map<number, number>();
  if (x === 'tokens') for (const m of history.metrics) if (m.tokens_seen !== undefined) tokensAtStep.set(m.step, m.tokens_seen);
  return history.evals.map((e) => ({ x: xOf(history, e.step, tokensAtStep.get(e.step), x), y: e.eval_loss }));
}

export function hasSeries(history: RunHistory, key: MetricKey): boolean {
  return history.metrics.some((m) => typeof m[key] === 'number');
}
