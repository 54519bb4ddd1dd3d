// CodeLenses on *.brightrun.json files: "Open in form" and "Launch" at the top of the file; on a run template, one
// lens that opens a new run made from it in the form (its variables are filled there).
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { isTemplateText } from '../../core/config/fillTemplate';

export const CONFIG_FILE_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.brightrun.json' }];

export class RunConfigLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!document.fileName.endsWith('.brightrun.json')) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (isTemplateText(document.getText())) {
      return [new vscode.CodeLens(top, { title: '$(rocket) New run from this template', command: COMMANDS.launchConfig, arguments: [document.uri] })];
    }
    return [
      new vscode.CodeLens(top, { title: '$(edit) Open in form', command: COMMANDS.openConfigInForm, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(play) Launch', command: COMMANDS.launchConfig, arguments: [document.uri] }),
    ];
  }
}

/** The config file a command is about: its argument (CodeLens, explorer) or the active editor. */
export function configUriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  return active?.fsPath.endsWith('.brightrun.json') ? active : undefined;
}
