// The one column store of a run's metrics and evaluations, used by the extension host (to build what it sends)
// and the webviews (to keep and chart it), and the compact form of a history that travels between them: in the
// monitor's `init`, in every live `events` batch, and in its saved state.
// A long run is almost all metrics lines: 100k of them as objects cost seconds to clone across the webview
// boundary and to validate one by one. Here metrics and evaluations travel as columns, one Float64Array per field
// (index i = the i-th line, NaN where the line has no value). A typed array crosses as one block of bytes (VS Code
// carries typed arrays as buffers; an array mixing numbers and nulls is cloned element by element, every number
// boxed), is validated with one loop, and becomes the receiver's store column as it is: no copy, no conversion.
// The few other events (stages, plan, logs, errors, checkpoints, done) stay RunEvent objects. Lossless for what the
// panels read: `ts` becomes epoch milliseconds, and an absent optional field, a null and a NaN read the same (null).
// A column with no value at all is not sent (an absent column reads as all NaN): an SFT run reports none of the
// preference metrics, and 8 columns of 100k NaNs would grow the message by more than half for nothing.
// The saved state (setState, JSON) keeps the same columns as arrays of numbers and nulls (savedForm); the schema
// reads both forms and gives Float64Arrays.
// The store (RunHistory in the webviews) keeps Float64Array columns too, lengthened as events arrive.
// The columns are the fields of the metrics and eval schemas (metricFields, evalFields): a field added there is
// stored, validated and sent with no edit here.
import * as z from 'zod';
import { evalFields, EvalEvent, metricFields, MetricsEvent, RunEvent, type EvalField, type MetricField } from '../contracts/events';
import { lazySchema } from '../contracts/lazySchema';

/** The fields of an event that may have no value (optional or nullable in its schema). */
type NullableKeys<E> = { [K in keyof E]-?: undefined extends E[K] ? K : null extends E[K] ? K : never }[keyof E];
/** The columns of a table: `seq`, `t` (epoch milliseconds of `ts`, NaN when Date cannot read it) and the fields. */
type Columns<E, F extends keyof E, Value> = { seq: Value; t: Value } & { [K in F]-?: Value };
/** The same columns as sent: a column that may have no value is left out when it has none (reads as all NaN). */
type SentColumns<E, F extends keyof E> = { seq: Float64Array; t?: Float64Array } & { [K in Exclude<F, NullableKeys<E>>]-?: Float64Array } & {
  [K in Extract<F, NullableKeys<E>>]?: Float64Array;
};
/** The sent columns as saved (JSON): arrays, null where a line has no value. */
type SavedColumns<E, F extends keyof E> = { [K in keyof SentColumns<E, F>]: (number | null)[] };

/** The store's tables: every column present, one Float64Array per column (NaN where a line has no value),
 *  lengthened as rows arrive (in place while its buffer has room: see lengthened). */
export type MetricColumns = Columns<MetricsEvent, MetricField, Float64Array>;
export type EvalColumns = Columns<EvalEvent, EvalField, Float64Array>;
export type SentMetricColumns = SentColumns<MetricsEvent, MetricField>;
export type SentEvalColumns = SentColumns<EvalEvent, EvalField>;

export interface MonitorHistory {
  metrics: SentMetricColumns;
  evals: SentEvalColumns;
  /** Every event that is neither metrics nor eval, in seq order. */
  others: RunEvent[];
}

/** The JSON-safe form of a MonitorHistory, for setState (JSON would write a Float64Array as an object). */
export interface SavedMonitorHistory {
  metrics: SavedColumns<MetricsEvent, MetricField>;
  evals: SavedColumns<EvalEvent, EvalField>;
  others: RunEvent[];
}

/** A table as the code below sees it, whichever event it holds: sent (columns may be absent) or store. */
type Table = Record<string, Float64Array | undefined>;
type FullTable = Record<string, Float64Array>;

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
    const nullable = new Set(['t', ...fields.filter((f) => shape[f].safeParse(undefined).success || shape[f].safeParse(null).success)]);
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

/** A cell as an event reads it: null for no value (NaN, or a column left out). */
function cell(column: Float64Array | undefined, row: number): number | null {
  const value = column?.[row];
  return value === undefined || Number.isNaN(value) ? null : value;
}

