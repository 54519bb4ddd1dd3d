// Compare marks the runs of a sweep: each one's value of the sweep's metric, its rank among the compared runs of
// that sweep, and a star on the best. Computed from what the panel already loaded (the run, its evaluation).
import type { EvalReport } from '../../contracts/evalReport';
import type { RunInfo } from '../../core/runs/runInfo';
import { metricValue, rankSweep } from '../../core/sweeps/rankSweep';
import type { CompareSweepMark } from '../../shared/compareProtocol';

export function sweepMarks(runs: readonly { info: RunInfo; evaluation: EvalReport | null | undefined }[]): Map<string, CompareSweepMark> {
  const marks = new Map<string, CompareSweepMark>();
  const bySweep = new Map<string, typeof runs>();
  for (const run of runs) {
    if (run.info.sweep) bySweep.set(run.info.sweep.id, [...(bySweep.get(run.info.sweep.id) ?? []), run]);
  }
  for (const members of bySweep.values()) {
    const sweep = members[0].info.sweep!;
    const ranked = rankSweep(
      members.map(({ info, evaluation }) => ({
        runId: info.id,
        state: info.state,
        sweep: info.sweep!,
        value: metricValue(sweep.metric, info, evaluation ?? null),
      })),
      sweep.goal,
    );
    for (const run of ranked) {
      marks.set(run.runId, { id: sweep.id, name: sweep.name, metric: sweep.metric, goal: sweep.goal, value: run.value, rank: run.rank, best: run.best });
    }
  }
  return marks;
}
