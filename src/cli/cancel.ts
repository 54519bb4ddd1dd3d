// `brightrun cancel RUN`: asks the trainer to stop (it saves a checkpoint first); forces it after a grace period.
import type { CommandHandler } from './commandArgs';
import { withNamedRun } from './namedRun';
import { summaryLines } from './runOutput';
import { escapeForTerminal as shown } from './terminalText';

export const run: CommandHandler = (args) =>
  withNamedRun('cancel', args.positionals[0], async ({ info, registry }) => {
    console.log(`Stopping run ${info.id} on ${shown(info.host)} (it saves a checkpoint first)...`);
    const outcome = await registry.cancel(info.id);
    if (outcome === 'not-running') console.log(`Run ${info.id} was not running.`);
    else if (outcome === 'killed') console.log(`Run ${info.id} did not stop in time and was killed.`);
    for (const line of summaryLines(registry.get(info.id)!)) console.log(line);
    return 0;
  });
