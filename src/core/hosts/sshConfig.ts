// ~/.ssh/config -> the connection settings for one alias, with OpenSSH's semantics: `Host` blocks matched by
// patterns (* and ?, `!` negation), the first value obtained for a keyword wins (IdentityFile accumulates),
// %h/%u/%p/%r/%d/%% tokens and ~ expanded, `Include` followed through a callback (the caller reads files).

export interface SshConfigEntry {
  keyword: string; // lower-cased
  args: string[];
  /** Host patterns of the enclosing block; null before any Host line (applies to every host). */
  patterns: string[] | null;
}

export interface ResolvedSshConfig {
  alias: string;
  hostName: string;
  user: string;
  port: number;
  identityFiles: string[];
  /** Explicit IdentityFile lines only (OpenSSH then stops offering default keys when IdentitiesOnly is set). */
  identitiesOnly: boolean;
  /** Jump hosts in order, each `[user@]host[:port]` (may itself be an alias); empty for a direct connection. */
  proxyJump: string[];
  identityAgent: string | null;
  connectTimeoutS: number | null;
  serverAliveIntervalS: number | null;
  userKnownHostsFiles: string[];
  strictHostKeyChecking: string | null;
}

export interface SshConfigContext {
  homeDir: string;
  localUser: string;
  /** Returns the text of every file an `Include` argument names (already glob-expanded), [] when none exist. */
  readInclude?: (pathOrGlob: string) => string[];
}

/** Splits a line into words, honouring double quotes (OpenSSH's rules) and `Key=value`. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (ch === ' ' || ch === '\t')) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quoted) throw new Error(`Unbalanced quotes in ssh config line: ${line}`);
  if (inWord) words.push(current);
  return words;
}

/** OpenSSH stops at 16 nested Includes; 8 is deep enough for any real config and bounds the work. */
const MAX_INCLUDE_DEPTH = 8;

/** Where an `Include` argument points: relative paths are relative to ~/.ssh in a user's config. */
function includePath(arg: string, homeDir: string): string {
  return arg.startsWith('~/') ? `${homeDir}/${arg.slice(2)}` : arg.startsWith('/') ? arg : `${homeDir}/.ssh/${arg}`;
}

/** Every pattern of every `Host` line, in file order, `Include`d files followed through ctx.readInclude (the
 *  host picker lists them; `ssh -G` resolves one host but cannot list them). Blocks without settings count. */
export function hostPatterns(text: string, ctx: SshConfigContext, depth = 0): string[] {
  const patterns: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(host|include)\s*(?:=\s*|\s+)(.*)$/i.exec(raw);
    if (!m) continue;
    const args = splitWords(m[2].trim());
    if (m[1].toLowerCase() === 'host') patterns.push(...args);
    else if (ctx.readInclude && depth < MAX_INCLUDE_DEPTH) {
      for (const arg of args) for (const included of ctx.readInclude(includePath(arg, ctx.homeDir))) patterns.push(...hostPatterns(included, ctx, depth + 1));
    }
  }
  return patterns;
}

/** Parses config text into entries; `Include` lines are expanded in place through ctx.readInclude. */
export function parseSshConfig(text: string, ctx?: SshConfigContext, depth = 0, inherited: string[] | null = null): SshConfigEntry[] {
  const entries: SshConfigEntry[] = [];
  let patterns: string[] | null = inherited;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1].toLowerCase();
    const args = splitWords(m[2].trim());
    if (keyword === 'host') {
      patterns = args;
    } else if (keyword === 'match') {
      // Match blocks need evaluating commands and the like; we treat them as never matching, like an
      // unknown host pattern, so their settings cannot leak into unrelated hosts.
      patterns = ['!*'];
    } else if (keyword === 'include') {
      if (!ctx?.readInclude || depth >= MAX_INCLUDE_DEPTH) continue;
      for (const arg of args) {
        for (const included of ctx.readInclude(includePath(arg, ctx.homeDir))) entries.push(...parseSshConfig(included, ctx, depth + 1, patterns));
      }
    } else {
      entries.push({ keyword, args, patterns });
    }
  }
  return entries;
}

