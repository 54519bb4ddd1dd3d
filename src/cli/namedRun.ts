// What cancel, resume, logs, eval and `runs --remove` share: open the CLI's run registry, find the run the user
// named (an id, a unique prefix, or `last`), hand it to the command, and close everything afterwards. A name
// that finds no run is bad input: its message, exit 2.
import type { HostRegistry, RunInfo, RunRegistry } from '../core/runs';
import { findRun, openCliRegistry } from './cliContext';
import { escapeForTerminal as shown } from './terminalText';

export interface NamedRun {
  info: RunInfo;
  registry: RunRegistry;
  hosts: HostRegistry;
}

export async function withNamedRun(command: string, name: string, body: (run: NamedRun) => Promise<number>): Promise<number> {
  const { registry, hosts } = await openCliRegistry(false);
  try {
    let info: RunInfo;
    try {
      info = findRun(registry, name);
    } catch (error) {
      console.error(`brightrun ${command}: ${shown((error as Error).message)}`);
      return 2;
    }
    // The saved record of a run not known to have ended may be stale (the process that followed it stopped before
    // its end): ask the host, so a completed run is not refused as "starting". Unreachable: go on with the record.
    if (info.state === 'starting' || info.state === 'running') {
      info = await registry.sync(info.id).catch((error: unknown) => {
        console.error(`brightrun: cannot reach ${shown(info.host)} for run ${info.id}: ${shown((error as Error).message)}`);
        return info;
      });
    }
    return await body({ info, registry, hosts });
  } finally {
    registry.dispose();
    hosts.dispose();
  }
}
