// What the run commands share: the state folder ($BRIGHTRUN_HOME or ~/.brightrun), the host registry with the
// local host, and the run registry on top. The editor uses the same folder: runs started in either are listed
// by both.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HostRegistry, RunRegistry, type HostSessionFactory, type RunInfo } from '../core/runs';
import { createLocalSession } from '../platform/localSession';
import { nodeStoreFs } from '../platform/nodeStoreFs';
import { findTrainerSourceDir } from '../platform/hostEnvironment';
import { parseTorchPipArgs, TORCH_PIP_ARGS_VARIABLE } from '../core/hosts/torchInstall';
import { cliSshSessionFactory } from '../platform/sshHostFactory';
import { UsageError } from './commandArgs';
import { escapeForTerminal as shown } from './terminalText';
import { brightrunHome, hostsFilePath, localQueueDir, runStateDir } from '../platform/brightrunHome';
import { localMaxConcurrentRuns } from '../platform/sshHostsFile';

export { brightrunHome };

/** SSH hosts: <home>/hosts.json, else ~/.ssh/config aliases. Loaded only when a run uses one. */
const remoteFactory: HostSessionFactory = async (name) => (await import('../platform/sshHostFactory')).cliSshSessionFactory(brightrunHome())(name);

export function cliHosts(): HostRegistry {
  const home = brightrunHome();
  return new HostRegistry({
    local: async () =>
      createLocalSession({
        workdir: join(home, 'local'),
        trainerDir: findTrainerSourceDir(),
        // Set: the user's own Python, used as it is. Unset: the managed environment under <home>/envs.
        python: process.env.BRIGHTRUN_PYTHON || undefined,
        envsDir: join(home, 'envs'),
        torchPipArgs: parseTorchPipArgs(process.env[TORCH_PIP_ARGS_VARIABLE]),
        log: (line) => console.error(`brightrun: ${line}`),
        maxConcurrentRuns: () => localMaxConcurrentRuns(hostsFilePath(home)),
        queueDir: localQueueDir(home),
      }),
    remote: remoteFactory ?? cliSshSessionFactory(home),
  });
}

export async function openCliRegistry(attach = false): Promise<{ registry: RunRegistry; hosts: HostRegistry }> {
  const hosts = cliHosts();
  const registry = await RunRegistry.open({ storageDir: runStateDir(brightrunHome()), fs: nodeStoreFs, hosts, homeDir: homedir() }, { attach });
  for (const problem of registry.problems) console.error(`brightrun: warning: ${shown(problem)}`);
  return { registry, hosts };
}

/** A run named on the command line: its full id, a unique prefix, or `last` for the newest. */
export function findRun(registry: RunRegistry, name: string | undefined): RunInfo {
  if (!name) throw new UsageError('name a run (see `brightrun runs`), or `last`');
  const runs = registry.list();
  if (name === 'last' || name === 'latest') {
    if (runs.length === 0) throw new UsageError('there are no runs yet');
    return runs[0];
  }
  const exact = runs.find((r) => r.id === name);
  if (exact) return exact;
  const matches = runs.filter((r) => r.id.startsWith(name));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`'${name}' matches ${matches.length} runs: ${matches.map((r) => r.id).join(', ')}`);
  throw new UsageError(`no run '${name}' (see \`brightrun runs\`)`);
}
