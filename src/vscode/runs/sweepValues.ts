// Each sweep run's value of its sweep's metric, for the Runs view and the sweep notifications: losses straight
// from the run, evaluation-report scores read once per completed run (then kept) and announced when they arrive.
import type { RunInfo } from '../../core/runs/runInfo';
import { metricValue, needsEvalReport, summarizeSweep, type SweepSummary } from '../../core/sweeps/rankSweep';
import type { RunsPort } from './runsPort';

export class SweepValues {
  /** Scores from evaluation reports, by run id (null: the run has no report). */
  private readonly scores = new Map<string, number | null>();
  private readonly loading = new Set<string>();

  constructor(
    private readonly runs: Pick<RunsPort, 'evalReport'>,
    /** Called with the run's sweep id when a score it waited for arrived. */
    private readonly onLoaded: (sweepId: string) => void = () => {},
  ) {}

  value(run: RunInfo): number | null {
    const metric = run.sweep!.metric;
    if (!needsEvalReport(metric)) return metricValue(metric, run);
    if (run.state !== 'completed') return null;
    if (this.scores.has(run.id)) return this.scores.get(run.id)!;
    this.load(run);
    return null;
  }

  summary(members: readonly RunInfo[]): SweepSummary {
    return summarizeSweep(members, (run) => this.value(run));
  }

  private load(run: RunInfo): void {
    if (this.loading.has(run.id)) return;
    this.loading.add(run.id);
    void this.runs
      .evalReport(run.id)
      .catch(() => null)
      .then((report) => {
        this.scores.set(run.id, metricValue(run.sweep!.metric, run, report));
        this.loading.delete(run.id);
        this.onLoaded(run.sweep!.id);
      });
  }
}
