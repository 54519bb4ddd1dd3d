// "Compare Sweep": the Compare panel with every run of a sweep (the best one starred there), from the sweep's node
// in the Runs view, a notification, or the palette (which asks for the sweep).
import type { RunInfo } from '../../core/runs/runInfo';
import { groupSweeps } from '../../core/sweeps/rankSweep';
import type { WindowApi } from '../api/window';
import type { RunsPort } from './runsPort';

/** The sweep id a command was given: a Runs view sweep node, or the id itself. */
export function sweepIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const id = (arg as { sweepId?: unknown } | undefined)?.sweepId;
  return typeof id === 'string' ? id : undefined;
}

export function sweepRunIds(runs: readonly RunInfo[], sweepId: string): string[] {
  return (groupSweeps(runs).get(sweepId) ?? []).map((run) => run.id);
}

export function createCompareSweepCommand(deps: {
  runs: Pick<RunsPort, 'list'>;
  window: Pick<WindowApi, 'showQuickPick' | 'showInformationMessage'>;
  showCompare(runIds: string[]): void;
}) {
  return async (arg?: unknown) => {
    let sweepId = sweepIdOf(arg);
    if (sweepId === undefined) {
      const sweeps = [...groupSweeps(deps.runs.list()).entries()].sort(([a], [b]) => b.localeCompare(a));
      if (sweeps.length === 0) {
        void deps.window.showInformationMessage('There are no sweeps yet: add a "sweep" block to a run config and launch it.');
        return;
      }
      const pick = await deps.window.showQuickPick(
        sweeps.map(([id, members]) => ({ label: members[0].sweep!.name, description: `${members.length} runs · ${id}`, id })),
        { title: 'Compare the runs of a sweep' },
      );
      if (!pick) return;
      sweepId = pick.id;
    }
    const ids = sweepRunIds(deps.runs.list(), sweepId);
    if (ids.length > 0) deps.showCompare(ids);
  };
}
