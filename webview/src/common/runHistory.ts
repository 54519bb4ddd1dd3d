// A run's event history as the panels use it: every event kept (deduplicated by seq, so a replayed history or
// an overlapping batch never doubles a point), split by type, with series extracted for the charts.
// Mutable on purpose: a 100k-step run must not copy its arrays on every live batch; `version` tells React.
// Metrics lines are kept as columns (the compact form the monitor receives), not as objects: a 100k-step history
// is taken in without building 100k objects, and chart series are columns too (xs, ys), downsampled before any
// point object exists.
import type {
  AttemptEvent,
  DoneEvent,
  ErrorEvent,
  EvalEvent,
  EvalField,
  MetricField,
  MetricsEvent,
  PlanEvent,
  RunEvent,
  StageName,
  TrackerEvent,
} from '../../../src/contracts/events';
import type { TrackerName } from '../../../src/contracts/tracking';
import {
  appendEvents,
  copyRange,
  copyRows,
  emptyTable,
  EVALS_TABLE,
  eventAt,
  keepRows,
  METRICS_TABLE,
  rowsInSeqOrder,
  sentOfEvents,
  sentOfRows,
  type MetricColumns,
  type MonitorHistory,
  type SentMetricColumns,
} from '../../../src/shared/monitorHistory';
import type { ChartField } from './charts';
import type { Point, SeriesColumns } from './lttb';

export interface StageMark {
  name: StageName;
  ts: string;
}

export type XAxisKind = 'step' | 'tokens';

export class RunHistory {
  /** Every metrics line, one array per field (see metricAt for one line as an event). */
  readonly metrics: MetricColumns = emptyTable(METRICS_TABLE);
  readonly evals: EvalEvent[] = [];
  readonly stages: StageMark[] = [];
  readonly errors: ErrorEvent[] = [];
  /** Automatic restarts, in order (the loss chart marks where each one resumed). */
  readonly attempts: AttemptEvent[] = [];
  readonly logs: { level: string; message: string; ts: string }[] = [];
  /** Where the metrics also go, per experiment tracker (the latest event of each: a resumed run says it again). */
  readonly trackers = new Map<TrackerName, TrackerEvent>();
  plan: PlanEvent | null = null;
  done: DoneEvent | null = null;
  lastCheckpointStep: number | null = null;
  version = 0;
  /** How many events were taken in (the replaced steps of a resumed run included), and the highest seq. */
  private count = 0;
  private maxSeq = -Infinity;
  /** The seqs taken in, built only when an event at or below `maxSeq` arrives (a replay, an overlapping batch, a
   *  resume): a history read in seq order is taken in without a per-event set. Until built, the seqs taken in are
   *  exactly those still in the tables (nothing is removed before it is built: see truncateAfter). */
  private seenSet: Set<number> | null = null;
  /** The events that are neither metrics nor evaluations, as they came: with metrics and evals, the history again. */
  private readonly rest: RunEvent[] = [];
  /** Chart series (columns) built once and then extended row by row, so a live event on a 100k-step run does not
   *  rebuild 100k values per chart. Keyed by metric and x axis. */
  private readonly seriesCache = new Map<string, CachedSeries>();
  /** Metrics known to have a value, and for the others how many rows were looked at: a chart's "has this run a
   *  value?" check reads each row once, not the whole column on every render (most runs report no preference or
   *  GPU metrics: 100k nulls each). */
  private readonly valued = new Set<MetricField>();
  private readonly rowsLookedAt = new Map<MetricField, number>();

  /** Adds the events not seen yet; returns how many were new. */
  add(events: readonly RunEvent[]): number {
    let added = 0;
    // Consecutive metrics lines are appended together: each column lengthened once per run of them.
    let metrics: MetricsEvent[] = [];
    const appendMetrics = () => {
      this.appendMetrics(metrics);
      metrics = [];
    };
    for (const event of events) {
      // A seq at or below the highest is looked up in the seqs taken in, which the held lines must be part of.
      if (event.seq <= this.maxSeq) appendMetrics();
      if (!this.isNew(event.seq)) continue;
      this.markSeen(event.seq);
      added++;
      if (event.type === 'metrics') metrics.push(event);
      else {
        appendMetrics();
        this.apply(event);
      }
    }
    appendMetrics();
    if (added > 0) this.version++;
    return added;
  }

