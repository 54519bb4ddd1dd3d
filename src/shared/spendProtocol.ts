// The Spend panel's messages, both directions. Handshake: the webview posts `ready` (with the month it showed
// before a reload, if any); the host answers with `report`, and sends a fresh one whenever runs change (a running
// run's cost grows) or the budget setting changes. The report is the same document `brightrun spend --json` prints.
import * as z from 'zod';
import { SpendReport } from '../contracts/spend';
import { parseMessage, type ParseResult } from './parseMessage';
import { lazySchema } from '../contracts/lazySchema';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

// ---- host -> webview

export const SpendReportMessage = lazySchema(() =>
  z.object({
    type: z.literal('report'),
    report: SpendReport,
    /** The month of today (UTC): the panel offers to go back to it. */
    currentMonth: z.string().regex(MONTH),
  }),
);

export const SpendHostMessage = lazySchema(() => z.discriminatedUnion('type', [SpendReportMessage]));

// ---- webview -> host

export const SpendReady = lazySchema(() =>
  z.object({
    type: z.literal('ready'),
    /** The month shown before a reload (from getState); null: this month. */
    month: z.string().regex(MONTH).nullable(),
  }),
);
/** Show another month (null: this month, following the calendar). */
export const SpendShowMonth = lazySchema(() => z.object({ type: z.literal('showMonth'), month: z.string().regex(MONTH).nullable() }));
/** Open the budget setting. */
export const SpendEditBudget = lazySchema(() => z.object({ type: z.literal('editBudget') }));
export const SpendOpenMonitor = lazySchema(() => z.object({ type: z.literal('openMonitor'), runId: z.string().min(1) }));

export const SpendWebviewMessage = lazySchema(() => z.discriminatedUnion('type', [SpendReady, SpendShowMonth, SpendEditBudget, SpendOpenMonitor]));

export type SpendHostMessage = z.infer<typeof SpendHostMessage>;
export type SpendWebviewMessage = z.infer<typeof SpendWebviewMessage>;

/** What the spend webview persists with setState; the panel serializer receives it as `state`. */
export interface SpendPersistedState {
  /** null: this month. */
  month: string | null;
}

export function parseSpendHostMessage(data: unknown): ParseResult<SpendHostMessage> {
  return parseMessage(SpendHostMessage, data, 'host->spend');
}
