// The Models view: adapters of completed runs (local and remote), with base model and final eval loss.
import * as vscode from 'vscode';
import type { RunsPort } from '../runs/runsPort';
import { adapterContextValue, adapterDescription, adaptersFromRuns, adapterTooltip, type AdapterRef } from './adapterRef';

export class ModelNode {
  constructor(readonly adapter: AdapterRef) {}
  get runId(): string {
    return this.adapter.runId;
  }
}

export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private shown = '';

  constructor(
    private readonly runs: RunsPort,
    private readonly downloaded: () => ReadonlyMap<string, string>,
  ) {
    // Progress updates of running runs do not change this view: repaint only when the adapters list changes.
    this.subscription = runs.onDidChange(() => {
      if (this.signature() !== this.shown) this.changed.fire(undefined);
    });
  }

  private signature(): string {
    return JSON.stringify(this.adapters());
  }

  adapters(): AdapterRef[] {
    return adaptersFromRuns(this.runs.list(), this.downloaded());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: ModelNode): ModelNode[] {
    if (element) return [];
    const adapters = this.adapters();
    this.shown = JSON.stringify(adapters);
    return adapters.map((adapter) => new ModelNode(adapter));
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    const { adapter } = node;
    const item = new vscode.TreeItem(adapter.runLabel, vscode.TreeItemCollapsibleState.None);
    item.id = `adapter:${adapter.runId}`;
    item.iconPath = new vscode.ThemeIcon(adapter.localPath ? 'package' : 'cloud');
    item.description = adapterDescription(adapter);
    item.tooltip = adapterTooltip(adapter);
    item.contextValue = adapterContextValue(adapter);
    if (adapter.localPath) item.resourceUri = vscode.Uri.file(adapter.localPath);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
