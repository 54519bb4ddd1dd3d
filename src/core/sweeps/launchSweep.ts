// Launching a sweep: every run of the expansion through the normal launcher, one after the other, so each
// host's queue orders them like any other runs (runs beyond the host's capacity wait their turn).
import type { RunConfigFile } from '../../contracts/runConfigFile';
import type { LaunchRequest, RunRegistry } from '../runs/runRegistry';
import type { RunInfo } from '../runs/runInfo';
import { expandSweep, parameterWords, sweepName } from './expandSweep';
import { newSweepId } from './sweepId';

export interface LaunchedSweep {
  id: string;
  name: string;
  runs: RunInfo[];
}

/** A sweep whose launch stopped part way: the runs already launched go on (listed here). */
export class SweepLaunchError extends Error {
  constructor(
    message: string,
    readonly launched: RunInfo[],
  ) {
    super(message);
  }
}

export async function launchSweep(
  registry: Pick<RunRegistry, 'launch'>,
  request: LaunchRequest & { config: RunConfigFile },
  now: () => Date = () => new Date(),
): Promise<LaunchedSweep> {
  const identity = { id: newSweepId(now()), name: sweepName(request.config, request.configFile) };
  const children = expandSweep(request.config, identity);
  const runs: RunInfo[] = [];
  for (const child of children) {
    const label = `run ${child.membership.index + 1}/${children.length} (${parameterWords(child.membership.parameters)})`;
    request.onProgress?.(`sweep ${label}`);
    try {
      runs.push(await registry.launch({ ...request, config: child.config, sweep: child.membership, onProgress: request.onProgress }));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      const kept = runs.length === 0 ? 'no run was launched' : `the ${runs.length} run(s) already launched go on: ${runs.map((run) => run.id).join(', ')}`;
      throw new SweepLaunchError(`sweep ${identity.id}: ${label} could not be launched: ${why}; ${kept}`, runs);
    }
  }
  return { ...identity, runs };
}
