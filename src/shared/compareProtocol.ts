// The compare panel's messages, both directions. Handshake: the webview posts `ready`; the host answers with
// `init`, every selected run with its config and full event history (the webview derives the curves with the
// same code as the monitor). Runs still training stream `events` batches; `runs` replaces the selection.
import * as z from 'zod';
import { RunEvent } from '../contracts/events';
import { RUN_STATES } from '../contracts/status';
import { EvalReport } from '../contracts/evalReport';
import { parseMessage, type ParseResult } from './parseMessage';
import { lazySchema } from '../contracts/lazySchema';
import { SWEEP_METRICS } from '../contracts/sweep';

/** A run of a sweep as Compare marks it: its value of the sweep's metric and its rank among the compared runs of
 *  that sweep (null: not completed, or not measured); `best` marks the sweep's best run. */
export const CompareSweepMark = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    metric: z.enum(SWEEP_METRICS),
    goal: z.enum(['min', 'max']),
    value: z.number().finite().nullable(),
    rank: z.number().int().min(1).nullable(),
    best: z.boolean(),
  }),
);

export const CompareRun = lazySchema(() =>
  z.object({
    runId: z.string().min(1),
    name: z.string().nullable(),
    host: z.string(),
    state: z.enum(RUN_STATES),
    /** The run's resolved config.json (TrainerConfig) as stored; nested objects are flattened for the diff. */
    config: z.record(z.string(), z.unknown()),
    events: z.array(RunEvent),
    /** Total cost in USD; null when no price was known. */
    costUsd: z.number().finite().min(0).nullable(),
    /** The run's last evaluation report (base model against adapter), when it has one. */
    evaluation: EvalReport.nullable().optional(),
    /** Set for a run of a sweep. */
    sweep: CompareSweepMark.nullable().optional(),
  }),
);

// ---- host -> webview

export const CompareInit = lazySchema(() => z.object({ type: z.literal('init'), runs: z.array(CompareRun) }));
export const CompareRuns = lazySchema(() => z.object({ type: z.literal('runs'), runs: z.array(CompareRun) }));
export const CompareEvents = lazySchema(() => z.object({ type: z.literal('events'), runId: z.string(), events: z.array(RunEvent) }));

export const CompareHostMessage = lazySchema(() => z.discriminatedUnion('type', [CompareInit, CompareRuns, CompareEvents]));

// ---- webview -> host

export const CompareReady = lazySchema(() =>
  z.object({
    type: z.literal('ready'),
    /** The runs shown before a reload (from getState), so a restored panel asks for the same selection. */
    runIds: z.array(z.string()),
  }),
);
/** Ask the host to let the user pick more runs (a quick pick); it answers with `runs`. */
export const CompareAddRuns = lazySchema(() => z.object({ type: z.literal('addRuns') }));
export const CompareRemoveRun = lazySchema(() => z.object({ type: z.literal('removeRun'), runId: z.string() }));
export const CompareOpenMonitor = lazySchema(() => z.object({ type: z.literal('openMonitor'), runId: z.string() }));

export const CompareWebviewMessage = lazySchema(() => z.discriminatedUnion('type', [CompareReady, CompareAddRuns, CompareRemoveRun, CompareOpenMonitor]));

export type CompareRun = z.infer<typeof CompareRun>;
export type CompareSweepMark = z.infer<typeof CompareSweepMark>;
export type CompareHostMessage = z.infer<typeof CompareHostMessage>;
export type CompareWebviewMessage = z.infer<typeof CompareWebviewMessage>;

/** What the compare webview persists with setState; the panel serializer receives it as `state`. */
export interface ComparePersistedState {
  runIds: string[];
  xAxis: 'step' | 'tokens';
}

export function parseCompareHostMessage(data: unknown): ParseResult<CompareHostMessage> {
  return parseMessage(CompareHostMessage, data, 'host->compare');
}

export function parseCompareWebviewMessage(data: unknown): ParseResult<CompareWebviewMessage> {
  return parseMessage(CompareWebviewMessage, data, 'compare->host');
}
