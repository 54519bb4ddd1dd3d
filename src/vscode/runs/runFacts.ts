// What the Runs tree, the status bar, the notifications and the commands read about a run is the engine's RunInfo
// itself; these are the few judgements about it they share. Pure.
import type { RunInfo } from '../../core/runs/runInfo';
import type { RunState } from '../../contracts/status';

export const ACTIVE_STATES: readonly RunState[] = ['starting', 'running'];
export const isActive = (run: Pick<RunInfo, 'state'>): boolean => ACTIVE_STATES.includes(run.state);

/** 0..100, or null when the total is not known yet. */
export function progressPercent(run: Pick<RunInfo, 'step' | 'totalSteps' | 'state'>): number | null {
  if (run.state === 'completed') return 100;
  if (!run.totalSteps) return null;
  return Math.max(0, Math.min(100, Math.floor((run.step / run.totalSteps) * 100)));
}

/** Why it ended, in words a user can act on: a stop BrightRun decided (the budget) explains it better than the
 *  trainer's own exit. */
export function endReason(run: Pick<RunInfo, 'stopReason' | 'exitReason'>): string | null {
  return run.stopReason ?? run.exitReason;
}

/** The adapter on the host that trained, once the run completed (a cancelled run's checkpoint is no adapter). */
export function completedAdapter(run: Pick<RunInfo, 'state' | 'adapterPath'>): string | null {
  return run.state === 'completed' ? run.adapterPath : null;
}
