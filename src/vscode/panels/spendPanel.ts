// Hosts the Spend webview: the spend report of a month (this month unless the user picked another), sent after
// `ready` and again whenever runs change, the budget setting changes or a minute passes (running runs' cost grows).
// Restored after a reload with the month the webview saved.
import type * as vscode from 'vscode';
import type { CommandsApi } from '../api/commands';
import type { LogApi } from '../api/log';
import type { PanelFactory, WebviewPanelApi } from '../api/webviewPanel';
import { computeSpend, monthKey } from '../../core/runs/spend';
import { SpendWebviewMessage, type SpendHostMessage } from '../../shared/spendProtocol';
import type { RunsPort } from '../runs/runsPort';
import { PanelFrame } from './panelFrame';
import { COMMANDS } from '../commandIds';
import { coalesceAfter, everyMinute, type CoalesceFactory } from '../spend/coalesce';

export const SPEND_VIEW_TYPE = 'brightrun.spend';

export interface SpendDeps {
  runs: Pick<RunsPort, 'spendRuns' | 'onDidChange'>;
  /** The brightrun.spend.monthlyBudgetUsd setting (0: none). */
  budgetUsd: () => number;
  openBudgetSetting: () => void;
  log: LogApi;
  commands: CommandsApi;
  panels: PanelFactory;
  now?: () => Date;
  /** Calls `refresh` periodically (default: every minute); returns what stops it. */
  every?: (refresh: () => void) => { dispose(): void };
  /** Folds the refreshes asked for by run changes (default: one a second at most). */
  coalesce?: CoalesceFactory;
}

export class SpendPanel {
  private readonly frame: PanelFrame<SpendWebviewMessage, SpendHostMessage>;
  private ready = false;

  constructor(
    panel: WebviewPanelApi,
    private readonly deps: SpendDeps,
    /** null: this month, following the calendar. */
    private month: string | null,
    onDispose: () => void,
  ) {
    this.frame = new PanelFrame(
      panel,
      'spend',
      SpendWebviewMessage,
      {
        ready: (message) => {
          this.ready = true;
          if (this.month === null) this.month = message.month;
          this.refresh();
        },
        showMonth: (message) => {
          this.month = message.month;
          this.refresh();
        },
        editBudget: () => deps.openBudgetSetting(),
        openMonitor: (message) => void deps.commands.executeCommand(COMMANDS.openMonitor, message.runId),
      },
      deps.log,
    );
    const changed = (deps.coalesce ?? coalesceAfter(1000))(() => this.refresh());
    this.frame.track(changed);
    this.frame.track(deps.runs.onDidChange(() => changed.request()));
    this.frame.track((deps.every ?? everyMinute)(() => this.refresh()));
    this.frame.track(panel.onDidDispose(onDispose));
  }

  reveal(): void {
    this.frame.panel.reveal(undefined, false);
  }

  /** Sends the report again (nothing before the webview said it is ready to receive it). */
  refresh(): void {
    if (!this.ready || this.frame.isDisposed) return;
    const now = (this.deps.now ?? (() => new Date()))();
    const report = computeSpend(this.deps.runs.spendRuns(), { now, month: this.month ?? undefined, budgetUsd: this.deps.budgetUsd() });
    this.frame.post({ type: 'report', report, currentMonth: monthKey(now.getTime()) });
  }
}

/** A single Spend panel: showing it again reveals it. */
export class SpendPanels implements vscode.WebviewPanelSerializer {
  private current: SpendPanel | undefined;

  constructor(private readonly deps: SpendDeps) {}

  show(): void {
    if (this.current) {
      this.current.reveal();
      return;
    }
    this.adopt(this.deps.panels.create(SPEND_VIEW_TYPE, 'Spend', 'spend'), null);
  }

  /** The budget setting changed. */
  refresh(): void {
    this.current?.refresh();
  }

  async deserializeWebviewPanel(panel: WebviewPanelApi, state: unknown): Promise<void> {
    const month = (state as { month?: unknown } | undefined)?.month;
    this.adopt(this.deps.panels.restore(panel, 'spend'), typeof month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : null);
  }

  private adopt(panel: WebviewPanelApi, month: string | null): void {
    const created: SpendPanel = new SpendPanel(panel, this.deps, month, () => {
      if (this.current === created) this.current = undefined;
    });
    this.current = created;
  }
}
