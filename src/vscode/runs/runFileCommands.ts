// Opening a run's folder (the OS file manager, or a new window where that cannot be reached) and its trainer.log
// in an editor: thin editor actions on what the runs engine reports.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { pickRun } from './pickRun';
import { failed, type RunCommandDeps } from './runCommands';
import { runLabel } from './runText';

export function createOpenRunFolderCommand(deps: RunCommandDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, deps.window, arg, 'Open the folder of which run?');
    if (!run) return;
    const folder = deps.runs.localFolder(run.id);
    if (!folder || !existsSync(folder)) {
      void deps.window.showWarningMessage(`The folder of run "${runLabel(run)}" is not on this machine.`);
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
    const run = await pickRun(deps.runs, deps.window, arg, 'Show the log of which run?');
    if (!run) return;
    try {
      const file = await deps.runs.localLogFile(run.id);
      if (!file) {
        void deps.window.showInformationMessage(`Run "${runLabel(run)}" has no trainer.log yet.`);
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
