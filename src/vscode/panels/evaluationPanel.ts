// Hosts the Evaluation panel: one run's report (scorecard, gates, answers side by side), saved as JSON or
// Markdown on request. One panel: evaluating another run replaces what it shows. Restored after a window reload
// with the run id the webview saved.
import * as vscode from 'vscode';
import { rename, writeFile } from 'node:fs/promises';
import type { EvalReport } from '../../contracts/evalReport';
import { EvaluationWebviewMessage, type EvaluationHostMessage } from '../../shared/evaluationProtocol';
import type { RunsPort } from '../runs/runsPort';
import { runLabel } from '../runs/runText';
import { preparePanel } from '../api/webviewPanel';
import { PanelFrame } from './panelFrame';
import { COMMANDS } from '../commandIds';

export const EVALUATION_VIEW_TYPE = 'brightrun.evaluation';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class EvaluationPanel {
  private readonly frame: PanelFrame<EvaluationWebviewMessage, EvaluationHostMessage>;
  private report: EvalReport | null = null;
  private ready = false;
  /** What the evaluation in progress does; sent again after `init`, which the webview may ask for meanwhile. */
  private busyMessage: string | null = null;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly runs: RunsPort,
    private readonly log: vscode.LogOutputChannel,
    private runId: string | null,
    onDispose: () => void,
  ) {
    this.frame = new PanelFrame(
      preparePanel(panel, extensionUri, 'evaluation'),
      'evaluation',
      EvaluationWebviewMessage,
      {
        ready: async (message) => {
          this.ready = true;
          await this.load(this.runId ?? message.runId, this.report);
        },
        export: (message) => this.export(message.format),
        evaluateAgain: () => void vscode.commands.executeCommand(COMMANDS.evaluateAdapter, this.runId),
      },
      log,
    );
    this.frame.track(panel.onDidDispose(onDispose));
  }

  get currentRunId(): string | null {
    return this.runId;
  }

  reveal(): void {
    this.frame.panel.reveal(undefined, false);
  }

  /** Shows a run: its given report, or the last one it has. */
  async show(runId: string, report: EvalReport | null): Promise<void> {
    if (runId !== this.runId || report) this.busyMessage = null;
    this.runId = runId;
    this.report = report;
    if (this.ready) await this.load(runId, report);
  }

  busy(runId: string, message: string | null): void {
    if (runId !== this.runId) return;
    this.busyMessage = message;
    this.frame.post({ type: 'evaluating', message });
  }

  failed(runId: string, error: string): void {
    if (runId !== this.runId) return;
    this.busyMessage = null;
    this.frame.post({ type: 'failed', error });
  }

  private async load(runId: string | null, given: EvalReport | null): Promise<void> {
    const run = runId ? this.runs.get(runId) : undefined;
    if (!run) {
      this.runId = null;
      this.frame.panel.title = 'Evaluation';
      this.frame.post({ type: 'init', run: null, report: null });
      return;
    }
    this.runId = run.id;
    this.frame.panel.title = `Evaluation: ${runLabel(run)}`;
    let report = given;
    if (!report) {
      try {
        report = await this.runs.evalReport(run.id);
      } catch (error) {
        this.log.warn(`The evaluation report of ${run.id} could not be read: ${errorText(error)}`);
      }
    }
    this.report = report;
    this.frame.post({ type: 'init', run: { runId: run.id, label: runLabel(run), host: run.host }, report });
    if (this.busyMessage !== null) this.frame.post({ type: 'evaluating', message: this.busyMessage });
  }

  private async export(format: 'json' | 'markdown'): Promise<void> {
    const runId = this.runId;
    if (!runId || !this.report) return;
    try {
      const text = format === 'json' ? JSON.stringify(this.report, null, 2) + '\n' : await this.runs.evalMarkdown(runId);
      if (text === null) throw new Error('the Markdown report (EVAL.md) is not beside the adapter; evaluate the run again to write it');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `${runId}-eval.${format === 'json' ? 'json' : 'md'}`;
      const target = await vscode.window.showSaveDialog({
        title: `Save the evaluation of ${runId}`,
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      });
      if (!target) return;
      if (target.scheme === 'file') {
        const tmp = `${target.fsPath}.tmp-${process.pid}`;
        await writeFile(tmp, text);
        await rename(tmp, target.fsPath);
      } else {
        await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      }
      this.frame.post({ type: 'exported', path: target.fsPath });
    } catch (error) {
      void vscode.window.showErrorMessage(`Saving the evaluation of ${runId} failed: ${errorText(error)}`);
    }
  }
}

/** The single Evaluation panel, and its serializer. */
export class EvaluationPanels implements vscode.WebviewPanelSerializer {
  private current: EvaluationPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunsPort,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens (or reuses) the panel on a run. */
  async show(runId: string, report: EvalReport | null = null): Promise<void> {
    if (!this.current) {
      const panel = vscode.window.createWebviewPanel(EVALUATION_VIEW_TYPE, 'Evaluation', vscode.ViewColumn.Active, { enableScripts: true });
      this.adopt(panel, runId);
    }
    await this.current!.show(runId, report);
    this.current!.reveal();
  }

  busy(runId: string, message: string | null): void {
    this.current?.busy(runId, message);
  }

  failed(runId: string, error: string): void {
    this.current?.failed(runId, error);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const runId = typeof (state as { runId?: unknown })?.runId === 'string' ? (state as { runId: string }).runId : null;
    this.adopt(panel, runId);
  }

  private adopt(panel: vscode.WebviewPanel, runId: string | null): void {
    const created: EvaluationPanel = new EvaluationPanel(panel, this.extensionUri, this.runs, this.log, runId, () => {
      if (this.current === created) this.current = undefined;
    });
    this.current = created;
  }
}
