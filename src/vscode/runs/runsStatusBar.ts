// A status-bar item while runs are active: count and progress; a click opens the monitor of the active run.
import * as vscode from 'vscode';
import { statusBarText } from './runText';
import type { RunsPort } from './runsPort';
import { isActive } from './runFacts';
import { COMMANDS } from '../commandIds';

export class RunsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('brightrun.activeRuns', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly runs: RunsPort) {
    this.item.name = 'BrightRun training runs';
    this.subscription = runs.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const all = this.runs.list();
    const status = statusBarText(all);
    if (!status) {
      this.item.hide();
      return;
    }
    const active = all.filter(isActive);
    this.item.text = status.text;
    this.item.tooltip = status.tooltip;
    // One run: straight to its monitor; several: the command asks which.
    this.item.command = { command: COMMANDS.openMonitor, title: 'Open Monitor', arguments: active.length === 1 ? [active[0].id] : [] };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
