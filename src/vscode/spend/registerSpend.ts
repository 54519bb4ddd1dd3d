// Wires spend into the editor: the "BrightRun: Show Spend" command and its panel (with its serializer, so it comes
// back after a reload), and the monthly budget in the status bar with its notifications. The budget is the
// brightrun.spend.monthlyBudgetUsd setting, re-read when it changes.
import * as vscode from 'vscode';
import { vscodeCommands } from '../api/commands';
import { vscodeStatusItem } from '../api/statusBar';
import { webviewPanels } from '../api/webviewPanel';
import { vscodeWindow } from '../api/window';
import { COMMANDS } from '../commandIds';
import { SPEND_VIEW_TYPE, SpendPanels } from '../panels/spendPanel';
import type { RunsPort } from '../runs/runsPort';
import { readMonthlyBudgetUsd, SETTINGS_SECTION } from '../settings';
import { BudgetWatch } from './budgetWatch';

const BUDGET_SETTING = `${SETTINGS_SECTION}.spend.monthlyBudgetUsd`;

export function registerSpend(context: vscode.ExtensionContext, deps: { runs: RunsPort; log: vscode.LogOutputChannel }): void {
  const reported = new Set<string>();
  const budgetUsd = () => {
    const { value, problems } = readMonthlyBudgetUsd(vscode.workspace.getConfiguration(SETTINGS_SECTION));
    for (const problem of problems) {
      if (reported.has(problem)) continue;
      reported.add(problem);
      deps.log.warn(problem);
      void vscode.window.showWarningMessage(`BrightRun: ${problem}`);
    }
    return value;
  };
  const openBudgetSetting = () => void vscode.commands.executeCommand('workbench.action.openSettings', BUDGET_SETTING);
  const panels = new SpendPanels({
    runs: deps.runs,
    budgetUsd,
    openBudgetSetting,
    log: deps.log,
    commands: vscodeCommands,
    panels: webviewPanels(context.extensionUri),
  });
  const watch = new BudgetWatch({
    runs: deps.runs,
    budgetUsd,
    state: context.globalState,
    window: vscodeWindow,
    item: vscodeStatusItem('brightrun.spend', 'BrightRun GPU spend', 9),
    showSpend: () => panels.show(),
    openBudgetSetting,
  });
  context.subscriptions.push(
    watch,
    vscode.window.registerWebviewPanelSerializer(SPEND_VIEW_TYPE, panels),
    vscode.commands.registerCommand(COMMANDS.showSpend, () => panels.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(BUDGET_SETTING)) return;
      watch.refresh();
      panels.refresh();
    }),
  );
}
