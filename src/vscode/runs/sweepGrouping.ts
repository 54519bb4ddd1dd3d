// Under a host, the Runs view lists runs of their own and one node per sweep, in the order of the runs (newest
// first): a sweep stands where its newest run would. A sweep's runs are listed in the sweep's order.
import type { RunInfo } from '../../core/runs/runInfo';

export type HostChild = { kind: 'run'; run: RunInfo } | { kind: 'sweep'; sweepId: string; runs: RunInfo[] };

export function hostChildren(runs: readonly RunInfo[]): HostChild[] {
  const children: HostChild[] = [];
  const sweeps = new Map<string, RunInfo[]>();
  for (const run of runs) {
    if (!run.sweep) {
      children.push({ kind: 'run', run });
      continue;
    }
    let members = sweeps.get(run.sweep.id);
    if (!members) {
      sweeps.set(run.sweep.id, (members = []));
      children.push({ kind: 'sweep', sweepId: run.sweep.id, runs: members });
    }
    members.push(run);
  }
  for (const members of sweeps.values()) members.sort((a, b) => a.sweep!.index - b.sweep!.index);
  return children;
}

/** "sweep:finished" or "sweep:active": the Runs view's menus tell them apart by it. */
export function sweepContextValue(finished: boolean): string {
  return finished ? 'sweep:finished' : 'sweep:active';
}
