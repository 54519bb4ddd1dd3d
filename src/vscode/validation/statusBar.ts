// Status bar item for the active dataset: examples, tokens and problem counts; click for the Problems panel.
import * as vscode from 'vscode';
import type { LiveValidation } from './liveValidation';
import { statsTooltip, statusBarText } from './summaryText';
import { basename } from 'node:path';

export class DatasetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('brightrun.datasetSummary', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly live: LiveValidation) {
    this.item.name = 'BrightRun dataset summary';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions = [live.onDidUpdate(() => this.refresh()), vscode.window.onDidChangeActiveTextEditor(() => this.refresh())];
    this.refresh();
  }

  refresh(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const stats = uri ? this.live.stats(uri) : undefined;
    if (!uri || !stats) {
      this.item.hide();
      return;
    }
    this.item.text = statusBarText(stats);
    this.item.tooltip = new vscode.MarkdownString(statsTooltip(stats, basename(uri.path)));
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
