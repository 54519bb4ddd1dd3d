// The Runs commands, each a small factory over its dependencies (the tree, the palette and the panels call them).
// The editor comes in through small interfaces (window, commands), so each command is unit-tested without one.
// Opening a run's folder or log lives in runFileCommands.ts.
import type { CommandsApi } from '../api/commands';
import type { LogApi } from '../api/log';
import type { WindowApi } from '../api/window';
import { pickRun, runIdOf } from './pickRun';
import type { RunsPort } from './runsPort';
import { runLabel } from './runText';
import type { RunInfo } from '../../core/runs/runInfo';
import { isActive } from './runFacts';
import { COMMANDS } from '../commandIds';

export interface RunCommandDeps {
  runs: RunsPort;
  log: LogApi;
  window: WindowApi;
  commands: CommandsApi;
}

/** Logs a failed action and tells the user in one message. */
export function failed(deps: RunCommandDeps, what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  deps.log.error(`${what}: ${message}`);
  void deps.window.showErrorMessage(`${what}: ${message}`);
}

export function createCancelRunCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, deps.window, arg, 'Cancel which run?', isActive);
    if (!run) return;
    if (!isActive(run)) {
      void deps.window.showInformationMessage(`Run "${runLabel(run)}" is already ${run.state}.`);
      return;
    }
    const confirm = await deps.window.showWarningMessage(
      `Cancel run "${runLabel(run)}" on ${run.host}?`,
      { modal: true, detail: 'The trainer saves a checkpoint first, so you can resume it later.' },
      'Cancel Run',
    );
    if (confirm !== 'Cancel Run') return;
    await deps.window.withProgress({ title: `Cancelling ${runLabel(run)} (checkpointing first)…` }, async () => {
      try {
        await deps.runs.cancel(run.id);
      } catch (error) {
        failed(deps, `Cancelling run ${runLabel(run)} failed`, error);
      }
    });
  };
}

export function createResumeRunCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, deps.window, arg, 'Resume which run?', (r) => r.state === 'failed' || r.state === 'cancelled');
    if (!run) return;
    try {
      await deps.runs.resume(run.id);
      void deps.commands.executeCommand(COMMANDS.openMonitor, run.id);
    } catch (error) {
      failed(deps, `Resuming run ${runLabel(run)} failed`, error);
    }
  };
}

/** A run waiting in its host's queue, one place nearer the front (the Runs view's context menu on a queued run). */
export function createMoveRunUpCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, deps.window, arg, 'Move which queued run up?', (r) => isActive(r) && !!r.queue);
    if (!run) return;
    try {
      const position = await deps.runs.moveUp(run.id);
      void deps.window.showInformationMessage(`Run "${runLabel(run)}" is now number ${position} in the queue of ${run.host}.`);
    } catch (error) {
      failed(deps, `Moving run ${runLabel(run)} up failed`, error);
    }
  };
}

export function createOpenMonitorCommand(deps: RunCommandDeps & { showMonitor(runId: string): void }) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, deps.window, arg, 'Open the monitor of which run?');
    if (run) deps.showMonitor(run.id);
  };
}

export function createDeleteRunCommand(deps: RunCommandDeps) {
  return async (arg?: unknown, selected?: unknown[]) => {
    const ids = (selected?.length ? selected : [arg]).map(runIdOf).filter((id): id is string => !!id);
    const runs = ids.length
      ? ids.map((id) => deps.runs.get(id)).filter((r): r is RunInfo => !!r)
      : [await pickRun(deps.runs, deps.window, undefined, 'Remove which run from the list?', (r) => !isActive(r))].filter((r): r is RunInfo => !!r);
    const removable = runs.filter((run) => !isActive(run));
    if (removable.length === 0) {
      if (runs.length) void deps.window.showInformationMessage('Active runs cannot be removed from the list: cancel them first.');
      return;
    }
    const names = removable.map((run) => `"${runLabel(run)}"`).join(', ');
    const confirm = await deps.window.showWarningMessage(
      `Remove ${names} from the Runs list?`,
      { modal: true, detail: 'BrightRun forgets the run and deletes its local copy (events, config); the run folder on its host, with the adapter, is kept.' },
      'Remove',
    );
    if (confirm !== 'Remove') return;
    for (const run of removable) {
      try {
        await deps.runs.remove(run.id);
      } catch (error) {
        failed(deps, `Removing run ${runLabel(run)} failed`, error);
      }
    }
  };
}

export function createCompareRunsCommand(deps: RunCommandDeps & { showCompare(runIds: string[]): void }) {
  return async (arg?: unknown, selected?: unknown[]) => {
    let ids = (selected?.length ? selected : arg ? [arg] : []).map(runIdOf).filter((id): id is string => !!id);
    if (ids.length < 2) {
      const picks = await deps.window.showQuickPickMany(
        deps.runs.list().map((run) => ({ label: runLabel(run), description: `${run.host} · ${run.state}`, picked: ids.includes(run.id), id: run.id })),
        { title: 'Compare runs: pick two or more' },
      );
      if (!picks) return;
      ids = picks.map((pick) => pick.id);
    }
    if (ids.length === 0) return;
    deps.showCompare(ids);
  };
}

export function createRefreshRunsCommand(deps: RunCommandDeps & { refreshViews(): void }) {
  return async () => {
    await deps.window.withProgress({ viewId: 'brightrun.runs' }, async () => {
      await deps.runs.refresh();
      deps.refreshViews();
    });
  };
}
