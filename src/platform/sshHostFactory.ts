// Hosts by name for the CLI and the extension: 'local' is the machine itself, any other name an SSH host from
// the given settings (the CLI's hosts.json or the editor's `brightrun.hosts`) or else an ~/.ssh/config alias.
import { homedir } from 'node:os';
import type { Host } from '../core/hosts/host';
import type { HostSettings } from '../core/hosts/hostSettings';
import type { HostSessionFactory } from '../core/runs/hostRegistry';
import { LocalHost } from './localHost';
import { SshHost } from './sshHost';
import { SlurmHost } from './slurmHost';
import { findHostSettings, readHostsFile } from './sshHostsFile';
import { hostsFilePath } from './brightrunHome';
import { terminalVerifyHostKey } from './sshTerminalPrompt';
import { createSshSession, type SshSessionOptions } from './sshSession';

export function createHost(name: string, settings: HostSettings, options: SshSessionOptions = {}): Host {
  if (name === 'local' || settings.kind === 'local') return new LocalHost(settings.workdir.replace(/^~(?=\/|$)/, homedir()));
  return settings.kind === 'slurm' ? new SlurmHost(settings, options) : new SshHost(settings, options);
}

/** The engine's factory for non-local hosts. `hosts` is read on each call, so edited settings apply. */
export function sshSessionFactory(hosts: () => readonly HostSettings[], options: SshSessionOptions): HostSessionFactory {
  return async (name) => {
    const settings = findHostSettings(name, hosts());
    if (settings.kind === 'local') throw new Error(`'${name}' is configured as a local host; use the host name 'local'.`);
    return createSshSession(settings, options);
  };
}

/** The CLI's SSH hosts: <home>/hosts.json, else ~/.ssh/config aliases; unknown host keys are asked on the terminal. */
export function cliSshSessionFactory(brightrunHome: string): HostSessionFactory {
  return sshSessionFactory(() => readHostsFile(hostsFilePath(brightrunHome)), { verifyHostKey: terminalVerifyHostKey() });
}