  /** Appends metrics lines (already marked seen). */
  private appendMetrics(events: readonly MetricsEvent[]): void {
    if (events.length === 0) return;
    const firstNew = this.metrics.seq.length;
    appendEvents(METRICS_TABLE, this.metrics, events);
    this.extendSeries(firstNew);
  }

  get size(): number {
    return this.count;
  }

  private isNew(seq: number): boolean {
    return seq > this.maxSeq || !this.seen().has(seq);
  }

  private markSeen(seq: number): void {
    this.count++;
    if (seq > this.maxSeq) this.maxSeq = seq;
    this.seenSet?.add(seq);
  }

  private seen(): Set<number> {
    if (this.seenSet === null) {
      this.seenSet = new Set(this.metrics.seq);
      for (const e of this.evals) this.seenSet.add(e.seq);
      for (const e of this.rest) this.seenSet.add(e.seq);
    }
    return this.seenSet;
  }

  /** Adds a compact history (what `init` carries), applied in seq order as `add` would; returns how many events
   *  were new. Metrics rows are copied column by column, in runs between the (few) other events. A compact history
   *  is deduplicated (compactHistory): when all of it is newer than what is here, rows are taken without looking
   *  each one up; otherwise (a replay into a filled history) row by row. Into an empty history the metrics columns
   *  are taken over whole, uncopied (the caller hands `history` over), before the other events. */
  addCompact(history: MonitorHistory): number {
    const { metrics: m, evals, others } = history;
    const before = this.count;
    const fresh =
      increasingAbove(m.seq, this.maxSeq) &&
      increasingAbove(evals.seq, this.maxSeq) &&
      increasingAbove(
        others.map((e) => e.seq),
        this.maxSeq,
      );
    // Only a resume (which drops the steps after its checkpoint) depends on where the metrics rows are among the other
    // events: without one, an empty history takes all rows first, and the other events are new without a look-up.
    const takeOver = fresh && this.metrics.seq.length === 0 && !others.some((e) => e.type === 'plan' && e.resumed_from_step !== undefined);
    let row = takeOver ? this.copyMetricsRows(m, 0, Infinity, true) : 0;
    // A column the message left out has no value on any of these rows: no need to look.
    if (takeOver) for (const field of METRICS_TABLE.fields as readonly MetricField[]) if (m[field] === undefined) this.rowsLookedAt.set(field, row);
    let j = 0;
    let k = 0;
    while (j < evals.seq.length || k < others.length) {
      const es = j < evals.seq.length ? evals.seq[j] : Infinity;
      const os = k < others.length ? others[k].seq : Infinity;
      row = this.copyMetricsRows(m, row, Math.min(es, os), fresh);
      let event: RunEvent;
      if (es <= os) {
        event = eventAt(EVALS_TABLE, evals, j++);
      } else event = others[k++];
      if (takeOver || this.isNew(event.seq)) {
        this.markSeen(event.seq);
        this.apply(event);
      }
    }
    this.copyMetricsRows(m, row, Infinity, fresh);
    const added = this.count - before;
    if (added > 0) this.version++;
    return added;
  }

  /** Copies the rows from `start` on whose seq is below `belowSeq` and not seen yet; returns the first row left.
   *  `fresh`: the seqs of `from` increase and are above all seen before this history, so the new rows are one range
   *  (after any at or below the last seq taken, which an eval or other event of the same seq took). */
  private copyMetricsRows(from: SentMetricColumns, start: number, belowSeq: number, fresh: boolean): number {
    let end = start;
    while (end < from.seq.length && from.seq[end] < belowSeq) end++;
    if (!fresh) {
      const rows: number[] = [];
      for (let row = start; row < end; row++) {
        if (!this.isNew(from.seq[row])) continue;
        this.markSeen(from.seq[row]);
        rows.push(row);
      }
      this.appendRows(from, rows);
      return end;
    }
    let first = start;
    while (first < end && from.seq[first] <= this.maxSeq) first++;
    if (first === end) return end;
    this.count += end - first;
    this.maxSeq = from.seq[end - 1];
    if (this.seenSet !== null) for (let row = first; row < end; row++) this.seenSet.add(from.seq[row]);
    const firstNew = this.metrics.seq.length;
    copyRange(METRICS_TABLE, from, this.metrics, first, end);
    // Into an empty table (init) cached series were empty: rebuilt on demand.
    if (firstNew === 0) this.seriesCache.clear();
    else this.extendSeries(firstNew);
    return end;
  }

