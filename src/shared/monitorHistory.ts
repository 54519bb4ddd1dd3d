// The one column store of a run's metrics and evaluations, used by the extension host (to build what it sends)
// and the webviews (to keep and chart it), and the compact form of a history that travels between them: in the
// monitor's `init`, in every live `events` batch, and in its saved state.
// A long run is almost all metrics lines: 100k of them as objects cost seconds to clone across the webview
// boundary and to validate one by one. Here metrics and evaluations travel as columns of plain numbers (one array
// per field, index i = the i-th line), which clone as flat arrays and validate with one loop per column; the few
// other events (stages, plan, logs, errors, checkpoints, done) stay RunEvent objects. Lossless for what the panels
// read: `ts` becomes epoch milliseconds, and an absent optional field and a null read the same (null).
// A column of nulls only is not sent (an absent column reads as all null): an SFT run reports none of the preference
// metrics, and 8 columns of 100k nulls would grow the message and its clone by a third for nothing.
// The columns are the fields of the metrics and eval schemas (metricFields, evalFields): a field added there is
// stored, validated and sent with no edit here.
import * as z from 'zod';
import { evalFields, EvalEvent, metricFields, MetricsEvent, RunEvent, type EvalField, type MetricField } from '../contracts/events';
import { lazySchema } from '../contracts/lazySchema';

/** A required number is a column of numbers; an optional or nullable one a column of numbers and nulls. */
type Column<V> = undefined extends V ? (number | null)[] : null extends V ? (number | null)[] : number[];
interface RowKeys {
  seq: number[];
  /** Epoch milliseconds of `ts`; null when the trainer wrote a time Date cannot read. */
  t: (number | null)[];
}
export type MetricColumns = RowKeys & { [K in MetricField]-?: Column<MetricsEvent[K]> };
export type EvalColumns = RowKeys & { [K in EvalField]-?: Column<EvalEvent[K]> };

/** The columns as sent: a nullable column that holds only nulls may be absent. */
type ElementOf<C> = C extends readonly (infer V)[] ? V : never;
export type Sparse<T> = { [K in keyof T as null extends ElementOf<T[K]> ? never : K]: T[K] } & {
  [K in keyof T as null extends ElementOf<T[K]> ? K : never]?: T[K];
};
export type SentMetricColumns = Sparse<MetricColumns>;
export type SentEvalColumns = Sparse<EvalColumns>;

export interface MonitorHistory {
  metrics: SentMetricColumns;
  evals: SentEvalColumns;
  /** Every event that is neither metrics nor eval, in seq order. */
  others: RunEvent[];
}

/** A table as the code below sees it, whichever event it holds (a sent table may lack its all-null columns). */
type Table = Record<string, (number | null)[] | undefined>;
/** A table with every column present (a store). */
type FullTable = Record<string, (number | null)[]>;

/** What a table holds: the event type, its columns, and which of them may be null (optional in the schema). */
export interface TableSpec<E extends MetricsEvent | EvalEvent> {
  type: E['type'];
  columns: readonly string[];
  fields: readonly string[];
  nullable: ReadonlySet<string>;
}

/** The columns are read from the schema on first use, so that loading this module builds no schema (lazySchema.ts). */
function tableSpec<E extends MetricsEvent | EvalEvent>(type: E['type'], schema: z.ZodObject, fieldsOf: () => readonly string[]): TableSpec<E> {
  let derived: Omit<TableSpec<E>, 'type'> | undefined;
  const derive = () => {
    if (derived) return derived;
    const fields = fieldsOf();
    const shape = schema.shape as Record<string, z.ZodType>;
    const nullable = new Set(fields.filter((f) => shape[f].safeParse(undefined).success || shape[f].safeParse(null).success));
    return (derived = { columns: ['seq', 't', ...fields], fields, nullable });
  };
  return {
    type,
    get columns() {
      return derive().columns;
    },
    get fields() {
      return derive().fields;
    },
    get nullable() {
      return derive().nullable;
    },
  };
}

export const METRICS_TABLE = tableSpec<MetricsEvent>('metrics', MetricsEvent, metricFields);
export const EVALS_TABLE = tableSpec<EvalEvent>('eval', EvalEvent, evalFields);

// ---- validation: one pass per column, no per-element schema objects

