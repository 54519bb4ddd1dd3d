// What the Runs tree, the status bar and the notifications show about one run. The registry's summaries are
// mapped to this shape in one place (runViewFromSummary), so the texts below stay pure and unit-tested.
import type { RunState } from '../../contracts/status';

export interface RunView {
  id: string;
  /** The config's `name`, when it has one. */
  label?: string;
  host: string;
  state: RunState;
  baseModel: string;
  step: number;
  totalSteps: number | null;
  /** Latest training loss, and the latest eval loss. */
  loss: number | null;
  evalLoss: number | null;
  costUsd: number | null;
  budgetUsd: number | null;
  /** ISO times. */
  startedAt: string | null;
  endedAt: string | null;
  stage: string | null;
  /** Why it ended, in words a user can act on (failed or cancelled runs). */
  exitReason: string | null;
  /** What to try next, from the trainer's error event. */
  hint: string | null;
  /** Where the adapter is on the host that trained, when the run completed. */
  adapterPath: string | null;
}

export const ACTIVE_STATES: readonly RunState[] = ['starting', 'running'];
export const isActive = (run: Pick<RunView, 'state'>): boolean => ACTIVE_STATES.includes(run.state);

/** 0..100, or null when the total is not known yet. */
export function progressPercent(run: Pick<RunView, 'step' | 'totalSteps' | 'state'>): number | null {
  if (run.state === 'completed') return 100;
  if (!run.totalSteps) return null;
  return Math.max(0, Math.min(100, Math.floor((run.step / run.totalSteps) * 100)));
}
