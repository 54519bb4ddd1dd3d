// Commands receive a run from a tree item, a monitor, or nothing (palette): this turns any of those into a run id.
import type { WindowApi } from '../api/window';
import { runDescription, runLabel } from './runText';
import type { RunsPort } from './runsPort';
import type { RunInfo } from '../../core/runs/runInfo';

export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { runId?: unknown }).runId === 'string') return (arg as { runId: string }).runId;
  return undefined;
}

export async function pickRun(
  runs: RunsPort,
  window: WindowApi,
  arg: unknown,
  title: string,
  filter: (run: RunInfo) => boolean = () => true,
): Promise<RunInfo | undefined> {
  const id = runIdOf(arg);
  if (id) {
    const run = runs.get(id);
    if (!run) void window.showWarningMessage(`Run ${id} is no longer in the Runs list.`);
    return run;
  }
  const candidates = runs.list().filter(filter);
  if (candidates.length === 0) {
    void window.showInformationMessage('No run to pick for this action. Start one with "BrightRun: New Training Run".');
    return undefined;
  }
  const picked = await window.showQuickPick(
    candidates.map((run) => ({ label: runLabel(run), description: `${run.host} · ${run.state}`, detail: runDescription(run), run })),
    { title, matchOnDescription: true },
  );
  return picked?.run;
}
