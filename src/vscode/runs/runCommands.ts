// The Runs commands, each a small factory over its dependencies (the tree, the palette and the panels call them).
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { pickRun, runIdOf } from './pickRun';
import type { RunsPort } from './runsPort';
import { runLabel } from './runText';
import { isActive, type RunView } from './runView';
import { COMMANDS } from '../commandIds';

export interface RunCommandDeps {
  runs: RunsPort;
  log: vscode.LogOutputChannel;
}

function failed(deps: RunCommandDeps, what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  deps.log.error(`${what}: ${message}`);
  void vscode.window.showErrorMessage(`${what}: ${message}`);
}

export function createCancelRunCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, arg, 'Cancel which run?', isActive);
    if (!run) return;
    if (!isActive(run)) {
      void vscode.window.showInformationMessage(`Run "${runLabel(run)}" is already ${run.state}.`);
      return;
    }
    const confirm = await vscode.window.showWarningMessage(
      `Cancel run "${runLabel(run)}" on ${run.host}?`,
      { modal: true, detail: 'The trainer saves a checkpoint first, so you can resume it later.' },
      'Cancel Run',
    );
    if (confirm !== 'Cancel Run') return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cancelling ${runLabel(run)} (checkpointing first)…` }, async () => {
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
    const run = await pickRun(deps.runs, arg, 'Resume which run?', (r) => r.state === 'failed' || r.state === 'cancelled');
    if (!run) return;
    try {
      await deps.runs.resume(run.id);
      void vscode.commands.executeCommand(COMMANDS.openMonitor, run.id);
    } catch (error) {
      failed(deps, `Resuming run ${runLabel(run)} failed`, error);
    }
  };
}

export function createOpenMonitorCommand(deps: RunCommandDeps & { showMonitor(runId: string): void }) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, arg, 'Open the monitor of which run?');
    if (run) deps.showMonitor(run.id);
  };
}

export function createOpenRunFolderCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, arg, 'Open the folder of which run?');
    if (!run) return;
    const folder = deps.runs.localFolder(run.id);
    if (!folder || !existsSync(folder)) {
      void vscode.window.showWarningMessage(`The folder of run "${runLabel(run)}" is not on this machine.`);
      return;
    }
    const uri = vscode.Uri.file(folder);
    // Desktop: the OS file manager. Browser-based or remote windows cannot reach it: a new window on the folder.
    if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) await vscode.commands.executeCommand('revealFileInOS', uri);
    else await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  };
}

export function createShowRunLogCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, arg, 'Show the log of which run?');
    if (!run) return;
    try {
      const file = await deps.runs.localLogFile(run.id);
      if (!file) {
        void vscode.window.showInformationMessage(`Run "${runLabel(run)}" has no trainer.log yet.`);
        return;
      }
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const editor = await vscode.window.showTextDocument(document, { preview: true });
      const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
      editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
      editor.selection = new vscode.Selection(end, end);
    } catch (error) {
      failed(deps, `Reading the log of ${runLabel(run)} failed`, error);
    }
  };
}

export function createDeleteRunCommand(deps: RunCommandDeps) {
  return async (arg?: unknown, selected?: unknown[]) => {
    const ids = (selected?.length ? selected : [arg]).map(runIdOf).filter((id): id is string => !!id);
    const runs = ids.length ? ids.map((id) => deps.runs.get(id)).filter((r): r is RunView => !!r) : [await pickRun(deps.runs, undefined, 'Remove which run from the list?', (r) => !isActive(r))].filter((r): r is RunView => !!r);
    const removable = runs.filter((run) => !isActive(run));
    if (removable.length === 0) {
      if (runs.length) void vscode.window.showInformationMessage('Active runs cannot be removed from the list: cancel them first.');
      return;
    }
    const names = removable.map((run) => `"${runLabel(run)}"`).join(', ');
    const confirm = await vscode.window.showWarningMessage(
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
      const picks = await vscode.window.showQuickPick(
        deps.runs.list().map((run) => ({ label: runLabel(run), description: `${run.host} · ${run.state}`, picked: ids.includes(run.id), id: run.id })),
        { title: 'Compare runs: pick two or more', canPickMany: true },
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
    await vscode.window.withProgress({ location: { viewId: 'brightrun.runs' } }, async () => {
      await deps.runs.refresh();
      deps.refreshViews();
    });
  };
}
