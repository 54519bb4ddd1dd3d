// Says when a sweep has finished (every one of its runs ended), with its best run, and offers to compare its
// runs. Sweeps already finished when the editor opened are not announced again.
import type { RunInfo } from '../../core/runs/runInfo';
import { groupSweeps, sweepProgressText } from '../../core/sweeps/rankSweep';
import type { CommandsApi } from '../api/commands';
import type { WindowApi } from '../api/window';
import { COMMANDS } from '../commandIds';
import type { RunsPort } from './runsPort';
import { SweepValues } from './sweepValues';

/** Finished: every run the sweep launched is recorded and has ended. */
function finished(members: readonly RunInfo[], summary: { finished: boolean; size: number }): boolean {
  return summary.finished && members.length >= summary.size;
}

export class SweepNotifications {
  private readonly wasFinished = new Map<string, boolean>();
  private readonly values: SweepValues;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly runs: Pick<RunsPort, 'list' | 'onDidChange' | 'evalReport'>,
    private readonly window: Pick<WindowApi, 'showInformationMessage'>,
    private readonly commands: CommandsApi,
  ) {
    this.values = new SweepValues(runs);
    for (const [id, members] of groupSweeps(runs.list())) this.wasFinished.set(id, finished(members, this.values.summary(members)));
    this.subscription = runs.onDidChange(() => this.check());
  }

  private check(): void {
    for (const [id, members] of groupSweeps(this.runs.list())) {
      const summary = this.values.summary(members);
      const now = finished(members, summary);
      const before = this.wasFinished.get(id);
      this.wasFinished.set(id, now);
      if (!now || before !== false) continue;
      void this.window.showInformationMessage(`Sweep ${summary.name} finished: ${sweepProgressText(summary)}.`, 'Compare').then((action) => {
        if (action === 'Compare') void this.commands.executeCommand(COMMANDS.compareSweep, id);
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