/** Index of the first element that is not a finite number (or null where allowed); -1 when all are fine. */
function firstBadIndex(values: unknown[], nullable: boolean): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' ? !Number.isFinite(v) : !(nullable && v === null)) return i;
  }
  return -1;
}

/** An array of finite numbers (or nulls): checked with one loop, the first bad element named in the error. */
function numberColumn(nullable: boolean) {
  const what = nullable ? 'a finite number or null' : 'a finite number';
  return z
    .custom<(number | null)[]>((value) => Array.isArray(value), 'expected an array of numbers')
    .check((ctx) => {
      const values = ctx.value as unknown[];
      const bad = firstBadIndex(values, nullable);
      if (bad >= 0) ctx.issues.push({ code: 'custom', input: values[bad], path: [bad], message: `expected ${what}, got ${String(values[bad])}` });
    });
}

/** All columns of a table have as many rows as `seq`. */
function sameLengths(table: Record<string, unknown[] | undefined>, ctx: z.core.$RefinementCtx): void {
  const rows = table.seq?.length ?? 0;
  for (const [name, column] of Object.entries(table)) {
    if (column !== undefined && column.length !== rows) ctx.addIssue({ code: 'custom', path: [name], message: `has ${column.length} rows, seq has ${rows}` });
  }
}

/** A nullable column may be absent (all null); the others are required. */
function tableSchema<T>(spec: TableSpec<MetricsEvent | EvalEvent>) {
  const shape = Object.fromEntries(
    spec.columns.map((c) => {
      const nullable = c === 't' || spec.nullable.has(c);
      return [c, nullable ? numberColumn(true).optional() : numberColumn(false)];
    }),
  );
  return z.object(shape).superRefine(sameLengths) as unknown as z.ZodType<T>;
}

export const MetricColumns = lazySchema(() => tableSchema<SentMetricColumns>(METRICS_TABLE));
export const EvalColumns = lazySchema(() => tableSchema<SentEvalColumns>(EVALS_TABLE));
export const MonitorHistory = lazySchema(() => z.object({ metrics: MetricColumns, evals: EvalColumns, others: z.array(RunEvent) }));

// ---- building and reading tables

export function emptyTable(spec: TableSpec<MetricsEvent>): MetricColumns;
export function emptyTable(spec: TableSpec<EvalEvent>): EvalColumns;
export function emptyTable(spec: TableSpec<MetricsEvent> | TableSpec<EvalEvent>): MetricColumns | EvalColumns {
  return Object.fromEntries(spec.columns.map((c) => [c, []])) as unknown as MetricColumns | EvalColumns;
}

export function emptyHistory(): MonitorHistory {
  return { metrics: emptyTable(METRICS_TABLE), evals: emptyTable(EVALS_TABLE), others: [] };
}

export function millis(ts: string): number | null {
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t : null;
}

const isoOf = (t: number | null) => (t === null ? '' : new Date(t).toISOString());

/** Appends one event as a row. */
export function appendEvent(spec: TableSpec<MetricsEvent>, table: MetricColumns, event: MetricsEvent): void;
export function appendEvent(spec: TableSpec<EvalEvent>, table: EvalColumns, event: EvalEvent): void;
export function appendEvent(spec: TableSpec<MetricsEvent | EvalEvent>, table: object, event: MetricsEvent | EvalEvent): void {
  const t = table as FullTable;
  const e = event as unknown as Record<string, number | null | undefined>;
  t.seq.push(event.seq);
  t.t.push(millis(event.ts));
  for (const field of spec.fields) t[field].push(e[field] ?? null);
}

/** Row `row` as the event again; optional fields only when present, so `'tokens_seen' in event` and
 *  `=== undefined` read as in the original. */
export function eventAt(spec: TableSpec<MetricsEvent>, table: SentMetricColumns, row: number): MetricsEvent;
export function eventAt(spec: TableSpec<EvalEvent>, table: SentEvalColumns, row: number): EvalEvent;
export function eventAt(spec: TableSpec<MetricsEvent | EvalEvent>, table: object, row: number): MetricsEvent | EvalEvent {
  const t = table as Table;
  const event: Record<string, unknown> = { v: 1, seq: t.seq![row], ts: isoOf(t.t?.[row] ?? null), type: spec.type };
  for (const field of spec.fields) {
    const value = t[field]?.[row] ?? null;
    if (value !== null) event[field] = value;
  }
  return event as unknown as MetricsEvent | EvalEvent;
}

