// The output of `ssh -G ALIAS` -> the connection settings for that alias. `ssh -G` prints the configuration
// OpenSSH itself would use (Match and Include evaluated, canonicalisation done, first-value-wins applied), one
// `keyword value` per line, keywords in lower case. It also prints every default, so a value that is the same
// as in `ssh -G` of an empty config counts as not set: our own defaults (keys that exist, keep-alive) then apply
// exactly as with the built-in parser (sshConfig.ts), which stays the fallback where there is no `ssh`.
import { expandTokens, parsePort, type ResolvedSshConfig } from './sshConfig';

export interface EffectiveConfigContext {
  homeDir: string;
  localUser: string;
  /** What the alias was resolved from, for messages ("ssh -G gpu-box"). */
  source: string;
}

/** keyword -> every value it was printed with, in order (IdentityFile and the like appear once per value). */
function readLines(text: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const keyword = line.slice(0, space).toLowerCase();
    values.set(keyword, [...(values.get(keyword) ?? []), line.slice(space + 1)]);
  }
  return values;
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

/** `output`: `ssh -G ALIAS`; `defaults`: `ssh -G` of the same alias with an empty config (`-F /dev/null`). */
export function parseEffectiveConfig(output: string, defaults: string, alias: string, ctx: EffectiveConfigContext): ResolvedSshConfig {
  const values = readLines(output);
  const defaultValues = readLines(defaults);
  /** The values of a keyword the config set, or undefined when ssh printed only its default. */
  const configured = (keyword: string): string[] | undefined => {
    const v = values.get(keyword);
    return v === undefined || sameList(v, defaultValues.get(keyword)) ? undefined : v;
  };
  const first = (keyword: string) => configured(keyword)?.[0];
  const where = `the ssh config for '${alias}' (${ctx.source})`;
  const hostName = values.get('hostname')?.[0];
  if (!hostName) throw new Error(`${ctx.source} printed no hostname for '${alias}'.`);
  const port = values.get('port') ? parsePort(values.get('port')![0], where) : 22;
  const user = values.get('user')?.[0] ?? ctx.localUser;
  const seconds = (keyword: string): number | null => {
    const v = first(keyword);
    if (v === undefined || v === 'none' || v === '0') return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`Invalid ${keyword} '${v}' in ${where}.`);
    return n;
  };
  // IdentityFile is printed as written (tokens and ~ unexpanded); the others ssh has already expanded.
  const tokens = { h: hostName, n: alias, u: ctx.localUser, r: user, p: String(port), d: ctx.homeDir, l: 'localhost' };
  const identityFiles = (configured('identityfile') ?? []).filter((f) => f.toLowerCase() !== 'none').map((f) => expandTokens(f, tokens, ctx.homeDir));
  const agent = first('identityagent');
  const jump = values.get('proxyjump')?.[0];
  const strict = first('stricthostkeychecking');
  return {
    alias,
    hostName,
    user,
    port,
    identityFiles,
    identitiesOnly: values.get('identitiesonly')?.[0] === 'yes',
    proxyJump:
      !jump || jump.toLowerCase() === 'none'
        ? []
        : jump
            .split(',')
            .map((j) => j.trim())
            .filter(Boolean),
    // SSH_AUTH_SOCK names the usual variable: the same as not setting it.
    identityAgent: agent === undefined || agent === 'SSH_AUTH_SOCK' ? null : agent,
    connectTimeoutS: seconds('connecttimeout'),
    serverAliveIntervalS: seconds('serveraliveinterval'),
    userKnownHostsFiles: (configured('userknownhostsfile') ?? []).flatMap((line) => line.split(' ').filter(Boolean)),
    strictHostKeyChecking: strict === undefined ? null : strict === 'true' ? 'yes' : strict === 'false' ? 'no' : strict,
  };
}
