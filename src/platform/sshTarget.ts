// Turns host settings (+ ~/.ssh/config) into everything needed to open a connection: address, user, keys,
// agent, and the chain of jump hosts. Reading files happens here; the rules live in src/core/hosts/sshConfig.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { matchPattern, parseJumpSpec, parseSshConfig, resolveSshConfig, type ResolvedSshConfig, type SshConfigEntry } from '../core/hosts/sshConfig';
import type { HostSettings } from '../core/hosts/hostSettings';

export interface SshTarget {
  /** How the user refers to it, for messages. */
  label: string;
  host: string;
  port: number;
  user: string;
  /** Private key files to offer, in order (explicit ones first, then OpenSSH's defaults unless IdentitiesOnly). */
  identityFiles: string[];
  /** ssh-agent socket, or null. */
  agent: string | null;
  connectTimeoutMs: number;
  keepaliveMs: number;
  /** Jump hosts, outermost first. */
  jumps: SshTarget[];
  knownHostsFiles: string[];
}

export interface SshClientFiles {
  homeDir?: string;
  /** Defaults to ~/.ssh/config. */
  sshConfigPath?: string;
  /** Defaults to ~/.ssh/known_hosts (plus UserKnownHostsFile from the ssh config). The first is where new keys go. */
  knownHostsFiles?: string[];
  /** Defaults to $SSH_AUTH_SOCK. */
  agentSocket?: string | null;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** Include with a glob in the last path component, which covers the usual `Include config.d/*`. */
function readInclude(pattern: string): string[] {
  const dir = dirname(pattern);
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return existsSync(pattern) ? [readFileSync(pattern, 'utf8')] : [];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => matchPattern(f, name))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

function loadEntries(files: SshClientFiles, home: string): SshConfigEntry[] {
  const path = files.sshConfigPath ?? join(home, '.ssh', 'config');
  if (!existsSync(path)) return [];
  try {
    return parseSshConfig(readFileSync(path, 'utf8'), { homeDir: home, localUser: userInfo().username, readInclude });
  } catch (error) {
    throw new Error(`Cannot read the ssh config ${path}: ${(error as Error).message}`);
  }
}

function toTarget(r: ResolvedSshConfig, files: SshClientFiles, home: string, entries: SshConfigEntry[], depth: number): SshTarget {
  if (depth > 5) throw new Error(`ProxyJump chain for '${r.alias}' is too deep (a loop in the ssh config?).`);
  const explicit = r.identityFiles;
  const defaults = r.identitiesOnly && explicit.length > 0 ? [] : DEFAULT_KEYS.map((k) => join(home, '.ssh', k));
  const identityFiles = [...new Set([...explicit, ...defaults])].filter((f) => explicit.includes(f) || existsSync(f));
  const agent = r.identityAgent?.toLowerCase() === 'none' ? null : (r.identityAgent ?? (files.agentSocket !== undefined ? files.agentSocket : (process.env.SSH_AUTH_SOCK ?? null)));
  const knownHostsFiles = files.knownHostsFiles ?? [join(home, '.ssh', 'known_hosts'), ...r.userKnownHostsFiles];
  const jumps = r.proxyJump.map((spec) => {
    const { user, host, port } = parseJumpSpec(spec);
    const hop = resolveSshConfig(entries, host, { homeDir: home, localUser: userInfo().username });
    // A jump host may itself be an alias; explicit user/port in the spec override the alias's values. Its own
    // ProxyJump is not followed (the list on the target already names every hop, outermost first).
    return toTarget({ ...hop, user: user ?? hop.user, port: port ?? hop.port, proxyJump: [] }, files, home, entries, depth + 1);
  });
  return {
    label: r.alias,
    host: r.hostName,
    port: r.port,
    user: r.user,
    identityFiles,
    agent,
    connectTimeoutMs: (r.connectTimeoutS ?? 15) * 1000,
    keepaliveMs: (r.serverAliveIntervalS ?? 5) * 1000,
    jumps,
    knownHostsFiles,
  };
}

/** Resolves an SSH host's settings. Explicit host/user/port/identityFile override what the alias says. */
export function resolveSshTarget(settings: HostSettings, files: SshClientFiles = {}): SshTarget {
  const home = files.homeDir ?? homedir();
  const entries = loadEntries(files, home);
  const alias = settings.sshAlias ?? settings.host!;
  const resolved = resolveSshConfig(entries, alias, { homeDir: home, localUser: userInfo().username });
  const merged: ResolvedSshConfig = {
    ...resolved,
    alias: settings.name,
    hostName: settings.host ?? resolved.hostName,
    user: settings.user ?? resolved.user,
    port: settings.port ?? resolved.port,
    identityFiles: settings.identityFile ? [expandHome(settings.identityFile, home), ...resolved.identityFiles] : resolved.identityFiles,
    identitiesOnly: resolved.identitiesOnly || settings.identityFile !== undefined,
  };
  return toTarget(merged, files, home, entries, 0);
}
