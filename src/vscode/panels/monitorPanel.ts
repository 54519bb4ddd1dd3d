// Hosts the monitor webview of one run: on `ready` it sends the summary, the whole event history (compact: metrics
// and evaluations as columns of numbers, so a 100k-step run crosses the boundary fast) and the log tail,
// then streams event batches, summary updates and new log lines while the run goes on. Restored after a window
// reload by the serializer with the run id the webview saved.
import type * as vscode from 'vscode';
import type { CommandsApi } from '../api/commands';
import type { LogApi } from '../api/log';
import type { PanelFactory, WebviewPanelApi } from '../api/webviewPanel';
import type { WindowApi } from '../api/window';
import type { RunEvent } from '../../contracts/events';
import { compactHistory } from '../../shared/monitorHistory';
import { MonitorWebviewMessage, type MonitorAction, type MonitorHostMessage } from '../../shared/monitorProtocol';
import type { RunsPort } from '../runs/runsPort';
import { runLabel } from '../runs/runText';
import { isActive } from '../runs/runFacts';
import { appendedLines } from './logTail';
import { PanelFrame } from './panelFrame';
import { COMMANDS, type CommandId } from '../commandIds';

export const MONITOR_VIEW_TYPE = 'brightrun.monitor';
const LOG_LINES = 200;
const LOG_REFRESH_MS = 1500;

const ACTION_COMMANDS: Record<MonitorAction, CommandId> = {
  cancel: COMMANDS.cancelRun,
  resume: COMMANDS.resumeRun,
  openFolder: COMMANDS.openRunFolder,
  showLog: COMMANDS.showRunLog,
};

/** What the monitor panels work with: the runs, and the editor behind small interfaces. */
export interface MonitorDeps {
  runs: RunsPort;
  log: LogApi;
  window: WindowApi;
  commands: CommandsApi;
  panels: PanelFactory;
}

export class MonitorPanel {
  private readonly frame: PanelFrame<MonitorWebviewMessage, MonitorHostMessage>;
  private attached: { dispose(): void }[] = [];
  private logShown: string[] = [];
  private logTimer: ReturnType<typeof setTimeout> | undefined;
  private attachGeneration = 0;

  constructor(
    panel: WebviewPanelApi,
    private readonly deps: MonitorDeps,
    private runId: string | null,
    onDispose: (panel: MonitorPanel) => void,
  ) {
    this.frame = new PanelFrame(
      panel,
      'monitor',
      MonitorWebviewMessage,
      {
        ready: (message) => this.attach(this.runId ?? message.runId),
        action: async (message) => {
          try {
            await deps.commands.executeCommand(ACTION_COMMANDS[message.action], message.runId);
            this.frame.post({ type: 'actionResult', requestId: message.requestId, ok: true });
          } catch (error) {
            this.frame.post({ type: 'actionResult', requestId: message.requestId, ok: false, error: error instanceof Error ? error.message : String(error) });
          }
        },
      },
      deps.log,
    );
    this.frame.track({ dispose: () => this.detach() });
    this.frame.track(panel.onDidDispose(() => onDispose(this)));
    this.updateTitle();
  }

  private get runs(): RunsPort {
    return this.deps.runs;
  }

  private get log(): LogApi {
    return this.deps.log;
  }

  get currentRunId(): string | null {
    return this.runId;
  }

  reveal(): void {
    this.frame.panel.reveal(undefined, false);
  }

  private updateTitle(): void {
    const run = this.runId ? this.runs.get(this.runId) : undefined;
    this.frame.panel.title = run ? `Monitor: ${runLabel(run)}` : 'BrightRun Monitor';
  }

  private detach(): void {
    for (const d of this.attached.splice(0)) d.dispose();
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = undefined;
  }

