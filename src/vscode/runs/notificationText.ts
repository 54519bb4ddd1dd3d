// What the completion, failure and budget notifications say, and which actions they offer. Pure.
import { formatLoss, formatUsd, runLabel } from './runText';
import type { RunInfo } from '../../core/runs/runInfo';
import { completedAdapter, endReason } from './runFacts';

export type NotificationAction = 'Open' | 'Push to Hub' | 'Show Log' | 'Resume' | 'Open Monitor';

export interface RunNotification {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: NotificationAction[];
}

export function completedNotification(run: RunInfo): RunNotification {
  const evalLoss = formatLoss(run.evalLoss);
  const loss = evalLoss ? `final eval loss ${evalLoss}` : formatLoss(run.loss) ? `final train loss ${formatLoss(run.loss)} (no eval set)` : 'no loss recorded';
  const cost = formatUsd(run.costUsd);
  return {
    severity: 'info',
    message: `Training run "${runLabel(run)}" completed on ${run.host}: ${loss}${cost ? `, cost ${cost}` : ''}.`,
    actions: completedAdapter(run) ? ['Open', 'Push to Hub'] : ['Open'],
  };
}

export function failedNotification(run: RunInfo): RunNotification {
  const reason = endReason(run)?.trim() || 'the trainer stopped without saying why';
  const hint = run.hint?.trim();
  return {
    severity: 'error',
    message: `Training run "${runLabel(run)}" failed on ${run.host}: ${reason.replace(/\.$/, '')}.${hint ? ` ${hint.replace(/\.?$/, '.')}` : ' See the log for details.'}`,
    actions: ['Show Log', 'Open'],
  };
}

export function budgetNotification(run: RunInfo): RunNotification {
  const budget = formatUsd(run.budgetUsd);
  const cost = formatUsd(run.costUsd);
  return {
    severity: 'warning',
    message: `Training run "${runLabel(run)}" reached its budget${budget ? ` of ${budget}` : ''}${cost ? ` (spent ${cost})` : ''} and was stopped with a checkpoint. Raise budgetUsd in its config to resume it.`,
    actions: ['Resume', 'Open'],
  };
}

/** Which notification a state change calls for, if any. Budget stops arrive as cancelled runs with a budget reason. */
export function notificationForTransition(before: RunInfo | undefined, after: RunInfo): RunNotification | null {
  if (before && before.state === after.state) return null;
  // A run first seen already ended (restored from disk) was notified in an earlier session.
  if (!before && after.state !== 'starting' && after.state !== 'running') return null;
  if (after.state === 'completed') return completedNotification(after);
  if (after.state === 'failed') return failedNotification(after);
  if (after.state === 'cancelled' && /budget/i.test(endReason(after) ?? '')) return budgetNotification(after);
  return null;
}
