// The Runs view: hosts, then their runs. Live without flicker: when a run changes, only its item (and its host's
// count) is refreshed; the whole tree is rebuilt only when runs appear or disappear.
import * as vscode from 'vscode';
import { groupRunsByHost, hostDescription, runContextValue, runDescription, runLabel, runStateIcon, runTooltip } from './runText';
import type { RunsPort } from './runsPort';
import type { RunInfo } from '../../core/runs/runInfo';
import { COMMANDS } from '../commandIds';
import { sweepProgressText } from '../../core/sweeps/rankSweep';
import { hostChildren, sweepContextValue } from './sweepGrouping';
import { SweepValues } from './sweepValues';

export type RunsTreeNode =
  { kind: 'host'; host: string } | { kind: 'sweep'; sweepId: string; host: string } | { kind: 'run'; runId: string; host: string; sweepId: string | null };

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  // Node objects are kept per id so VS Code sees the same element on each change and updates it in place.
  private readonly hostNodes = new Map<string, RunsTreeNode & { kind: 'host' }>();
  private readonly runNodes = new Map<string, RunsTreeNode & { kind: 'run' }>();
  private readonly sweepNodes = new Map<string, RunsTreeNode & { kind: 'sweep' }>();
  private readonly subscription: { dispose(): void };
  private readonly sweepValues: SweepValues;

  constructor(private readonly runs: RunsPort) {
    this.subscription = runs.onDidChange((ids) => this.onRunsChanged(ids));
    // A score from an evaluation report arrived: the sweep's line (its best run) may change.
    this.sweepValues = new SweepValues(runs, (sweepId) => {
      for (const node of this.sweepNodes.values()) if (node.sweepId === sweepId) this.changed.fire(node);
    });
  }

  private onRunsChanged(ids: string[]): void {
    const structural =
      ids.length === 0 ||
      ids.some((id) => {
        const node = this.runNodes.get(id);
        const run = this.runs.get(id);
        return !node || !run || node.host !== run.host || node.sweepId !== (run.sweep?.id ?? null);
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
        const sweep = node.sweepId === null ? undefined : this.sweepNodes.get(`${node.host}\n${node.sweepId}`);
        if (sweep) this.changed.fire(sweep);
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
    const children = hostChildren(groups.find((g) => g.host === element.host)?.runs ?? []);
    if (element.kind === 'sweep') {
      const sweep = children.find((child) => child.kind === 'sweep' && child.sweepId === element.sweepId);
      return sweep?.kind === 'sweep' ? sweep.runs.map((run) => this.runNode(run)) : [];
    }
    return children.map((child) => (child.kind === 'run' ? this.runNode(child.run) : this.sweepNode(element.host, child.sweepId)));
  }

  getParent(element: RunsTreeNode): RunsTreeNode | undefined {
    if (element.kind === 'run') return element.sweepId === null ? this.hostNode(element.host) : this.sweepNode(element.host, element.sweepId);
    return element.kind === 'sweep' ? this.hostNode(element.host) : undefined;
  }

  /** The sweep's runs on this node's host, in the sweep's order. */
  sweepRuns(node: { sweepId: string; host: string }): RunInfo[] {
    return this.runs
      .list()
      .filter((run) => run.host === node.host && run.sweep?.id === node.sweepId)
      .sort((a, b) => a.sweep!.index - b.sweep!.index);
  }

  private sweepTreeItem(node: RunsTreeNode & { kind: 'sweep' }): vscode.TreeItem {
    const summary = this.sweepValues.summary(this.sweepRuns(node));
    const item = new vscode.TreeItem(summary.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `sweep:${node.host}:${node.sweepId}`;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.description = sweepProgressText(summary);
    const goal = summary.goal === 'min' ? 'lower is better' : 'higher is better';
    item.tooltip = `Sweep ${summary.id}: ${summary.runs} runs, ranked by ${summary.metric} (${goal})`;
    item.contextValue = sweepContextValue(summary.finished);
    item.accessibilityInformation = { label: `Sweep ${summary.name}, ${sweepProgressText(summary)}` };
    return item;
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
    if (element.kind === 'sweep') return this.sweepTreeItem(element);
    const run = this.runs.get(element.runId);
    if (!run) return new vscode.TreeItem(element.runId);
    const item = runTreeItem(run);
    if (run.sweep && this.sweepValues.summary(this.sweepRuns({ sweepId: run.sweep.id, host: run.host })).best?.runId === run.id) {
      item.description = `★ best · ${item.description as string}`;
    }
    return item;
  }

  private hostNode(host: string) {
    let node = this.hostNodes.get(host);
    if (!node) this.hostNodes.set(host, (node = { kind: 'host', host }));
    return node;
  }

  private runNode(run: RunInfo) {
    let node = this.runNodes.get(run.id);
    const sweepId = run.sweep?.id ?? null;
    if (!node || node.host !== run.host || node.sweepId !== sweepId)
      this.runNodes.set(run.id, (node = { kind: 'run', runId: run.id, host: run.host, sweepId }));
    return node;
  }

  private sweepNode(host: string, sweepId: string) {
    const key = `${host}\n${sweepId}`;
    let node = this.sweepNodes.get(key);
    if (!node) this.sweepNodes.set(key, (node = { kind: 'sweep', sweepId, host }));
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