// ---- validation: one pass per column, no per-element schema objects

function isFloat64Array(value: unknown): value is Float64Array {
  return value instanceof Float64Array || Object.prototype.toString.call(value) === '[object Float64Array]';
}

/** Index of the first element that is not a finite number (nor null or NaN where allowed); -1 when all are fine. */
function firstBadIndex(values: Float64Array | unknown[], nullable: boolean): number {
  if (isFloat64Array(values)) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) && !(nullable && Number.isNaN(v))) return i;
    }
    return -1;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' ? !Number.isFinite(v) && !(nullable && Number.isNaN(v)) : !(nullable && v === null)) return i;
  }
  return -1;
}

/** A column sent (Float64Array) or saved (array of numbers and nulls), checked with one loop (the first bad element
 *  named in the error), read as a Float64Array. */
function numberColumn(nullable: boolean) {
  const what = nullable ? 'a finite number or null' : 'a finite number';
  return z
    .custom<Float64Array | (number | null)[]>((value) => isFloat64Array(value) || Array.isArray(value), 'expected a Float64Array or an array of numbers')
    .check((ctx) => {
      const values = ctx.value as Float64Array | unknown[];
      const bad = firstBadIndex(values, nullable);
      if (bad >= 0) ctx.issues.push({ code: 'custom', input: values[bad], path: [bad], message: `expected ${what}, got ${String(values[bad])}` });
    })
    .transform((values) => (isFloat64Array(values) ? values : Float64Array.from(values, (v) => v ?? Number.NaN)));
}

/** All columns of a table have as many rows as `seq`. */
function sameLengths(table: Record<string, ArrayLike<unknown> | undefined>, ctx: z.core.$RefinementCtx): void {
  const rows = table.seq?.length ?? 0;
  for (const [name, column] of Object.entries(table)) {
    if (column !== undefined && column.length !== rows) ctx.addIssue({ code: 'custom', path: [name], message: `has ${column.length} rows, seq has ${rows}` });
  }
}

/** A nullable column may be absent (all null); the others are required. */
function tableSchema<T>(spec: TableSpec<MetricsEvent | EvalEvent>) {
  const shape = Object.fromEntries(
    spec.columns.map((c) => {
      const nullable = spec.nullable.has(c);
      return [c, nullable ? numberColumn(true).optional() : numberColumn(false)];
    }),
  );
  return z.object(shape).superRefine(sameLengths) as unknown as z.ZodType<T>;
}

export const MetricColumns = lazySchema(() => tableSchema<SentMetricColumns>(METRICS_TABLE));
export const EvalColumns = lazySchema(() => tableSchema<SentEvalColumns>(EVALS_TABLE));
/** A history sent (Float64Array columns) or saved (arrays), read as sent. */
export const MonitorHistory = lazySchema(
  () => z.object({ metrics: MetricColumns, evals: EvalColumns, others: z.array(RunEvent) }) as unknown as z.ZodType<MonitorHistory>,
);

// ---- the store: building and reading tables

export function emptyTable(spec: TableSpec<MetricsEvent>): MetricColumns;
export function emptyTable(spec: TableSpec<EvalEvent>): EvalColumns;
export function emptyTable(spec: TableSpec<MetricsEvent> | TableSpec<EvalEvent>): MetricColumns | EvalColumns {
  return Object.fromEntries(spec.columns.map((c) => [c, new Float64Array(0)])) as unknown as MetricColumns | EvalColumns;
}

export function millis(ts: string): number | null {
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t : null;
}

const isoOf = (t: number | null) => (t === null ? '' : new Date(t).toISOString());

/** `column` with `extra` more rows (unset): a longer view of the same buffer while it has room, else a copy into a
 *  buffer of twice the rows, so appending row by row costs amortised constant time. Only a buffer this module
 *  allocated has room: a column taken over from a message fills its buffer exactly, so a history shared with
 *  another reader is never written to. */
