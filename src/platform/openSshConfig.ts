// Asks the installed OpenSSH client how it would connect to an alias: `ssh -G` evaluates Match blocks, Include,
// canonicalisation and every other rule exactly as the user's own `ssh` does, which no parser of ours can match
// (Match exec runs commands, Match canonical/final need ssh's resolver). Parsing its output is in
// src/core/hosts/sshEffectiveConfig.ts.
//
// Synchronous on purpose: the target is resolved where an SshHost is built, and `ssh -G` does no network I/O
// unless the config asks for it (Match exec, CanonicalizeHostname): 10-20 ms per alias measured here
// (OpenSSH 9.2), bounded by a time-out. Any failure returns a reason; the caller falls back to its parser.
import { spawnSync } from 'node:child_process';
import type { ResolvedSshConfig } from '../core/hosts/sshConfig';
import { parseEffectiveConfig } from '../core/hosts/sshEffectiveConfig';

const TIMEOUT_MS = 5000;
/** A config file with nothing in it: `ssh -G -F` of it prints OpenSSH's defaults. */
export const EMPTY_SSH_CONFIG = process.platform === 'win32' ? 'NUL' : '/dev/null';

/** `source` says what resolved it (`ssh -G`, with `-F FILE` when one was given), for messages. */
export type OpenSshResult = { ok: true; config: ResolvedSshConfig; source: string } | { ok: false; reason: string };

type Run = { ok: true; output: string } | { ok: false; reason: string };

function sshG(client: string, alias: string, configFile: string | null): Run {
  // `--`: the alias is an operand even if it starts with a dash, never an option.
  const args = ['-G', ...(configFile === null ? [] : ['-F', configFile]), '--', alias];
  const r = spawnSync(client, args, { encoding: 'utf8', timeout: TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  if (r.error) return { ok: false, reason: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${client} is not installed` : r.error.message };
  if (r.status !== 0) {
    const said = r.stderr.split('\n').filter((l) => l.trim() && !/^Pseudo-terminal will not be allocated/.test(l));
    return { ok: false, reason: said.join('; ') || `${client} -G exited with ${r.status ?? r.signal}` };
  }
  return { ok: true, output: r.stdout };
}

/** OpenSSH's defaults, asked once per client: they do not depend on the alias or the config. */
const defaultsByClient = new Map<string, Run>();

function defaults(client: string): Run {
  let run = defaultsByClient.get(client);
  if (!run) defaultsByClient.set(client, (run = sshG(client, 'localhost', EMPTY_SSH_CONFIG)));
  return run;
}

/** `client -G [-F configFile] -- alias`, parsed. configFile null: the client's own files (~/.ssh/config and
 *  the system-wide one). */
export function resolveWithOpenSsh(alias: string, options: { client: string; configFile: string | null; homeDir: string; localUser: string }): OpenSshResult {
  const run = sshG(options.client, alias, options.configFile);
  if (!run.ok) return run;
  const base = defaults(options.client);
  if (!base.ok) return base;
  const source = `${options.client} -G${options.configFile === null ? '' : ` -F ${options.configFile}`}`;
  try {
    return {
      ok: true,
      config: parseEffectiveConfig(run.output, base.output, alias, { homeDir: options.homeDir, localUser: options.localUser, source }),
      source,
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