  /** Appends rows `rows` of `from` (already marked seen). */
  private appendRows(from: SentMetricColumns, rows: readonly number[]): void {
    if (rows.length === 0) return;
    const firstNew = this.metrics.seq.length;
    copyRows(METRICS_TABLE, from, this.metrics, rows);
    this.extendSeries(firstNew);
  }

  /** Extends the cached series with the metrics rows from `firstNew` on. */
  private extendSeries(firstNew: number): void {
    const rows = this.metrics.seq.length;
    for (const cached of this.seriesCache.values()) {
      if (cached.whole) {
        if (allFinite(this.metrics[cached.key], firstNew)) continue;
        // A line without a value: from now on the series keeps its own points.
        cached.whole = false;
        firstNew = 0;
      }
      for (let row = firstNew; row < rows; row++) this.pushPoint(cached, row);
    }
  }

  /** The compact form of everything kept (after a resume, the replaced steps are gone): copies, in seq order. */
  compact(): MonitorHistory {
    return {
      metrics: sentOfRows(METRICS_TABLE, this.metrics, rowsInSeqOrder(this.metrics)),
      evals: sentOfEvents(
        EVALS_TABLE,
        [...this.evals].sort((a, b) => a.seq - b.seq),
      ),
      others: [...this.rest].sort((a, b) => a.seq - b.seq),
    };
  }

  /** Metrics line `i` (0-based, negative from the end) as an event; undefined when there is none. */
  metricAt(i: number): MetricsEvent | undefined {
    const row = i < 0 ? this.metrics.seq.length + i : i;
    if (row < 0 || row >= this.metrics.seq.length) return undefined;
    return eventAt(METRICS_TABLE, this.metrics, row);
  }

  /** Adds row `row` to a series when it has a value for it. */
  private pushPoint(series: CachedSeries, row: number): void {
    const y = this.metrics[series.key][row];
    if (!Number.isFinite(y)) return;
    series.xs.push(xOf(this, this.metrics.step[row], this.metrics.tokens_seen[row], series.x));
    series.ys.push(y);
  }

  private apply(event: RunEvent): void {
    if (event.type === 'metrics') {
      this.appendMetrics([event]);
      return;
    }
    if (event.type !== 'eval') this.rest.push(event);
    switch (event.type) {
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
      case 'attempt':
        // An automatic restart: the failed attempt's error and end are not this one's outcome.
        this.attempts.push(event);
        this.errors.length = 0;
        this.done = null;
        break;
      case 'done':
        this.done = event;
        break;
      case 'tracker':
        this.trackers.set(event.tracker, event);
        break;
    }
  }

  private truncateAfter(step: number): void {
    // The replaced lines stay seen (a replay of them is ignored): the set is built while they are still here.
    this.seen();
    this.seriesCache.clear();
    this.valued.clear();
    this.rowsLookedAt.clear();
    const keep: number[] = [];
    this.metrics.step.forEach((s, row) => {
      if (s <= step) keep.push(row);
    });
    keepRows(METRICS_TABLE, this.metrics, keep);
    const keepEvals = this.evals.filter((e) => e.step <= step);
    this.evals.splice(0, this.evals.length, ...keepEvals);
    // A new attempt starts with a clean outcome.
    this.done = null;
  }

  /** The values of one metric as columns: the store's own columns when every line has a value and x is the step
   *  (loss, learning rate, ...: no copy), else points kept per series and extended as events arrive. Shared: a
   *  later event may extend what is returned (copy to keep a snapshot). */
  seriesColumns(key: MetricField, x: XAxisKind): SeriesColumns {
    const id = `${key}:${x}`;
    let cached = this.seriesCache.get(id);
    if (cached === undefined) {
      cached = { key, x, whole: x === 'step' && allFinite(this.metrics[key], 0), xs: [], ys: [] };
      if (!cached.whole) for (let row = 0; row < this.metrics.seq.length; row++) this.pushPoint(cached, row);
      this.seriesCache.set(id, cached);
    }
    return cached.whole ? { xs: this.metrics.step, ys: this.metrics[key] } : cached;
  }