function lengthened(column: Float64Array, extra: number): Float64Array {
  const rows = column.length + extra;
  if (column.byteOffset === 0 && spare.has(column.buffer) && column.buffer.byteLength >= rows * Float64Array.BYTES_PER_ELEMENT) {
    return new Float64Array(column.buffer, 0, rows);
  }
  const buffer = new ArrayBuffer(Math.max(64, rows * 2) * Float64Array.BYTES_PER_ELEMENT);
  spare.add(buffer);
  const grown = new Float64Array(buffer, 0, rows);
  grown.set(column);
  return grown;
}
/** The buffers lengthened() allocated: room past a column's last row is this store's own. */
const spare = new WeakSet<ArrayBufferLike>();

/** Appends events (all of the table's type) as rows. */
export function appendEvents(spec: TableSpec<MetricsEvent>, table: MetricColumns, events: readonly MetricsEvent[]): void;
export function appendEvents(spec: TableSpec<EvalEvent>, table: EvalColumns, events: readonly EvalEvent[]): void;
export function appendEvents(spec: TableSpec<MetricsEvent | EvalEvent>, table: object, events: readonly (MetricsEvent | EvalEvent)[]): void {
  const t = table as FullTable;
  const first = t.seq.length;
  const rows = events as unknown as readonly Record<string, number | null | undefined>[];
  for (const column of spec.columns) {
    const values = lengthened(t[column], events.length);
    for (let i = 0; i < events.length; i++) {
      const value = column === 't' ? millis(events[i].ts) : rows[i][column];
      values[first + i] = value ?? Number.NaN;
    }
    t[column] = values;
  }
}

/** Row `row` of a table (sent or store) as the event again; optional fields only when present, so
 *  `'tokens_seen' in event` and `=== undefined` read as in the original. */
export function eventAt(spec: TableSpec<MetricsEvent>, table: SentMetricColumns | MetricColumns, row: number): MetricsEvent;
export function eventAt(spec: TableSpec<EvalEvent>, table: SentEvalColumns | EvalColumns, row: number): EvalEvent;
export function eventAt(spec: TableSpec<MetricsEvent | EvalEvent>, table: object, row: number): MetricsEvent | EvalEvent {
  const t = table as Table;
  const event: Record<string, unknown> = { v: 1, seq: t.seq![row], ts: isoOf(cell(t.t, row)), type: spec.type };
  for (const field of spec.fields) {
    const value = cell(t[field], row);
    if (value !== null) event[field] = value;
  }
  return event as unknown as MetricsEvent | EvalEvent;
}

/** Appends rows `rows` of `from` (a sent table: an absent column reads as NaN) to the store `to` (same spec). */
export function copyRows<T extends MetricColumns | EvalColumns>(spec: TableSpec<MetricsEvent | EvalEvent>, from: object, to: T, rows: readonly number[]): void {
  const source = from as Table;
  const target = to as unknown as FullTable;
  const first = target.seq.length;
  for (const column of spec.columns) {
    const values = lengthened(target[column], rows.length);
    const sourceValues = source[column];
    for (let r = 0; r < rows.length; r++) values[first + r] = sourceValues === undefined ? Number.NaN : sourceValues[rows[r]];
    target[column] = values;
  }
}

/** Appends rows `start` to `end` (exclusive) of `from` (a sent table) to the store `to`, one block copy per column.
 *  All of `from` into an empty store takes its columns over, uncopied: the receiver of a message owns it (and a
 *  taken-over column is never written to, see lengthened). */
export function copyRange<T extends MetricColumns | EvalColumns>(
  spec: TableSpec<MetricsEvent | EvalEvent>,
  from: object,
  to: T,
  start: number,
  end: number,
): void {
  const source = from as Table;
  const target = to as unknown as FullTable;
  const whole = target.seq.length === 0 && start === 0 && end === (source.seq?.length ?? 0);
  for (const column of spec.columns) {
    const values = source[column];
    if (whole) target[column] = values ?? new Float64Array(end).fill(Number.NaN);
    else {
      const first = target[column].length;
      const grown = lengthened(target[column], end - start);
      if (values === undefined) grown.fill(Number.NaN, first);
      else grown.set(values.subarray(start, end), first);
      target[column] = grown;
    }
  }
}

/** Keeps only rows `rows` (in that order), into new columns (a column may be shared with its sender). */
export function keepRows<T extends MetricColumns | EvalColumns>(spec: TableSpec<MetricsEvent | EvalEvent>, table: T, rows: readonly number[]): void {
  const t = table as unknown as FullTable;
  for (const column of spec.columns) {
    const values = t[column];
    t[column] = Float64Array.from(rows, (row) => values[row]);
  }
}

