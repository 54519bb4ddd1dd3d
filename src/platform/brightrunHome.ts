// The one folder BrightRun keeps its state in, shared by the editor and the `brightrun` command line:
// $BRIGHTRUN_HOME, else ~/.brightrun. Runs (state/runs.json and state/mirror/) and SSH hosts (hosts.json) live
// here, so a run started in either face shows in the other and a host is configured once.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const BRIGHTRUN_HOME_VARIABLE = 'BRIGHTRUN_HOME';

export function brightrunHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env[BRIGHTRUN_HOME_VARIABLE] || join(homedir(), '.brightrun'));
}

/** The run registry's folder (runs.json, mirror/). */
export function runStateDir(home: string): string {
  return join(home, 'state');
}

/** The SSH hosts both faces use ({"hosts": [...]}, the shape of the `brightrun.hosts` setting). */
export function hostsFilePath(home: string): string {
  return join(home, 'hosts.json');
}

/** This machine's run queue (queue.json): one for the editor's and the command line's local runs, whatever work
 *  directory each writes its runs to. It is the CLI's local workdir, so a queue.json there is the same file. */
export function localQueueDir(home: string): string {
  return join(home, 'local');
}