/** Appends rows `rows` of `from` (a sent table: an absent column reads as nulls) to the store `to` (same spec). */
export function copyRows<T extends MetricColumns | EvalColumns>(
  spec: TableSpec<MetricsEvent | EvalEvent>,
  from: Sparse<T>,
  to: T,
  rows: readonly number[],
): void {
  for (const column of spec.columns) {
    const source = (from as unknown as Table)[column];
    const target = (to as unknown as FullTable)[column];
    if (source === undefined) for (let r = 0; r < rows.length; r++) target.push(null);
    else for (let r = 0; r < rows.length; r++) target.push(source[rows[r]]);
  }
}

/** Appends rows `start` to `end` (exclusive) of `from` (a sent table) to the store `to`. Into an empty table the
 *  columns are taken over, not copied, when all rows are (a received history is owned by its receiver: copying
 *  100k-row columns again would double the cost of a first render); otherwise one slice per column. */
export function copyRange<T extends MetricColumns | EvalColumns>(
  spec: TableSpec<MetricsEvent | EvalEvent>,
  from: Sparse<T>,
  to: T,
  start: number,
  end: number,
): void {
  const target = to as unknown as FullTable;
  const source = from as unknown as Table;
  const empty = target.seq.length === 0;
  for (const column of spec.columns) {
    const values = source[column];
    if (values === undefined) {
      if (empty) target[column] = new Array<null>(end - start).fill(null);
      else for (let row = start; row < end; row++) target[column].push(null);
    } else if (empty) target[column] = start === 0 && end === values.length ? values : values.slice(start, end);
    else for (let row = start; row < end; row++) target[column].push(values[row]);
  }
}

/** Keeps only rows `rows` (in that order), in place. */
export function keepRows<T extends MetricColumns | EvalColumns>(spec: TableSpec<MetricsEvent | EvalEvent>, table: T, rows: readonly number[]): void {
  for (const column of spec.columns) {
    const values = (table as unknown as FullTable)[column];
    const kept = rows.map((row) => values[row]);
    values.length = 0;
    for (const v of kept) values.push(v);
  }
}

/** Row numbers in seq order (rows are in arrival order, which is seq order unless a batch came out of order). */
export function rowsInSeqOrder(table: { seq: readonly number[] }): number[] {
  const seq = table.seq;
  const rows = seq.map((_, row) => row);
  if (seq.some((v, row) => row > 0 && v < seq[row - 1])) rows.sort((a, b) => seq[a] - seq[b]);
  return rows;
}

function inSeqOrder(events: readonly RunEvent[]): readonly RunEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i].seq < events[i - 1].seq) return [...events].sort((a, b) => a.seq - b.seq);
  }
  return events;
}

/** The table as sent: without its nullable columns that hold only nulls (the store keeps them all). */
export function withoutEmptyColumns<T extends MetricColumns | EvalColumns>(spec: TableSpec<MetricsEvent | EvalEvent>, table: T): Sparse<T> {
  const sent: Table = {};
  for (const column of spec.columns) {
    const values = (table as unknown as FullTable)[column];
    const nullable = column === 't' || spec.nullable.has(column);
    if (!nullable || values.some((v) => v !== null)) sent[column] = values;
  }
  return sent as unknown as Sparse<T>;
}

/** The compact form of a history or of a live batch (any order; the columns and `others` come out in seq order,
 *  each seq once: a replayed or overlapping read never doubles a line). */
export function compactHistory(events: readonly RunEvent[]): MonitorHistory {
  const metrics = emptyTable(METRICS_TABLE);
  const evals = emptyTable(EVALS_TABLE);
  const others: RunEvent[] = [];
  let lastSeq = -Infinity;
  for (const event of inSeqOrder(events)) {
    if (event.seq === lastSeq) continue;
    lastSeq = event.seq;
    if (event.type === 'metrics') appendEvent(METRICS_TABLE, metrics, event);
    else if (event.type === 'eval') appendEvent(EVALS_TABLE, evals, event);
    else others.push(event);
  }
  return { metrics: withoutEmptyColumns(METRICS_TABLE, metrics), evals: withoutEmptyColumns(EVALS_TABLE, evals), others };
}
