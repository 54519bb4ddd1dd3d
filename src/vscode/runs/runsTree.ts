// The Runs view: hosts, then their runs. Live without flicker: when a run changes, only its item (and its host's
// count) is refreshed; the whole tree is rebuilt only when runs appear or disappear.
import * as vscode from 'vscode';
import { groupRunsByHost, hostDescription, runContextValue, runDescription, runLabel, runStateIcon, runTooltip } from './runText';
import type { RunsPort } from './runsPort';
import type { RunInfo } from '../../core/runs/runInfo';
import { COMMANDS } from '../commandIds';

export type RunsTreeNode = { kind: 'host'; host: string } | { kind: 'run'; runId: string; host: string };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  // Node objects are kept per id so VS Code sees the same element on each change and updates it in place.
  private readonly hostNodes = new Map<string, RunsTreeNode & { kind: 'host' }>();
  private readonly runNodes = new Map<string, RunsTreeNode & { kind: 'run' }>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly runs: RunsPort) {
    this.subscription = runs.onDidChange((ids) => this.onRunsChanged(ids));
  }

  private onRunsChanged(ids: string[]): void {
    const structural =
      ids.length === 0 ||
      ids.some((id) => {
        const node = this.runNodes.get(id);
        const run = this.runs.get(id);
        return !node || !run || node.host !== run.host;
      });
    if (structural) {
      this.changed.fire(undefined);
      return;
    }
    const hosts = new Set<string>();
    for (const id of ids) {
      const node = this.runNodes.get(id);
      if (node) {
        this.changed.fire(node);
        hosts.add(node.host);
      }
    }
    for (const host of hosts) {
      const node = this.hostNodes.get(host);
      if (node) this.changed.fire(node);
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: RunsTreeNode): RunsTreeNode[] {
    const groups = groupRunsByHost(this.runs.list());
    if (!element) {
      return groups.map(({ host }) => this.hostNode(host));
    }
    if (element.kind === 'run') return [];
    const group = groups.find((g) => g.host === element.host);
    return (group?.runs ?? []).map((run) => this.runNode(run));
  }

  getParent(element: RunsTreeNode): RunsTreeNode | undefined {
    return element.kind === 'run' ? this.hostNode(element.host) : undefined;
  }

  getTreeItem(element: RunsTreeNode): vscode.TreeItem {
    if (element.kind === 'host') {
      const runs = this.runs.list().filter((run) => run.host === element.host);
      const item = new vscode.TreeItem(element.host, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `host:${element.host}`;
      item.iconPath = new vscode.ThemeIcon(element.host === 'local' ? 'vm' : 'remote');
      item.description = hostDescription(runs);
      item.contextValue = 'host';
      return item;
    }
    const run = this.runs.get(element.runId);
    if (!run) return new vscode.TreeItem(element.runId);
    return runTreeItem(run);
  }

  private hostNode(host: string) {
    let node = this.hostNodes.get(host);
    if (!node) this.hostNodes.set(host, (node = { kind: 'host', host }));
    return node;
  }

  private runNode(run: RunInfo) {
    let node = this.runNodes.get(run.id);
    if (!node || node.host !== run.host) this.runNodes.set(run.id, (node = { kind: 'run', runId: run.id, host: run.host }));
    return node;
  }

  /** The tree node for a run, for reveal(). */
  nodeFor(runId: string): RunsTreeNode | undefined {
    const run = this.runs.get(runId);
    return run ? this.runNode(run) : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function runTreeItem(run: RunInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(runLabel(run), vscode.TreeItemCollapsibleState.None);
  item.id = `run:${run.id}`;
  const { icon, color } = runStateIcon(run.state);
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.description = runDescription(run);
  item.tooltip = runTooltip(run);
  item.contextValue = runContextValue(run);
  item.command = { command: COMMANDS.openMonitor, title: 'Open Monitor', arguments: [run.id] };
  item.accessibilityInformation = { label: `${runLabel(run)}, ${run.state}, ${runDescription(run)}` };
  return item;
}
