// The summary CodeLens at the top of an open dataset: click it for the Problems panel; a second lens
// re-validates the file from scratch. Each document's lens reads that document's last published statistics.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { LensRefresh } from './lensRefresh';
import { isDatasetDocument, type LiveValidation } from './liveValidation';
import { summaryLensTitle } from './summaryText';

export class DatasetSummaryLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly refresher = new LensRefresh(() => this.changed.fire());
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly live: LiveValidation) {
    this.subscriptions = [
      // Every publish (and close) of any dataset: VS Code asks again for the lenses of the visible editors.
      live.onDidUpdate(() => this.refresher.refresh()),
      // Saving usually follows a fix from a menu or the palette, with the editor unfocused: see lensRefresh.ts.
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (isDatasetDocument(document)) this.refresher.refresh();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const title = summaryLensTitle(this.live.stats(document.uri), this.live.isOpening(document.uri));
    if (!title) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const summary = new vscode.CodeLens(top, { title, command: 'workbench.actions.view.problems', tooltip: 'Show the Problems panel' });
    if (!this.live.has(document.uri)) return [summary];
    return [
      summary,
      new vscode.CodeLens(top, {
        title: '$(refresh) Re-validate',
        command: COMMANDS.validateFile,
        arguments: [document.uri],
        tooltip: 'Validate the whole file again',
      }),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.refresher.dispose();
    this.changed.dispose();
  }
}
