// Hosts the compare webview: the selected runs with their resolved configs and full histories; runs still
// training stream their new events. Restored after a reload with the run ids the webview saved.
import type * as vscode from 'vscode';
import type { CommandsApi } from '../api/commands';
import type { LogApi } from '../api/log';
import type { PanelFactory, WebviewPanelApi } from '../api/webviewPanel';
import type { WindowApi } from '../api/window';
import { CompareWebviewMessage, type CompareHostMessage, type CompareRun } from '../../shared/compareProtocol';
import type { RunsPort } from '../runs/runsPort';
import { runLabel } from '../runs/runText';
import { PanelFrame } from './panelFrame';
import { COMMANDS } from '../commandIds';
import { sweepMarks } from './sweepMarks';

export const COMPARE_VIEW_TYPE = 'brightrun.compare';

/** What the compare panel works with: the runs, and the editor behind small interfaces. */
export interface CompareDeps {
  runs: RunsPort;
  log: LogApi;
  window: WindowApi;
  commands: CommandsApi;
  panels: PanelFactory;
}

export class ComparePanel {
  private readonly frame: PanelFrame<CompareWebviewMessage, CompareHostMessage>;
  private following: { dispose(): void }[] = [];

  constructor(
    panel: WebviewPanelApi,
    private readonly deps: CompareDeps,
    private runIds: string[],
    onDispose: () => void,
  ) {
    this.frame = new PanelFrame(
      panel,
      'compare',
      CompareWebviewMessage,
      {
        ready: async (message) => {
          if (this.runIds.length === 0) this.runIds = message.runIds;
          this.frame.post({ type: 'init', runs: await this.load() });
        },
        addRuns: async () => {
          const picks = await deps.window.showQuickPickMany(
            this.runs
              .list()
              .filter((run) => !this.runIds.includes(run.id))
              .map((run) => ({ label: runLabel(run), description: `${run.host} · ${run.state}`, id: run.id })),
            { title: 'Add runs to the comparison' },
          );
          if (!picks?.length) return;
          await this.setRuns([...this.runIds, ...picks.map((pick) => pick.id)]);
        },
        removeRun: (message) => this.setRuns(this.runIds.filter((id) => id !== message.runId)),
        openMonitor: (message) => void deps.commands.executeCommand(COMMANDS.openMonitor, message.runId),
      },
      deps.log,
    );
    this.frame.track({ dispose: () => this.unfollow() });
    this.frame.track(panel.onDidDispose(onDispose));
  }

  private get runs(): RunsPort {
    return this.deps.runs;
  }

  reveal(): void {
    this.frame.panel.reveal(undefined, false);
  }

  async setRuns(runIds: string[]): Promise<void> {
    this.runIds = [...new Set(runIds)];
    this.frame.post({ type: 'runs', runs: await this.load() });
  }

  private unfollow(): void {
    for (const d of this.following.splice(0)) d.dispose();
  }

  private async load(): Promise<CompareRun[]> {
    this.unfollow();
    const loaded: CompareRun[] = [];
    for (const runId of this.runIds) {
      const run = this.runs.get(runId);
      if (!run) continue;
      this.following.push(this.runs.onEvents(runId, (events) => this.frame.post({ type: 'events', runId, events })));
      const [config, events, evaluation] = await Promise.all([
        this.runs.config(runId),
        this.runs.history(runId).catch(() => []),
        run.state === 'completed' ? this.runs.evalReport(runId).catch(() => null) : null,
      ]);
      loaded.push({ runId, name: run.config.name, host: run.host, state: run.state, config: config ?? {}, events, costUsd: run.costUsd, evaluation });
    }
    const marks = sweepMarks(
      loaded.flatMap((run) => {
        const info = this.runs.get(run.runId);
        return info ? [{ info, evaluation: run.evaluation }] : [];
      }),
    );
    for (const run of loaded) run.sweep = marks.get(run.runId) ?? null;
    this.runIds = loaded.map((run) => run.runId);
    this.frame.panel.title = `Compare ${loaded.length} run${loaded.length === 1 ? '' : 's'}`;
    return loaded;
  }
}

/** A single compare panel: comparing again replaces its selection. */
export class ComparePanels implements vscode.WebviewPanelSerializer {
  private current: ComparePanel | undefined;

  constructor(private readonly deps: CompareDeps) {}

  show(runIds: string[]): void {
    if (this.current) {
      void this.current.setRuns(runIds);
      this.current.reveal();
      return;
    }
    this.adopt(this.deps.panels.create(COMPARE_VIEW_TYPE, 'Compare runs', 'compare'), runIds);
  }

  async deserializeWebviewPanel(panel: WebviewPanelApi, state: unknown): Promise<void> {
    const ids = Array.isArray((state as { runIds?: unknown })?.runIds)
      ? ((state as { runIds: unknown[] }).runIds.filter((id) => typeof id === 'string') as string[])
      : [];
    this.adopt(this.deps.panels.restore(panel, 'compare'), ids);
  }

  private adopt(panel: WebviewPanelApi, runIds: string[]): void {
    const created: ComparePanel = new ComparePanel(panel, this.deps, runIds, () => {
      if (this.current === created) this.current = undefined;
    });
    this.current = created;
  }
}
