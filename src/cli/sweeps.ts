// `brightrun sweeps [SWEEP] [--json] [--follow]`: every sweep with its progress and best run, or one sweep's runs
// ranked by its metric with the best marked. --follow waits until every run of the sweep ended, then ranks.
import { UsageError, type CommandHandler } from './commandArgs';
import { openCliRegistry } from './cliContext';
import type { HostRegistry, RunInfo, RunRegistry } from '../core/runs';
import { TERMINAL_STATES } from '../contracts/status';
import { groupSweeps, summarizeSweep } from '../core/sweeps/rankSweep';
import { followSweep, metricValues, rankedSweep, rankingLines, sweepListLines } from './sweepOutput';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';

/** A sweep named on the command line: its id, a unique prefix of it, or `last` for the newest. */
function findSweep(sweeps: Map<string, RunInfo[]>, name: string): string {
  const ids = [...sweeps.keys()].sort();
  if (name === 'last' || name === 'latest') {
    if (ids.length === 0) throw new UsageError('there are no sweeps yet');
    return ids[ids.length - 1];
  }
  if (sweeps.has(name)) return name;
  const matches = ids.filter((id) => id.startsWith(name) || id.startsWith(`sweep-${name}`));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`'${name}' matches ${matches.length} sweeps: ${matches.join(', ')}`);
  throw new UsageError(`no sweep '${name}' (see \`brightrun sweeps\`)`);
}

async function syncActive(registry: RunRegistry, runs: readonly RunInfo[]): Promise<void> {
  for (const info of runs) {
    if (TERMINAL_STATES.includes(info.state)) continue;
    await registry.sync(info.id).catch((error: unknown) => {
      console.error(`brightrun: cannot reach ${shown(info.host)} for run ${info.id}: ${shown((error as Error).message)}`);
    });
  }
}

async function showSweep(registry: RunRegistry, hosts: HostRegistry, sweepId: string, json: boolean): Promise<void> {
  const members = registry.list().filter((run) => run.sweep?.id === sweepId);
  const ranked = rankedSweep(members, await metricValues(hosts, members));
  if (json) console.log(escapeJsonForTerminal(JSON.stringify(ranked, null, 2)));
  else for (const line of rankingLines(ranked, members)) console.log(line);
}

export const run: CommandHandler = async (args) => {
  const { registry, hosts } = await openCliRegistry(false);
  try {
    await syncActive(
      registry,
      registry.list().filter((info) => info.sweep !== null),
    );
    const sweeps = groupSweeps(registry.list());
    const name = args.positionals[0];
    if (name === undefined) {
      if (args.flag('follow')) throw new UsageError('name the sweep to follow (see `brightrun sweeps`)');
      const summaries = await Promise.all(
        [...sweeps.values()].map(async (members) => {
          const values = await metricValues(hosts, members);
          return summarizeSweep(members, (info) => values.get(info.id) ?? null);
        }),
      );
      summaries.sort((a, b) => b.id.localeCompare(a.id));
      if (args.flag('json')) console.log(escapeJsonForTerminal(JSON.stringify(summaries, null, 2)));
      else if (summaries.length === 0)
        console.log('No sweeps yet. Add a "sweep" block to a run config and launch it with: brightrun train CONFIG.brightrun.json');
      else for (const line of sweepListLines(summaries)) console.log(line);
      return 0;
    }
    const sweepId = findSweep(sweeps, name);
    if (args.flag('follow') && (await followSweep(registry, sweepId)) === 'detached') return 0;
    await showSweep(registry, hosts, sweepId, args.flag('json'));
    const members = registry.list().filter((info) => info.sweep?.id === sweepId);
    return args.flag('follow') && members.every((info) => info.state !== 'completed') ? 1 : 0;
  } finally {
    registry.dispose();
    hosts.dispose();
  }
};