  /** (Re)sends everything for the run: called on every `ready`, so a reloaded webview replays the full history. */
  private async attach(runId: string | null): Promise<void> {
    this.detach();
    const generation = ++this.attachGeneration;
    this.runId = runId;
    this.updateTitle();
    const summary = runId ? this.runs.monitorSummary(runId) : undefined;
    if (!runId || !summary) {
      this.log.warn(`Monitor: run ${runId ?? '(none)'} is not in the Runs list.`);
      void this.deps.window.showWarningMessage(
        runId ? `Run ${runId} is no longer in the Runs list; its monitor was closed.` : 'The monitor had no run to show.',
      );
      this.frame.dispose();
      return;
    }
    // Subscribe before reading the history so nothing that arrives meanwhile is lost; the webview drops
    // any event whose seq it already has.
    const early: RunEvent[] = [];
    let live = false;
    this.attached.push(
      this.runs.onEvents(runId, (events) => {
        if (!live) early.push(...events);
        else this.frame.post({ type: 'events', runId, history: compactHistory(events) });
        this.scheduleLogRefresh(runId);
      }),
      this.runs.onDidChange((ids) => {
        if (ids.length > 0 && !ids.includes(runId)) return;
        const next = this.runs.monitorSummary(runId);
        if (next) this.frame.post({ type: 'summary', run: next });
        this.updateTitle();
        this.scheduleLogRefresh(runId);
      }),
    );
    const [events, logTail] = await Promise.all([
      this.runs.history(runId).catch((error) => {
        this.log.error(`Monitor: reading the history of ${runId} failed: ${error instanceof Error ? error.message : error}`);
        return [] as RunEvent[];
      }),
      this.runs.logTail(runId, LOG_LINES).catch(() => [] as string[]),
    ]);
    if (generation !== this.attachGeneration || this.frame.isDisposed) return;
    this.logShown = logTail;
    this.frame.post({ type: 'init', run: this.runs.monitorSummary(runId) ?? summary, history: compactHistory(events), logTail });
    live = true;
    const maxSeq = events.reduce((max, event) => Math.max(max, event.seq), 0);
    const missed = early.filter((event) => event.seq > maxSeq);
    if (missed.length) this.frame.post({ type: 'events', runId, history: compactHistory(missed) });
  }

  private scheduleLogRefresh(runId: string): void {
    if (this.logTimer) return;
    this.logTimer = setTimeout(async () => {
      this.logTimer = undefined;
      if (this.frame.isDisposed || this.runId !== runId) return;
      const tail = await this.runs.logTail(runId, LOG_LINES).catch(() => null);
      if (!tail) return;
      const lines = appendedLines(this.logShown, tail);
      this.logShown = tail;
      if (lines.length) this.frame.post({ type: 'log', runId, lines });
      const run = this.runs.get(runId);
      if (run && isActive(run)) this.scheduleLogRefresh(runId);
    }, LOG_REFRESH_MS);
  }
}

/** One monitor per run: opening a run that already has one reveals it. */
export class MonitorPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly open = new Set<MonitorPanel>();

  constructor(private readonly deps: MonitorDeps) {}

  private get runs(): RunsPort {
    return this.deps.runs;
  }

  show(runId: string): void {
    const existing = [...this.open].find((panel) => panel.currentRunId === runId);
    if (existing) {
      existing.reveal();
      return;
    }
    const run = this.runs.get(runId);
    this.adopt(this.deps.panels.create(MONITOR_VIEW_TYPE, run ? `Monitor: ${runLabel(run)}` : 'BrightRun Monitor', 'monitor'), runId);
  }

  async deserializeWebviewPanel(panel: WebviewPanelApi, state: unknown): Promise<void> {
    const runId = typeof (state as { runId?: unknown })?.runId === 'string' ? (state as { runId: string }).runId : null;
    this.adopt(this.deps.panels.restore(panel, 'monitor'), runId);
  }

  private adopt(panel: WebviewPanelApi, runId: string | null): void {
    this.open.add(new MonitorPanel(panel, this.deps, runId, (closed) => this.open.delete(closed)));
  }

  dispose(): void {
    this.open.clear();
  }
}
