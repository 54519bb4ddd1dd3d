// Turns host settings (+ ~/.ssh/config) into everything needed to open a connection: address, user, keys,
// agent, and the chain of jump hosts. An alias is resolved by the OpenSSH client itself (`ssh -G`, see
// openSshConfig.ts) when one is installed; our own parser (src/core/hosts/sshConfig) is the fallback where
// `ssh` is missing or fails, and it alone lists the aliases (ssh cannot list them). Reading files happens here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  hostPatterns,
  matchPattern,
  parseJumpSpec,
  parseSshConfig,
  resolveSshConfig,
  type ResolvedSshConfig,
  type SshConfigEntry,
} from '../core/hosts/sshConfig';
import { EMPTY_SSH_CONFIG, resolveWithOpenSsh } from './openSshConfig';
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
  /** Where these settings came from (`ssh -G`, or our reader of the config and why ssh was not used). */
  configSource: string;
}

export interface SshClientFiles {
  homeDir?: string;
  /** Defaults to ~/.ssh/config. */
  sshConfigPath?: string;
  /** Defaults to ~/.ssh/known_hosts (plus UserKnownHostsFile from the ssh config). The first is where new keys go. */
  knownHostsFiles?: string[];
  /** Defaults to $SSH_AUTH_SOCK. */
  agentSocket?: string | null;
  /** The OpenSSH client asked to resolve aliases (`ssh -G`); defaults to `ssh` on the PATH. null: only our parser. */
  sshClient?: string | null;
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

function configPath(files: SshClientFiles, home: string): string {
  return files.sshConfigPath ?? join(home, '.ssh', 'config');
}

function loadEntries(files: SshClientFiles, home: string): SshConfigEntry[] {
  const path = configPath(files, home);
  if (!existsSync(path)) return [];
  try {
    return parseSshConfig(readFileSync(path, 'utf8'), { homeDir: home, localUser: userInfo().username, readInclude });
  } catch (error) {
    throw new Error(`Cannot read the ssh config ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Every pattern of the Host lines of the ssh config, Includes followed: what the host picker offers. */
export function sshConfigHostPatterns(files: SshClientFiles = {}): string[] {
  const home = files.homeDir ?? homedir();
  const path = configPath(files, home);
  if (!existsSync(path)) return [];
  return hostPatterns(readFileSync(path, 'utf8'), { homeDir: home, localUser: userInfo().username, readInclude });
}

type AliasResolver = (alias: string) => { config: ResolvedSshConfig; source: string };

/** `ssh -G` for each alias, falling back to our parser (the config read once, on first need). */
function aliasResolver(files: SshClientFiles, home: string): AliasResolver {
  const localUser = userInfo().username;
  let entries: SshConfigEntry[] | undefined;
  const parsed = (alias: string, why: string) => ({
    config: resolveSshConfig((entries ??= loadEntries(files, home)), alias, { homeDir: home, localUser }),
    source: `${configPath(files, home)} read by BrightRun (${why})`,
  });
  const client = files.sshClient === undefined ? 'ssh' : files.sshClient;
  // The default files are left to ssh (it also reads the system-wide config). ssh finds ~/.ssh/config in the
  // account's home, not $HOME: a config given explicitly, or one under another home ($HOME pointed elsewhere),
  // is passed with -F (an empty file when there is no config there), so ssh reads the file our parser would.
  const explicit = files.sshConfigPath !== undefined || home !== userInfo().homedir;
  const path = configPath(files, home);
  const configFile = !explicit ? null : existsSync(path) ? path : EMPTY_SSH_CONFIG;
  return (alias) => {
    if (client === null) return parsed(alias, 'ssh -G not used');
    // Not a Host name (a user@host form, an option, a blank): ssh would read it differently from us.
    if (!/^[^-@\s][^@\s]*$/.test(alias)) return parsed(alias, `'${alias}' is not a Host name ssh -G can resolve`);
    const resolved = resolveWithOpenSsh(alias, { client, configFile, homeDir: home, localUser });
    return resolved.ok ? resolved : parsed(alias, `ssh -G failed: ${resolved.reason}`);
  };
}

function toTarget(r: ResolvedSshConfig, source: string, files: SshClientFiles, home: string, resolveAlias: AliasResolver, depth: number): SshTarget {
  if (depth > 5) throw new Error(`ProxyJump chain for '${r.alias}' is too deep (a loop in the ssh config?).`);
  const explicit = r.identityFiles;
  const defaults = r.identitiesOnly && explicit.length > 0 ? [] : DEFAULT_KEYS.map((k) => join(home, '.ssh', k));
  const identityFiles = [...new Set([...explicit, ...defaults])].filter((f) => explicit.includes(f) || existsSync(f));
  const agent =
    r.identityAgent?.toLowerCase() === 'none'
      ? null
      : (r.identityAgent ?? (files.agentSocket !== undefined ? files.agentSocket : (process.env.SSH_AUTH_SOCK ?? null)));
  const knownHostsFiles = files.knownHostsFiles ?? [...new Set([join(home, '.ssh', 'known_hosts'), ...r.userKnownHostsFiles])];
  const jumps = r.proxyJump.map((spec) => {
    const { user, host, port } = parseJumpSpec(spec);
    const { config: hop, source: hopSource } = resolveAlias(host);
    // A jump host may itself be an alias; explicit user/port in the spec override the alias's values. Its own
    // ProxyJump is not followed (the list on the target already names every hop, outermost first).
    return toTarget({ ...hop, user: user ?? hop.user, port: port ?? hop.port, proxyJump: [] }, hopSource, files, home, resolveAlias, depth + 1);
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
    configSource: source,
  };
}

/** Resolves an SSH host's settings. Explicit host/user/port/identityFile override what the alias says. */
export function resolveSshTarget(settings: HostSettings, files: SshClientFiles = {}): SshTarget {
  const home = files.homeDir ?? homedir();
  const resolveAlias = aliasResolver(files, home);
  const alias = settings.sshAlias ?? settings.host!;
  const { config: resolved, source } = resolveAlias(alias);
  const merged: ResolvedSshConfig = {
    ...resolved,
    alias: settings.name,
    hostName: settings.host ?? resolved.hostName,
    user: settings.user ?? resolved.user,
    port: settings.port ?? resolved.port,
    identityFiles: settings.identityFile ? [expandHome(settings.identityFile, home), ...resolved.identityFiles] : resolved.identityFiles,
    identitiesOnly: resolved.identitiesOnly || settings.identityFile !== undefined,
  };
  return toTarget(merged, source, files, home, resolveAlias, 0);
}
