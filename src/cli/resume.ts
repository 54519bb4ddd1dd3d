// `brightrun resume RUN [--follow]`: a new attempt of a cancelled or failed run from its latest checkpoint.
import type { CliCommand } from './dispatch';
import { parseArgs, UsageError } from './runArgs';
import { findRun, openCliRegistry } from './cliContext';
import { exitCodeOf, followInTerminal, summaryLines } from './runOutput';
import { RunLaunchError } from '../core/runs';
import { escapeForTerminal as shown } from './terminalText';

const USAGE = 'brightrun resume RUN [--follow]';

export const command: CliCommand = {
  summary: 'continue a cancelled or failed run from its latest checkpoint',
  usage: USAGE,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs(args, { flags: ['--follow', '-f'] });
      if (parsed.positionals.length !== 1) throw new UsageError('expected one run');
    } catch (error) {
      console.error(`brightrun resume: ${shown((error as Error).message)}\nusage: ${USAGE}`);
      return 2;
    }
    const { registry, hosts } = await openCliRegistry(false);
    try {
      let id: string;
      try {
        id = findRun(registry, parsed.positionals[0]).id;
        await registry.resume(id);
      } catch (error) {
        console.error(`brightrun resume: ${shown((error as Error).message)}`);
        return error instanceof RunLaunchError ? 1 : 2;
      }
      console.log(`Run ${id} resumed from its latest checkpoint.`);
      if (!parsed.flags.has('--follow') && !parsed.flags.has('-f')) {
        console.log(`Follow it with: brightrun logs ${id} -f`);
        return 0;
      }
      const outcome = await followInTerminal(registry, id);
      if (outcome.kind === 'ended') for (const line of summaryLines(outcome.info)) console.log(line);
      return exitCodeOf(outcome);
    } finally {
      registry.dispose();
      hosts.dispose();
    }
  },
};