/** Row numbers in seq order (rows are in arrival order, which is seq order unless a batch came out of order). */
export function rowsInSeqOrder(table: { seq: Float64Array }): number[] {
  const seq = table.seq;
  const rows = Array.from({ length: seq.length }, (_, row) => row);
  if (seq.some((v, row) => row > 0 && v < seq[row - 1])) rows.sort((a, b) => seq[a] - seq[b]);
  return rows;
}

function inSeqOrder(events: readonly RunEvent[]): readonly RunEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i].seq < events[i - 1].seq) return [...events].sort((a, b) => a.seq - b.seq);
  }
  return events;
}

// ---- the sent and saved forms

/** A sent table of `rows` rows, `valueAt(column, row)` giving each cell (null: no value). A nullable column without
 *  any value is left out. */
function sentTable<T>(spec: TableSpec<MetricsEvent | EvalEvent>, rows: number, valueAt: (column: string, row: number) => number | null): T {
  const table: FullTable = {};
  for (const column of spec.columns) {
    const values = new Float64Array(rows);
    let valued = false;
    for (let row = 0; row < rows; row++) {
      const value = valueAt(column, row);
      if (value === null || Number.isNaN(value)) values[row] = Number.NaN;
      else {
        values[row] = value;
        valued = true;
      }
    }
    if (valued || !spec.nullable.has(column)) table[column] = values;
  }
  return table as unknown as T;
}

/** The events (all of the table's type, in order) as a sent table. */
export function sentOfEvents(spec: TableSpec<MetricsEvent>, events: readonly MetricsEvent[]): SentMetricColumns;
export function sentOfEvents(spec: TableSpec<EvalEvent>, events: readonly EvalEvent[]): SentEvalColumns;
export function sentOfEvents(spec: TableSpec<MetricsEvent | EvalEvent>, events: readonly (MetricsEvent | EvalEvent)[]): SentMetricColumns | SentEvalColumns {
  const rows = events as unknown as readonly Record<string, number | null | undefined>[];
  return sentTable(spec, events.length, (column, row) => {
    if (column === 't') return millis(events[row].ts);
    return rows[row][column] ?? null;
  });
}

/** Rows `rows` (in that order) of a store table as a sent table (copies). */
export function sentOfRows(spec: TableSpec<MetricsEvent>, table: MetricColumns, rows: readonly number[]): SentMetricColumns;
export function sentOfRows(spec: TableSpec<EvalEvent>, table: EvalColumns, rows: readonly number[]): SentEvalColumns;
export function sentOfRows(spec: TableSpec<MetricsEvent | EvalEvent>, table: object, rows: readonly number[]): SentMetricColumns | SentEvalColumns {
  const t = table as FullTable;
  return sentTable(spec, rows.length, (column, row) => t[column][rows[row]]);
}

/** The compact form of a history or of a live batch (any order; the columns and `others` come out in seq order,
 *  each seq once: a replayed or overlapping read never doubles a line). */
export function compactHistory(events: readonly RunEvent[]): MonitorHistory {
  const metrics: MetricsEvent[] = [];
  const evals: EvalEvent[] = [];
  const others: RunEvent[] = [];
  let lastSeq = -Infinity;
  for (const event of inSeqOrder(events)) {
    if (event.seq === lastSeq) continue;
    lastSeq = event.seq;
    if (event.type === 'metrics') metrics.push(event);
    else if (event.type === 'eval') evals.push(event);
    else others.push(event);
  }
  return { metrics: sentOfEvents(METRICS_TABLE, metrics), evals: sentOfEvents(EVALS_TABLE, evals), others };
}

export function emptyHistory(): MonitorHistory {
  return compactHistory([]);
}

/** A history as setState can keep it (JSON): the columns as arrays, null where a line has no value. */
export function savedForm(history: MonitorHistory): SavedMonitorHistory {
  const saved = (table: object) =>
    Object.fromEntries(Object.entries(table as FullTable).map(([column, values]) => [column, Array.from(values, (v) => (Number.isNaN(v) ? null : v))]));
  return { metrics: saved(history.metrics), evals: saved(history.evals), others: history.others } as unknown as SavedMonitorHistory;
}
