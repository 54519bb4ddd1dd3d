// This month's GPU spend against the monthly budget, in the status bar ("$412.30 / $500.00", a warning background
// from 80%, an error one from 100%) and as a notification when it crosses 80% and 100%: once per threshold per
// month, remembered in the editor's global state so a reload does not say it again. Recomputed when runs change
// and every minute (a running run's cost grows without any event).
import { budgetAlertDue, readBudgetAlertMemory } from '../../core/runs/budgetAlerts';
import { computeSpend } from '../../core/runs/spend';
import type { SpendReport } from '../../contracts/spend';
import { budgetText, budgetWarningText, moneyText, unpricedNote } from '../../shared/spendText';
import type { StatusItemApi } from '../api/statusBar';
import type { WindowApi } from '../api/window';
import type { RunsPort } from '../runs/runsPort';
import { COMMANDS } from '../commandIds';
import { coalesceAfter, everyMinute, type CoalesceFactory } from './coalesce';

export const BUDGET_ALERTS_KEY = 'brightrun.spend.budgetAlerts';
export const SHOW_SPEND = 'Show Spend';
export const CHANGE_BUDGET = 'Change Budget';

export interface BudgetWatchDeps {
  runs: Pick<RunsPort, 'spendRuns' | 'onDidChange'>;
  /** The brightrun.spend.monthlyBudgetUsd setting (0: none). */
  budgetUsd: () => number;
  /** Where the alerts already shown are remembered (the extension's globalState). */
  state: { get(key: string): unknown; update(key: string, value: unknown): Thenable<void> };
  window: Pick<WindowApi, 'showWarningMessage'>;
  item: StatusItemApi;
  showSpend: () => void;
  openBudgetSetting: () => void;
  now?: () => Date;
  /** Calls `refresh` periodically (default: every minute); returns what stops it. */
  every?: (refresh: () => void) => { dispose(): void };
  /** Folds the refreshes asked for by run changes (default: one a second at most). */
  coalesce?: CoalesceFactory;
}

export class BudgetWatch {
  private readonly disposables: { dispose(): void }[] = [];

  constructor(private readonly deps: BudgetWatchDeps) {
    const changed = (deps.coalesce ?? coalesceAfter(1000))(() => this.refresh());
    this.disposables.push(
      changed,
      deps.runs.onDidChange(() => changed.request()),
      (deps.every ?? everyMinute)(() => this.refresh()),
      deps.item,
    );
    this.refresh();
  }

  /** Recomputes the month (also called when the budget setting changes). */
  refresh(): void {
    const report = computeSpend(this.deps.runs.spendRuns(), { now: (this.deps.now ?? (() => new Date()))(), budgetUsd: this.deps.budgetUsd() });
    this.showStatus(report);
    this.alertIfDue(report);
  }

  private showStatus(report: SpendReport): void {
    const budget = report.budget;
    if (!budget) {
      this.deps.item.show(null);
      return;
    }
    const note = unpricedNote(report.total);
    this.deps.item.show({
      text: `$(credit-card) ${moneyText(budget.spentUsd)} / ${moneyText(budget.budgetUsd)}`,
      tooltip: `GPU spend this month: ${budgetText(budget)}${note ? `\n${note}` : ''}\nClick to show the Spend panel.`,
      command: COMMANDS.showSpend,
      background: budget.level === 'exceeded' ? 'error' : budget.level === 'warning' ? 'warning' : null,
    });
  }

  private alertIfDue(report: SpendReport): void {
    const { alert, memory } = budgetAlertDue(report, readBudgetAlertMemory(this.deps.state.get(BUDGET_ALERTS_KEY)));
    if (!alert || !report.budget) return;
    // Remembered before it is shown: a reload while the notification is open must not show it again.
    void this.deps.state.update(BUDGET_ALERTS_KEY, memory);
    const text = budgetWarningText(report.budget, report.month);
    void this.deps.window.showWarningMessage(`BrightRun: ${text}`, {}, SHOW_SPEND, CHANGE_BUDGET).then((choice) => {
      if (choice === SHOW_SPEND) this.deps.showSpend();
      else if (choice === CHANGE_BUDGET) this.deps.openBudgetSetting();
    });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
