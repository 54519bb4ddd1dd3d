// The summary CodeLens at the top of an open dataset: click it for the Problems panel; a second lens
// re-validates the file from scratch.
import * as vscode from 'vscode';
import { VALIDATE_FILE_COMMAND } from './commandIds';
import type { LiveValidation } from './liveValidation';
import { codeLensTitle } from './summaryText';

export class DatasetSummaryLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly live: LiveValidation) {
    this.subscription = live.onDidUpdate(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const stats = this.live.stats(document.uri);
    if (!stats) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: codeLensTitle(stats), command: 'workbench.actions.view.problems', tooltip: 'Show the Problems panel' }),
      new vscode.CodeLens(top, { title: '$(refresh) Re-validate', command: VALIDATE_FILE_COMMAND, arguments: [document.uri], tooltip: 'Validate the whole file again' }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