  /** Whether a metric has a value on any line. */
  hasValues(key: MetricField): boolean {
    if (this.valued.has(key)) return true;
    const column = this.metrics[key];
    for (let row = this.rowsLookedAt.get(key) ?? 0; row < column.length; row++) {
      if (!Number.isNaN(column[row])) {
        this.valued.add(key);
        return true;
      }
    }
    this.rowsLookedAt.set(key, column.length);
    return false;
  }

  get lastMetrics(): MetricsEvent | undefined {
    return this.metricAt(-1);
  }

  get lastEval(): EvalEvent | undefined {
    return this.evals[this.evals.length - 1];
  }

  /** Total steps as the trainer announced it (plan, or the latest metrics line). */
  get totalSteps(): number | null {
    return this.lastMetrics?.total_steps ?? this.plan?.total_steps ?? null;
  }
}

/** A metric's chart series: the store's columns (`whole`), or its own points extended row by row as lines arrive. */
interface CachedSeries {
  key: MetricField;
  x: XAxisKind;
  /** Every line so far has a value and x is the step: the series is the store's step and metric columns. */
  whole: boolean;
  xs: number[];
  ys: number[];
}

/** Whether every value of `values` from `from` on is finite. */
function allFinite(values: Float64Array, from: number): boolean {
  for (let i = from; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Whether `seqs` strictly increase, all above `above`. */
function increasingAbove(seqs: ArrayLike<number>, above: number): boolean {
  let last = above;
  for (let i = 0; i < seqs.length; i++) {
    if (!(seqs[i] > last)) return false;
    last = seqs[i];
  }
  return true;
}

/** tokens_seen when the trainer reports it; otherwise estimated from the plan's tokens per step. */
function xOf(history: RunHistory, step: number, tokensSeen: number | undefined, kind: XAxisKind): number {
  if (kind === 'step') return step;
  // NaN: the line has no tokens_seen.
  if (tokensSeen !== undefined && !Number.isNaN(tokensSeen)) return tokensSeen;
  const plan = history.plan;
  if (plan !== null && plan.total_steps > 0) return Math.round((plan.train_tokens * plan.epochs * step) / plan.total_steps);
  return step;
}

/** One metric as columns, what the charts take: no point object per step. */
export function metricColumns(history: RunHistory, key: MetricField, x: XAxisKind = 'step'): SeriesColumns {
  return history.seriesColumns(key, x);
}

/** One evaluation field (eval_loss by default) as points. */
export function evalSeries(history: RunHistory, x: XAxisKind = 'step', key: EvalField = 'eval_loss'): Point[] {
  // Evaluations carry no tokens_seen: take it from the metrics line of the same step when there is one.
  const tokensAtStep = new Map<number, number>();
  const m = history.metrics;
  if (x === 'tokens') for (let row = 0; row < m.seq.length; row++) if (!Number.isNaN(m.tokens_seen[row])) tokensAtStep.set(m.step[row], m.tokens_seen[row]);
  const points: Point[] = [];
  for (const e of history.evals) {
    const y = e[key];
    if (typeof y === 'number') points.push({ x: xOf(history, e.step, tokensAtStep.get(e.step), x), y });
  }
  return points;
}

/** What a chart draws for one field: the columns of a metric, the points of an evaluation field. */
export function fieldSeries(history: RunHistory, of: ChartField, x: XAxisKind = 'step'): SeriesColumns | Point[] {
  return of.source === 'metrics' ? metricColumns(history, of.field, x) : evalSeries(history, x, of.field);
}

/** Whether a field has a value on any line. */
export function hasFieldValues(history: RunHistory, of: ChartField): boolean {
  return of.source === 'metrics' ? hasSeries(history, of.field) : history.evals.some((e) => typeof e[of.field] === 'number');
}

/** Whether a metric has a value on any line (a chart with none is not shown). */
export function hasSeries(history: RunHistory, key: MetricField): boolean {
  return history.hasValues(key);
}