/** OpenSSH pattern match: `*` any run, `?` one character, case-insensitive for host names. */
export function matchPattern(value: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(value);
}

/** A pattern list matches when some positive pattern matches and no negated one does. */
export function matchPatternList(value: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(value, p.slice(1))) return false;
    } else if (matchPattern(value, p)) {
      matched = true;
    }
  }
  return matched;
}

/** %-tokens (`%%` is a percent sign) and a leading `~` expanded, as ssh expands IdentityFile and the like. */
export function expandTokens(value: string, tokens: Record<string, string>, homeDir: string): string {
  let out = value.replace(/%(.)/g, (whole, t: string) => (t === '%' ? '%' : (tokens[t] ?? whole)));
  if (out === '~') out = homeDir;
  else if (out.startsWith('~/')) out = `${homeDir}/${out.slice(2)}`;
  return out;
}

export function parsePort(value: string, where: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid port '${value}' in ${where}.`);
  return port;
}

/** Resolves the settings for `alias` (what the user typed after `ssh`). */
export function resolveSshConfig(entries: readonly SshConfigEntry[], alias: string, ctx: SshConfigContext): ResolvedSshConfig {
  const first = new Map<string, string[]>();
  const identityFiles: string[] = [];
  const knownHostsFiles: string[] = [];
  for (const entry of entries) {
    if (entry.patterns && !matchPatternList(alias, entry.patterns)) continue;
    if (entry.keyword === 'identityfile') identityFiles.push(...entry.args);
    else if (entry.keyword === 'userknownhostsfile') knownHostsFiles.push(...entry.args.filter((a) => !knownHostsFiles.includes(a)));
    else if (!first.has(entry.keyword)) first.set(entry.keyword, entry.args);
  }
  const get = (k: string): string | undefined => first.get(k)?.[0];
  const where = `the ssh config for '${alias}'`;
  const port = get('port') ? parsePort(get('port')!, where) : 22;
  const user = get('user') ?? ctx.localUser;
  const rawHost = get('hostname') ?? alias;
  const hostName = rawHost.replace(/%h/g, alias).replace(/%%/g, '%');
  const tokens = { h: hostName, n: alias, u: ctx.localUser, r: user, p: String(port), d: ctx.homeDir, l: 'localhost' };
  const jump = get('proxyjump');
  const numberOrNull = (k: string): number | null => {
    const v = get(k);
    if (v === undefined) return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`Invalid ${k} '${v}' in ${where}.`);
    return n;
  };
  return {
    alias,
    hostName,
    user,
    port,
    identityFiles: identityFiles.filter((f) => f.toLowerCase() !== 'none').map((f) => expandTokens(f, tokens, ctx.homeDir)),
    identitiesOnly: (get('identitiesonly') ?? 'no').toLowerCase() === 'yes',
    proxyJump:
      !jump || jump.toLowerCase() === 'none'
        ? []
        : jump
            .split(',')
            .map((j) => j.trim())
            .filter(Boolean),
    identityAgent: get('identityagent') ? expandTokens(get('identityagent')!, tokens, ctx.homeDir) : null,
    connectTimeoutS: numberOrNull('connecttimeout'),
    serverAliveIntervalS: numberOrNull('serveraliveinterval'),
    userKnownHostsFiles: knownHostsFiles.map((f) => expandTokens(f, tokens, ctx.homeDir)),
    strictHostKeyChecking: get('stricthostkeychecking') ?? null,
  };
}

/** Splits a ProxyJump element `[user@]host[:port]` (IPv6 in brackets allowed). */
export function parseJumpSpec(spec: string): { user: string | null; host: string; port: number | null } {
  let rest = spec;
  let user: string | null = null;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  if (rest.startsWith('ssh://')) rest = rest.slice(6);
  let host = rest;
  let port: number | null = null;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    host = bracket[1];
    port = bracket[2] ? parsePort(bracket[2], `ProxyJump '${spec}'`) : null;
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > 0 && rest.indexOf(':') === colon) {
      host = rest.slice(0, colon);
      port = parsePort(rest.slice(colon + 1), `ProxyJump '${spec}'`);
    }
  }
  if (!host) throw new Error(`Invalid ProxyJump host '${spec}'.`);
  return { user, host, port };
}
