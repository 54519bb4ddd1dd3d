// Tells the user when a run completes, fails or hits its budget, with the actions that make sense next.
import * as vscode from 'vscode';
import { notificationForTransition, type NotificationAction } from './notificationText';
import type { RunsPort } from './runsPort';
import type { RunInfo } from '../../core/runs/runInfo';
import { COMMANDS, type CommandId } from '../commandIds';

const ACTION_COMMANDS: Record<NotificationAction, CommandId> = {
  Open: COMMANDS.openMonitor,
  'Open Monitor': COMMANDS.openMonitor,
  'Push to Hub': COMMANDS.pushToHub,
  'Show Log': COMMANDS.showRunLog,
  Resume: COMMANDS.resumeRun,
};

export class RunNotifications implements vscode.Disposable {
  private readonly last = new Map<string, RunInfo>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly runs: RunsPort) {
    for (const run of runs.list()) this.last.set(run.id, run);
    this.subscription = runs.onDidChange((ids) => this.onChange(ids.length ? ids : runs.list().map((run) => run.id)));
  }

  private onChange(ids: string[]): void {
    for (const id of ids) {
      const now = this.runs.get(id);
      const before = this.last.get(id);
      if (!now) {
        this.last.delete(id);
        continue;
      }
      this.last.set(id, now);
      const note = notificationForTransition(before, now);
      if (!note) continue;
      const show =
        note.severity === 'error'
          ? vscode.window.showErrorMessage
          : note.severity === 'warning'
            ? vscode.window.showWarningMessage
            : vscode.window.showInformationMessage;
      void show(note.message, ...note.actions).then((action) => {
        if (!action) return;
        const arg = action === 'Push to Hub' ? { runId: id } : id;
        void vscode.commands.executeCommand(ACTION_COMMANDS[action as NotificationAction], arg);
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
