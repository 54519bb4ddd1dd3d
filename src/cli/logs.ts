// `brightrun logs RUN [-f] [--trainer-log]`: the run's whole history (from the local mirror, caught up with the
// host), then with -f the live events until it ends. --trainer-log prints the trainer's own output instead.
import type { CommandHandler } from './commandArgs';
import { withNamedRun } from './namedRun';
import { eventPrinter, exitCodeOf, followInTerminal, summaryLines } from './runOutput';
import { runFile } from '../core/runs';
import { escapeForTerminal as shown, escapeLinesForTerminal } from './terminalText';

export const run: CommandHandler = (args) =>
  withNamedRun('logs', args.positionals[0], async ({ info, registry, hosts }) => {
    if (args.flag('trainer-log')) {
      const { host } = await hosts.get(info.host);
      // The trainer's own output, which libraries fill with progress bars and colours: only its line breaks
      // reach the terminal as they are.
      process.stdout.write(escapeLinesForTerminal((await host.readFile(runFile(info.runDir, 'log'))).toString('utf8')));
      return 0;
    }
    await registry.sync(info.id).catch((error: unknown) => {
      console.error(`brightrun: cannot reach ${shown(info.host)}; showing the local copy (${shown((error as Error).message)})`);
    });
    const print = eventPrinter(() => registry.get(info.id));
    print(await registry.events(info.id));
    const current = registry.get(info.id)!;
    if (args.flag('follow') && (current.state === 'starting' || current.state === 'running')) {
      const outcome = await followInTerminal(registry, info.id, print);
      if (outcome.kind === 'ended') for (const line of summaryLines(outcome.info)) console.log(line);
      return exitCodeOf(outcome);
    }
    for (const line of summaryLines(current)) console.log(line);
    return 0;
  });
