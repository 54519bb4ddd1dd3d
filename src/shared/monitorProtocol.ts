// The monitor panel's messages, both directions. The host owns the run (events, status, cost); the webview
// only renders and asks for actions. Handshake: the webview posts `ready`; the host answers with `init`, the
// full state including the whole event history in its compact form (monitorHistory.ts: a 100k-step history as
// Float64Array columns, not 100k objects; a re-attached or reloaded panel replays everything), then streams
// `events` batches (in the same compact form), `summary` updates and `log` lines. The webview drops events whose
// `seq` it has.
import * as z from 'zod';
import { STAGE_NAMES } from '../contracts/events';
import { RUN_STATES } from '../contracts/status';
import { MonitorHistory, type SavedMonitorHistory } from './monitorHistory';
import { parseMessage, type ParseResult } from './parseMessage';
import { lazySchema } from '../contracts/lazySchema';

const finite = lazySchema(() => z.number().finite());

export const MonitorCost = lazySchema(() =>
  z.object({
    /** Spent so far (elapsed GPU time x price); null when no price is known. */
    soFarUsd: finite.min(0).nullable(),
    /** Projected total at the current pace; null until the pace is known. */
    projectedUsd: finite.min(0).nullable(),
    budgetUsd: finite.positive().nullable(),
    pricePerGpuHour: finite.min(0).nullable(),
  }),
);

/** The run as the monitor shows it (header, cards, buttons), refreshed by `summary` messages. Not to be confused
 *  with RunSummary (contracts/events.ts), the totals of a finished run in its `done` event. */
export const MonitorRun = lazySchema(() =>
  z.object({
    runId: z.string().min(1),
    /** The config's `name`, when it has one. */
    name: z.string().nullable(),
    host: z.string().min(1),
    state: z.enum(RUN_STATES),
    stage: z.enum(STAGE_NAMES).nullable(),
    step: z.number().int().min(0),
    totalSteps: z.number().int().min(0).nullable(),
    /** ISO time the run started; null before the trainer started. */
    startedAt: z.string().nullable(),
    /** ISO time of the last status or event seen, so the panel can say how fresh it is. */
    updatedAt: z.string().nullable(),
    etaSeconds: finite.min(0).nullable(),
    cost: MonitorCost,
    /** Why the run ended (from status.json), in words a user can act on. */
    exitReason: z.string().nullable(),
    /** "queued on cluster: Resources, position 2, expected start ..." while a scheduler holds the run. */
    queued: z.string().nullable().optional(),
    /** What the buttons may do now (the host knows the state machine). */
    canCancel: z.boolean(),
    canResume: z.boolean(),
  }),
);

// ---- host -> webview

export const MonitorInit = lazySchema(() =>
  z.object({
    type: z.literal('init'),
    run: MonitorRun,
    /** The whole history, compact (built by compactHistory; duplicates are ignored by seq). */
    history: MonitorHistory,
    /** The last lines of trainer.log. */
    logTail: z.array(z.string()),
  }),
);
/** New events, compact like `init`'s history. */
export const MonitorEvents = lazySchema(() => z.object({ type: z.literal('events'), runId: z.string(), history: MonitorHistory }));
export const MonitorSummaryUpdate = lazySchema(() => z.object({ type: z.literal('summary'), run: MonitorRun }));
export const MonitorLogLines = lazySchema(() => z.object({ type: z.literal('log'), runId: z.string(), lines: z.array(z.string()) }));
/** The answer to an action request; `error` is shown in the panel. */
export const MonitorActionResult = lazySchema(() =>
  z.object({
    type: z.literal('actionResult'),
    requestId: z.string(),
    ok: z.boolean(),
    error: z.string().optional(),
  }),
);

export const MonitorHostMessage = lazySchema(() =>
  z.discriminatedUnion('type', [MonitorInit, MonitorEvents, MonitorSummaryUpdate, MonitorLogLines, MonitorActionResult]),
);

// ---- webview -> host

export const MONITOR_ACTIONS = ['cancel', 'resume', 'openFolder', 'showLog'] as const;

export const MonitorReady = lazySchema(() =>
  z.object({
    type: z.literal('ready'),
    /** The run the panel showed before a reload (from getState), so a restored panel asks for the right run. */
    runId: z.string().nullable(),
  }),
);
export const MonitorActionRequest = lazySchema(() =>
  z.object({
    type: z.literal('action'),
    requestId: z.string(),
    action: z.enum(MONITOR_ACTIONS),
    runId: z.string(),
  }),
);

export const MonitorWebviewMessage = lazySchema(() => z.discriminatedUnion('type', [MonitorReady, MonitorActionRequest]));

export type MonitorCost = z.infer<typeof MonitorCost>;
export type MonitorRun = z.infer<typeof MonitorRun>;
export type MonitorHostMessage = z.infer<typeof MonitorHostMessage>;
export type MonitorWebviewMessage = z.infer<typeof MonitorWebviewMessage>;
export type MonitorAction = (typeof MONITOR_ACTIONS)[number];

/** What the monitor webview persists with setState; the panel serializer receives it as `state`. The history,
 *  when present, is the compact form saved as JSON (savedForm): a restored panel draws it before the host has
 *  replayed. */
export interface MonitorPersistedState {
  runId: string | null;
  history?: SavedMonitorHistory;
}

export function parseMonitorHostMessage(data: unknown): ParseResult<MonitorHostMessage> {
  return parseMessage(MonitorHostMessage, data, 'host->monitor');
}

export function parseMonitorWebviewMessage(data: unknown): ParseResult<MonitorWebviewMessage> {
  return parseMessage(MonitorWebviewMessage, data, 'monitor->host');
}
