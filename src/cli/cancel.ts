// `brightrun cancel RUN`: asks the trainer to stop (it saves a checkpoint first); forces it after a grace period.
import type { CliCommand } from './dispatch';
import { parseArgs, UsageError } from './runArgs';
import { findRun, openCliRegistry } from './cliContext';
import { summaryLines } from './runOutput';
import { escapeForTerminal as shown } from './terminalText';

const USAGE = 'brightrun cancel RUN';

export const command: CliCommand = {
  summary: 'stop a run (it checkpoints first, so it can be resumed)',
  usage: USAGE,
  async run(args) {
    let name: string;
    try {
      const parsed = parseArgs(args, {});
      if (parsed.positionals.length !== 1) throw new UsageError('expected one run');
      name = parsed.positionals[0];
    } catch (error) {
      console.error(`brightrun cancel: ${shown((error as Error).message)}\nusage: ${USAGE}`);
      return 2;
    }
    const { registry, hosts } = await openCliRegistry(false);
    try {
      let info;
      try {
        info = findRun(registry, name);
      } catch (error) {
        console.error(`brightrun cancel: ${shown((error as Error).message)}`);
        return 2;
      }
      console.log(`Stopping run ${info.id} on ${shown(info.host)} (it saves a checkpoint first)...`);
      const outcome = await registry.cancel(info.id);
      if (outcome === 'not-running') console.log(`Run ${info.id} was not running.`);
      else if (outcome === 'killed') console.log(`Run ${info.id} did not stop in time and was killed.`);
      for (const line of summaryLines(registry.get(info.id)!)) console.log(line);
      return 0;
    } finally {
      registry.dispose();
      hosts.dispose();
    }
  },
};
