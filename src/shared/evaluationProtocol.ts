// The Evaluation panel's messages, both directions. Handshake: the webview posts `ready` (with the run it showed
// before a reload, from getState); the host answers `init` with the run and its last report (null when the run
// has none yet). `evaluating` and `report` follow an Evaluate again; `exported` answers a save.
import * as z from 'zod';
import { EvalReport } from '../contracts/evalReport';
import { parseMessage, type ParseResult } from './parseMessage';
import { lazySchema } from '../contracts/lazySchema';

export { betterSide, formatChange, formatScore, gatesSummary, scorecardRows, type ScorecardRow } from './scorecard';

export const EvaluationRun = lazySchema(() =>
  z.object({
    runId: z.string().min(1),
    label: z.string(),
    host: z.string(),
  }),
);

// ---- host -> webview

export const EvaluationInit = lazySchema(() => z.object({ type: z.literal('init'), run: EvaluationRun.nullable(), report: EvalReport.nullable() }));
/** An evaluation is running on the host (message: what it does), or ended (null). */
export const EvaluationBusy = lazySchema(() => z.object({ type: z.literal('evaluating'), message: z.string().nullable() }));
export const EvaluationReportMessage = lazySchema(() => z.object({ type: z.literal('report'), report: EvalReport }));
export const EvaluationFailed = lazySchema(() => z.object({ type: z.literal('failed'), error: z.string() }));
export const EvaluationExported = lazySchema(() => z.object({ type: z.literal('exported'), path: z.string() }));

export const EvaluationHostMessage = lazySchema(() =>
  z.discriminatedUnion('type', [EvaluationInit, EvaluationBusy, EvaluationReportMessage, EvaluationFailed, EvaluationExported]),
);

// ---- webview -> host

export const EvaluationReady = lazySchema(() => z.object({ type: z.literal('ready'), runId: z.string().nullable() }));
/** Save the report shown: JSON (eval.json as written) or Markdown (EVAL.md as written). */
export const EvaluationExport = lazySchema(() => z.object({ type: z.literal('export'), format: z.enum(['json', 'markdown']) }));
/** Run the evaluation again (the host asks which prompts). */
export const EvaluationRerun = lazySchema(() => z.object({ type: z.literal('evaluateAgain') }));

export const EvaluationWebviewMessage = lazySchema(() => z.discriminatedUnion('type', [EvaluationReady, EvaluationExport, EvaluationRerun]));

export type EvaluationRun = z.infer<typeof EvaluationRun>;
export type EvaluationHostMessage = z.infer<typeof EvaluationHostMessage>;
export type EvaluationWebviewMessage = z.infer<typeof EvaluationWebviewMessage>;

/** What the evaluation webview persists with setState; the panel serializer receives it as `state`. */
export interface EvaluationPersistedState {
  runId: string | null;
  onlyDifferent: boolean;
}

export function parseEvaluationHostMessage(data: unknown): ParseResult<EvaluationHostMessage> {
  return parseMessage(EvaluationHostMessage, data, 'host->evaluation');
}
