// The compact form of a run's history that the monitor panel receives in `init` and keeps in its saved state.
// A long run is almost all metrics lines: 100k of them as objects cost seconds to clone across the webview
// boundary and to validate one by one. Here metrics and evaluations travel as columns of plain numbers (one array
// per field, index i = the i-th line), which clone as flat arrays and validate with one loop per column; the few
// other events (stages, plan, logs, errors, checkpoints, done) stay RunEvent objects. Lossless for what the panel
// reads: `ts` becomes epoch milliseconds, and an absent optional field and a null read the same (null).
import * as z from 'zod';
import { RunEvent, type EvalEvent, type MetricsEvent } from '../contracts/events';

export interface MetricColumns {
  seq: number[];
  /** Epoch milliseconds of `ts`; null when the trainer wrote a time Date cannot read. */
  t: (number | null)[];
  step: number[];
  total_steps: (number | null)[];
  epoch: number[];
  loss: number[];
  learning_rate: number[];
  grad_norm: (number | null)[];
  tokens_per_s: number[];
  samples_per_s: number[];
  tokens_seen: (number | null)[];
  gpu_util: (number | null)[];
  gpu_mem_gb: (number | null)[];
}

export interface EvalColumns {
  seq: number[];
  t: (number | null)[];
  step: number[];
  eval_loss: number[];
  perplexity: number[];
}

export interface MonitorHistory {
  metrics: MetricColumns;
  evals: EvalColumns;
  /** Every event that is neither metrics nor eval, in seq order. */
  others: RunEvent[];
}

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
function numberColumn<T>(nullable: boolean) {
  const what = nullable ? 'a finite number or null' : 'a finite number';
  return z.custom<T>((value) => Array.isArray(value), 'expected an array of numbers').check((ctx) => {
    const values = ctx.value as unknown[];
    const bad = firstBadIndex(values, nullable);
    if (bad >= 0) ctx.issues.push({ code: 'custom', input: values[bad], path: [bad], message: `expected ${what}, got ${String(values[bad])}` });
  });
}
const numbers = numberColumn<number[]>(false);
const nullableNumbers = numberColumn<(number | null)[]>(true);

/** All columns of a table have as many rows as `seq`. */
function sameLengths(table: Record<string, unknown[]>, ctx: z.core.$RefinementCtx): void {
  const rows = table.seq.length;
  for (const [name, column] of Object.entries(table)) {
    if (column.length !== rows) ctx.addIssue({ code: 'custom', path: [name], message: `has ${column.length} rows, seq has ${rows}` });
  }
}

export const MetricColumns = z
  .object({
    seq: numbers,
    t: nullableNumbers,
    step: numbers,
    total_steps: nullableNumbers,
    epoch: numbers,
    loss: numbers,
    learning_rate: numbers,
    grad_norm: nullableNumbers,
    tokens_per_s: numbers,
    samples_per_s: numbers,
    tokens_seen: nullableNumbers,
    gpu_util: nullableNumbers,
    gpu_mem_gb: nullableNumbers,
  })
  .superRefine(sameLengths);

export const EvalColumns = z
  .object({ seq: numbers, t: nullableNumbers, step: numbers, eval_loss: numbers, perplexity: numbers })
  .superRefine(sameLengths);

export const MonitorHistory = z.object({ metrics: MetricColumns, evals: EvalColumns, others: z.array(RunEvent) });

// ---- building and reading

function emptyMetrics(): MetricColumns {
  return {
    seq: [], t: [], step: [], total_steps: [], epoch: [], loss: [], learning_rate: [], grad_norm: [], tokens_per_s: [],
    samples_per_s: [], tokens_seen: [], gpu_util: [], gpu_mem_gb: [],
  };
}

export function emptyHistory(): MonitorHistory {
  return { metrics: emptyMetrics(), evals: { seq: [], t: [], step: [], eval_loss: [], perplexity: [] }, others: [] };
}

function millis(ts: string): number | null {
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t : null;
}

