// The Datasets view: every *.jsonl of the workspace with format, examples and tokens, an error icon when the
// validator found errors, full statistics in the tooltip. Items carry `uri` and `resourceUri` so commands
// invoked from the view (validate, convert, preview, new run) receive the file.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { DatasetEntry, DatasetIndex } from './datasetIndex';
import { datasetContextValue } from './contextValue';
import { datasetDescription, problemCounts, statsTooltip, TOO_SLOW_DESCRIPTION, TOO_SLOW_TOOLTIP } from '../validation/summaryText';

export const DATASETS_VIEW_ID = 'brightrun.datasets';

/** The element type of the view; commands from its menus receive it as their first argument. */
export class DatasetNode {
  constructor(readonly entry: DatasetEntry) {}
  get uri(): vscode.Uri {
    return this.entry.uri;
  }
}

export class DatasetsTreeProvider implements vscode.TreeDataProvider<DatasetNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DatasetNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private view: vscode.TreeView<DatasetNode> | undefined;

  constructor(private readonly index: DatasetIndex) {
    // Coalesce bursts (a scan of many files) into one repaint, so the view does not flicker.
    this.subscription = index.onDidChange(() => {
      this.refreshTimer ??= setTimeout(() => {
        this.refreshTimer = undefined;
        this.changed.fire(undefined);
        this.updateBadge();
      }, 100);
    });
  }

  attach(view: vscode.TreeView<DatasetNode>): void {
    this.view = view;
  }

  async getChildren(element?: DatasetNode): Promise<DatasetNode[]> {
    if (element) return [];
    await this.index.start();
    return this.index.list().map((entry) => new DatasetNode(entry));
  }

  getTreeItem(node: DatasetNode): vscode.TreeItem {
    const { entry } = node;
    const item = new vscode.TreeItem(basename(entry.uri.path), vscode.TreeItemCollapsibleState.None);
    item.id = entry.uri.toString();
    item.resourceUri = entry.uri;
    item.contextValue = datasetContextValue(entry);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [entry.uri] };
    const folder = vscode.workspace.asRelativePath(vscode.Uri.joinPath(entry.uri, '..'), false);
    const where = folder && folder !== entry.uri.fsPath && !folder.startsWith('/') ? ` — ${folder}` : '';
    if (entry.error) {
      item.description = `cannot read${where}`;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.tooltip = `${entry.uri.fsPath}\n\n${entry.error}`;
      return item;
    }
    const stats = entry.stats;
    if (!stats && entry.tooSlow && !entry.validating) {
      item.description = `${TOO_SLOW_DESCRIPTION}${where}`;
      item.iconPath = new vscode.ThemeIcon('watch');
      item.tooltip = `${entry.uri.fsPath}\n\n${TOO_SLOW_TOOLTIP}`;
      item.accessibilityInformation = { label: `${basename(entry.uri.path)}, ${TOO_SLOW_DESCRIPTION}` };
      return item;
    }
    item.description = stats ? `${datasetDescription(stats)}${entry.validating ? ' (updating…)' : ''}` : 'validating…';
    item.iconPath = !stats
      ? new vscode.ThemeIcon('loading~spin')
      : stats.errors > 0
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
        : stats.warnings > 0
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
          : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    const markdown = new vscode.MarkdownString(stats ? statsTooltip(stats, vscode.workspace.asRelativePath(entry.uri)) : 'Validating…');
    item.tooltip = markdown;
    item.accessibilityInformation = { label: `${basename(entry.uri.path)}, ${stats ? `${datasetDescription(stats)}, ${problemCounts(stats)}` : 'validating'}` };
    return item;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** The activity-bar badge counts datasets with errors. */
  private updateBadge(): void {
    if (!this.view) return;
    const withErrors = this.index.list().filter((entry) => (entry.stats?.errors ?? 0) > 0 || entry.error).length;
    this.view.badge = withErrors > 0 ? { value: withErrors, tooltip: `${withErrors} dataset${withErrors === 1 ? '' : 's'} with errors` } : undefined;
  }
}
