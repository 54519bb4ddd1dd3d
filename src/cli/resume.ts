// `brightrun resume RUN [--follow]`: a new attempt of a cancelled or failed run from its latest checkpoint.
import type { CommandHandler } from './commandArgs';
import { withNamedRun } from './namedRun';
import { exitCodeOf, followInTerminal, summaryLines } from './runOutput';
import { RunLaunchError } from '../core/runs';
import { escapeForTerminal as shown } from './terminalText';

export const run: CommandHandler = (args) =>
  withNamedRun('resume', args.positionals[0], async ({ info: { id }, registry }) => {
    try {
      await registry.resume(id);
    } catch (error) {
      console.error(`brightrun resume: ${shown((error as Error).message)}`);
      return error instanceof RunLaunchError ? 1 : 2;
    }
    console.log(`Run ${id} resumed from its latest checkpoint.`);
    if (!args.flag('follow')) {
      console.log(`Follow it with: brightrun logs ${id} -f`);
      return 0;
    }
    const outcome = await followInTerminal(registry, id);
    if (outcome.kind === 'ended') for (const line of summaryLines(outcome.info)) console.log(line);
    return exitCodeOf(outcome);
  });
