// `brightrun train` of a config with a `sweep` block: every run of the sweep is launched through the normal
// launcher (the host's queue orders them); the sweep id and its runs are printed, and with --follow every run
// is followed to its end and the sweep ranked.
import type { HostRegistry, RunRegistry } from '../core/runs';
import type { RunConfigFile } from '../contracts/runConfigFile';
import { expandSweep, parameterWords, sweepName, SweepError } from '../core/sweeps/expandSweep';
import { launchSweep, SweepLaunchError } from '../core/sweeps/launchSweep';
import { followSweep, metricValues, rankedSweep, rankingLines } from './sweepOutput';
import { escapeForTerminal as shown } from './terminalText';

/** --dry-run: the runs the sweep would launch, with their names. */
export function printSweepPlan(config: RunConfigFile, configFile: string): number {
  try {
    const children = expandSweep(config, { id: 'dry-run', name: sweepName(config, configFile) });
    console.log(`The sweep would launch ${children.length} run(s):`);
    for (const child of children) console.log(shown(`  ${child.membership.index + 1}. ${child.config.name}`));
    return 0;
  } catch (error) {
    if (!(error instanceof SweepError)) throw error;
    console.error(`brightrun train: ${shown(error.message)}`);
    return 2;
  }
}

export async function trainSweep(
  registry: RunRegistry,
  hosts: HostRegistry,
  request: { config: RunConfigFile; configFile: string; host: string },
  follow: boolean,
): Promise<number> {
  let sweep;
  try {
    sweep = await launchSweep(registry, { ...request, onProgress: (message) => console.log(`  ${shown(message)}`) });
  } catch (error) {
    if (error instanceof SweepError) {
      console.error(`brightrun train: ${shown(error.message)}`);
      return 2;
    }
    if (error instanceof SweepLaunchError) {
      console.error(`brightrun train: ${shown(error.message)}`);
      return 1;
    }
    throw error;
  }
  const settings = request.config.sweep!;
  console.log(shown(`Sweep ${sweep.id} "${sweep.name}": ${sweep.runs.length} runs (${settings.strategy}), ranked by ${settings.metric}, on ${request.host}:`));
  for (const run of sweep.runs) console.log(shown(`  ${run.sweep!.index + 1}. ${run.id}  ${parameterWords(run.sweep!.parameters)}`));
  if (!follow) {
    console.log(`Follow it with: brightrun sweeps ${sweep.id} --follow`);
    return 0;
  }
  if ((await followSweep(registry, sweep.id)) === 'detached') return 0;
  const members = registry.list().filter((run) => run.sweep?.id === sweep.id);
  for (const line of rankingLines(rankedSweep(members, await metricValues(hosts, members)), members)) console.log(line);
  return members.some((run) => run.state === 'completed') ? 0 : 1;
}
