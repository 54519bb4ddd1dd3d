// `brightrun logs RUN [-f] [--trainer-log]`: the run's whole history (from the local mirror, caught up with the
// host), then with -f the live events until it ends. --trainer-log prints the trainer's own output instead.
import type { CliCommand } from './dispatch';
import { parseArgs, UsageError } from './runArgs';
import { findRun, openCliRegistry } from './cliContext';
import { eventPrinter, exitCodeOf, followInTerminal, summaryLines } from './runOutput';
import { runFile } from '../core/runs';
import { escapeForTerminal as shown, escapeLinesForTerminal } from './terminalText';

const USAGE = 'brightrun logs RUN [-f|--follow] [--trainer-log]';

export const command: CliCommand = {
  summary: "print a run's events (-f: follow live until it ends)",
  usage: USAGE,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs(args, { flags: ['-f', '--follow', '--trainer-log'] });
      if (parsed.positionals.length !== 1) throw new UsageError('expected one run');
    } catch (error) {
      console.error(`brightrun logs: ${shown((error as Error).message)}\nusage: ${USAGE}`);
      return 2;
    }
    const { registry, hosts } = await openCliRegistry(false);
    try {
      let info;
      try {
        info = findRun(registry, parsed.positionals[0]);
      } catch (error) {
        console.error(`brightrun logs: ${shown((error as Error).message)}`);
        return 2;
      }
      if (parsed.flags.has('--trainer-log')) {
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
      const follow = parsed.flags.has('-f') || parsed.flags.has('--follow');
      const current = registry.get(info.id)!;
      if (follow && (current.state === 'starting' || current.state === 'running')) {
        const outcome = await followInTerminal(registry, info.id, print);
        if (outcome.kind === 'ended') for (const line of summaryLines(outcome.info)) console.log(line);
        return exitCodeOf(outcome);
      }
      for (const line of summaryLines(current)) console.log(line);
      return 0;
    } finally {
      registry.dispose();
      hosts.dispose();
    }
  },
};
