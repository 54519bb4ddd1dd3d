// Texts and icons for runs in the tree, the status bar and notifications. Pure: no 'vscode' import.
import type { RunState } from '../../contracts/status';
import { queueText, type RunInfo } from '../../core/runs/runInfo';

export { queueText };
import { completedAdapter, endReason, isActive, progressPercent } from './runFacts';

export function formatLoss(value: number | null): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(Math.abs(value) >= 10 ? 2 : 3);
}

export function formatUsd(value: number | null): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (value > 0 && value < 0.01) return '<$0.01';
  return `$${value.toFixed(2)}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

import { runLabel } from '../../core/runs/runInfo';

export { runLabel };

const STATE_WORDS: Record<RunState, string> = {
  starting: 'starting',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The tree item's description: "42% · loss 1.234 · $0.12" while it runs, the outcome once it ended. */
export function runDescription(run: RunInfo): string {
  const parts: string[] = [];
  const percent = progressPercent(run);
  const queued = isActive(run) ? queueText(run) : null;
  if (queued) {
    parts.push(queued);
  } else if (isActive(run)) {
    if (run.state === 'starting' || percent === null) parts.push(run.stage ? run.stage.replace(/_/g, ' ') : STATE_WORDS[run.state]);
    else parts.push(`${percent}%`);
  } else if (run.state !== 'completed') {
    parts.push(STATE_WORDS[run.state]);
  }
  const loss = run.state === 'completed' && run.evalLoss !== null ? run.evalLoss : run.loss;
  const lossText = formatLoss(loss);
  if (lossText) parts.push(`${run.state === 'completed' && run.evalLoss !== null ? 'eval loss' : 'loss'} ${lossText}`);
  const cost = formatUsd(run.costUsd);
  if (cost) parts.push(cost);
  return parts.join(' · ');
}

export function runTooltip(run: RunInfo): string {
  const lines = [`${runLabel(run)} — ${STATE_WORDS[run.state]} on ${run.host}`, `Base model: ${run.config.baseModel}`];
  if (run.config.project) lines.push(`Project: ${run.config.project}`);
  const queued = isActive(run) ? queueText(run) : null;
  if (queued) lines.push(queued.charAt(0).toUpperCase() + queued.slice(1));
  if (run.totalSteps) lines.push(`Step ${run.step} of ${run.totalSteps}`);
  const loss = formatLoss(run.loss);
  if (loss) lines.push(`Train loss: ${loss}`);
  const evalLoss = formatLoss(run.evalLoss);
  if (evalLoss) lines.push(`Eval loss: ${evalLoss}`);
  const cost = formatUsd(run.costUsd);
  if (cost) lines.push(`Cost so far: ${cost}${run.budgetUsd ? ` of a ${formatUsd(run.budgetUsd)} budget` : ''}`);
  const reason = endReason(run);
  if (reason) lines.push(`Reason: ${reason}`);
  if (run.hint) lines.push(`Try: ${run.hint}`);
  if (run.id !== runLabel(run)) lines.push(`Run id: ${run.id}`);
  return lines.join('\n');
}

/** A codicon id and a theme colour id per state (ThemeIcon + ThemeColor are built by the tree adapter). */
export function runStateIcon(state: RunState): { icon: string; color: string } {
  switch (state) {
    case 'starting':
      return { icon: 'loading~spin', color: 'charts.blue' };
    case 'running':
      return { icon: 'sync~spin', color: 'charts.blue' };
    case 'completed':
      return { icon: 'pass-filled', color: 'testing.iconPassed' };
    case 'failed':
      return { icon: 'error', color: 'testing.iconFailed' };
    case 'cancelled':
      return { icon: 'circle-slash', color: 'disabledForeground' };
  }
}

/** The tree item's contextValue; package.json menus match on it ("run:running", "run:failed"...). */
export function runContextValue(run: Pick<RunInfo, 'state' | 'adapterPath' | 'queue'>): string {
  return `run:${run.state}${completedAdapter(run) ? ':adapter' : ''}${isActive(run) && run.queue ? ':queued' : ''}`;
}

/** Runs grouped by host, hosts sorted with "local" first, newest runs first inside a host. */
export function groupRunsByHost(runs: readonly RunInfo[]): { host: string; runs: RunInfo[] }[] {
  const byHost = new Map<string, RunInfo[]>();
  for (const run of runs) byHost.set(run.host, [...(byHost.get(run.host) ?? []), run]);
  const newestFirst = (a: RunInfo, b: RunInfo) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || b.id.localeCompare(a.id);
  return [...byHost.entries()]
    .sort(([a], [b]) => (a === 'local' ? -1 : b === 'local' ? 1 : a.localeCompare(b)))
    .map(([host, list]) => ({ host, runs: list.sort(newestFirst) }));
}

export function hostDescription(runs: readonly RunInfo[]): string {
  const active = runs.filter(isActive).length;
  const total = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
  return active > 0 ? `${total}, ${active} active` : total;
}

/** Status bar: null hides the item when nothing runs. */
export function statusBarText(runs: readonly RunInfo[]): { text: string; tooltip: string } | null {
  const active = runs.filter(isActive);
  if (active.length === 0) return null;
  if (active.length === 1) {
    const run = active[0];
    const percent = progressPercent(run);
    const loss = formatLoss(run.loss);
    return {
      text: `$(sync~spin) ${runLabel(run)}${percent === null ? '' : ` ${percent}%`}`,
      tooltip: `BrightRun: ${runLabel(run)} on ${run.host}${loss ? `, loss ${loss}` : ''}. Click to open the monitor.`,
    };
  }
  const known = active.map(progressPercent).filter((p): p is number => p !== null);
  const mean = known.length ? Math.floor(known.reduce((a, b) => a + b, 0) / known.length) : null;
  return {
    text: `$(sync~spin) ${active.length} runs${mean === null ? '' : ` ${mean}%`}`,
    tooltip: `BrightRun: ${active.map((run) => `${runLabel(run)} (${progressPercent(run) ?? '?'}%)`).join(', ')}. Click to open a monitor.`,
  };
}
