// `brightrun queue [--host NAME] [--json]`: the runs started from a host's queue and those waiting in it, in order;
// `brightrun queue move-up RUN` moves a waiting run one place up. A queued run is cancelled with `brightrun cancel`.
import { UsageError, type CommandHandler } from './commandArgs';
import { openCliRegistry } from './cliContext';
import { withNamedRun } from './namedRun';
import { escapeForTerminal as shown, escapeJsonForTerminal } from './terminalText';
import type { HostQueueEntry } from '../contracts/hostQueue';
import type { RunRegistry } from '../core/runs';

function describe(entry: HostQueueEntry, registry: RunRegistry): string {
  const place = entry.state === 'running' ? 'running' : `${entry.position}.`;
  const gpus = entry.devices.length > 0 ? `GPU ${entry.devices.join(',')}` : `${entry.gpus} GPU${entry.gpus === 1 ? '' : 's'}`;
  const name = registry.get(entry.run_id)?.config.name;
  const waiter = entry.state === 'waiting' && !entry.alive ? '  (waiter not running: restarts on the next attach)' : '';
  return shown(`${place.padEnd(8)}${entry.run_id}  ${gpus}${name ? `  ${name}` : ''}${waiter}`);
}

async function moveUp(name: string | undefined): Promise<number> {
  if (!name) throw new UsageError('name the queued run to move up (see `brightrun queue`)');
  return withNamedRun('queue', name, async ({ info, registry }) => {
    try {
      const position = await registry.moveUp(info.id);
      console.log(`Run ${info.id} is now number ${position} in the queue of ${shown(info.host)}.`);
      return 0;
    } catch (error) {
      console.error(`brightrun queue: ${shown((error as Error).message)}`);
      return 1;
    }
  });
}

export const run: CommandHandler = async (args) => {
  const [action, name] = args.positionals;
  if (action === 'move-up') return moveUp(name);
  if (action !== undefined) throw new UsageError(`unknown queue action '${action}': use \`brightrun queue move-up RUN\`, or no action to list`);
  const host = args.value('host') ?? 'local';
  const { registry, hosts } = await openCliRegistry(false);
  try {
    let entries: HostQueueEntry[];
    try {
      entries = await registry.hostQueue(host);
    } catch (error) {
      console.error(`brightrun queue: ${shown((error as Error).message)}`);
      return 2;
    }
    if (args.flag('json')) console.log(escapeJsonForTerminal(JSON.stringify(entries, null, 2)));
    else if (entries.length === 0) console.log(`The queue of ${shown(host)} is empty.`);
    else for (const entry of entries) console.log(describe(entry, registry));
    return 0;
  } finally {
    registry.dispose();
    hosts.dispose();
  }
};