function inSeqOrder(events: readonly RunEvent[]): readonly RunEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i].seq < events[i - 1].seq) return [...events].sort((a, b) => a.seq - b.seq);
  }
  return events;
}

/** The compact form of a history (any order; the columns and `others` come out in seq order, each seq once: a
 *  replayed or overlapping read never doubles a line, and the panel takes the columns in without checking each). */
export function compactHistory(events: readonly RunEvent[]): MonitorHistory {
  const history = emptyHistory();
  const m = history.metrics;
  const e = history.evals;
  let lastSeq = -Infinity;
  for (const event of inSeqOrder(events)) {
    if (event.seq === lastSeq) continue;
    lastSeq = event.seq;
    if (event.type === 'metrics') {
      m.seq.push(event.seq);
      m.t.push(millis(event.ts));
      m.step.push(event.step);
      m.total_steps.push(event.total_steps ?? null);
      m.epoch.push(event.epoch);
      m.loss.push(event.loss);
      m.learning_rate.push(event.learning_rate);
      m.grad_norm.push(event.grad_norm ?? null);
      m.tokens_per_s.push(event.tokens_per_s);
      m.samples_per_s.push(event.samples_per_s);
      m.tokens_seen.push(event.tokens_seen ?? null);
      m.gpu_util.push(event.gpu_util ?? null);
      m.gpu_mem_gb.push(event.gpu_mem_gb ?? null);
    } else if (event.type === 'eval') {
      e.seq.push(event.seq);
      e.t.push(millis(event.ts));
      e.step.push(event.step);
      e.eval_loss.push(event.eval_loss);
      e.perplexity.push(event.perplexity);
    } else {
      history.others.push(event);
    }
  }
  return history;
}

const isoOf = (t: number | null) => (t === null ? '' : new Date(t).toISOString());

function metricsAt(m: MetricColumns, i: number): MetricsEvent {
  const event: MetricsEvent = {
    v: 1, seq: m.seq[i], ts: isoOf(m.t[i]), type: 'metrics', step: m.step[i], epoch: m.epoch[i], loss: m.loss[i],
    learning_rate: m.learning_rate[i], tokens_per_s: m.tokens_per_s[i], samples_per_s: m.samples_per_s[i],
  };
  // Optional fields only when present, so `'tokens_seen' in event` and `=== undefined` read as in the original.
  if (m.total_steps[i] !== null) event.total_steps = m.total_steps[i] as number;
  if (m.grad_norm[i] !== null) event.grad_norm = m.grad_norm[i];
  if (m.tokens_seen[i] !== null) event.tokens_seen = m.tokens_seen[i] as number;
  if (m.gpu_util[i] !== null) event.gpu_util = m.gpu_util[i];
  if (m.gpu_mem_gb[i] !== null) event.gpu_mem_gb = m.gpu_mem_gb[i];
  return event;
}

function evalAt(e: EvalColumns, i: number): EvalEvent {
  return { v: 1, seq: e.seq[i], ts: isoOf(e.t[i]), type: 'eval', step: e.step[i], eval_loss: e.eval_loss[i], perplexity: e.perplexity[i] };
}

/** The events again, merged in seq order (the order the panel must apply them in: a resume's plan truncates the
 *  points after its checkpoint, and only the lines before it). */
export function expandHistory(history: MonitorHistory): RunEvent[] {
  const { metrics: m, evals: e, others } = history;
  const out: RunEvent[] = new Array(m.seq.length + e.seq.length + others.length);
  let i = 0;
  let j = 0;
  let k = 0;
  for (let n = 0; n < out.length; n++) {
    const ms = i < m.seq.length ? m.seq[i] : Infinity;
    const es = j < e.seq.length ? e.seq[j] : Infinity;
    const os = k < others.length ? others[k].seq : Infinity;
    if (ms <= es && ms <= os) out[n] = metricsAt(m, i++);
    else if (es <= os) out[n] = evalAt(e, j++);
    else out[n] = others[k++];
  }
  return out;
}
