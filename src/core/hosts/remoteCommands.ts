// Command lines run on a remote POSIX host, built from argument vectors with the one quoting function.
// Paths may start with `~/` (the host's home); everything else is quoted as data.
import { shellEnvPrefix, shellPath, shellQuote } from './shellQuote';

/** One word for the remote shell: a leading `~/` expands to $HOME, the rest is literal. */
export function remoteWord(arg: string): string {
  return arg === '~' || arg.startsWith('~/') ? shellPath(arg) : shellQuote(arg);
}

export function remoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('Cannot run an empty command.');
  return argv.map(remoteWord).join(' ');
}

/** `cd DIR && VAR=... argv`, failing with a clear message when the directory is missing. */
export function execCommand(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): string {
  const run = `${shellEnvPrefix(options.env)}${remoteArgv(argv)}`;
  return options.cwd ? `cd ${remoteWord(options.cwd)} && ${run}` : run;
}

/** Starts argv in a new session and process group that outlives the SSH connection, output appended to the
 *  log, and prints "PID PGID". In a non-interactive shell a background job is not a group leader, so setsid
 *  does not fork and $! is the trainer's own pid; the loop confirms the new process group once setsid ran. */
export function spawnDetachedCommand(
  argv: readonly string[],
  options: { cwd: string; logFile: string; env?: Record<string, string>; secretNames?: readonly string[] },
): string {
  return [
    'command -v setsid >/dev/null 2>&1 || { echo "setsid is not installed on this host (util-linux)" >&2; exit 96; }',
    // Secrets come on stdin, one line each (secretLines): `read` is a shell builtin, so no command line holds them.
    ...(options.secretNames ?? []).map((name) => `IFS= read -r ${envName(name)} || exit 95; export ${name}`),
    `cd ${remoteWord(options.cwd)} || exit 97`,
    `${shellEnvPrefix(options.env)}setsid nohup ${remoteArgv(argv)} >> ${remoteWord(options.logFile)} 2>&1 < /dev/null &`,
    'pid=$!; pgid=$pid; i=0',
    'while [ $i -lt 40 ]; do g=$(ps -o pgid= -p $pid 2>/dev/null | tr -d " "); [ -z "$g" ] && break; [ "$g" = "$pid" ] && break; i=$((i+1)); sleep 0.05; done',
    'echo "$pid $pgid"',
  ].join('\n');
}

/** The stdin that spawnDetachedCommand's `read`s take: one value per line, in the order of `names`. */
export function secretLines(secretEnv: Record<string, string> | undefined): { names: string[]; input: string | undefined } {
  const entries = Object.entries(secretEnv ?? {});
  for (const [name, value] of entries) {
    envName(name);
    if (/[\r\n\0]/.test(value)) throw new Error(`The value of ${name} holds a line break; it cannot be passed to the host.`);
  }
  return { names: entries.map(([name]) => name), input: entries.length > 0 ? entries.map(([, value]) => `${value}\n`).join('') : undefined };
}

function envName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid environment variable name: ${JSON.stringify(name)}`);
  return name;
}

export function parseSpawnOutput(stdout: string): { pid: number; pgid: number } {
  const m = /^(\d+) (\d+)\s*$/m.exec(stdout);
  if (!m) throw new Error(`Unexpected output while starting the process: ${JSON.stringify(stdout.slice(0, 200))}`);
  return { pid: Number(m[1]), pgid: Number(m[2]) };
}

/** Signals a process group; exits 1 when it has no live member (zombies left by an init that does not reap
 *  orphans do not count, else a finished trainer would look signalable forever). */
export function signalGroupCommand(pgid: number, signal: 'SIGTERM' | 'SIGKILL'): string {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`Refusing to signal process group ${pgid}.`);
  const live = `ps -A -o pgid= -o stat= | awk -v g=${pgid} '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'`;
  return `if command -v ps >/dev/null 2>&1; then ${live} || exit 1; fi; kill -s ${signal === 'SIGTERM' ? 'TERM' : 'KILL'} -- -${pgid}`;
}

export function isAliveCommand(pid: number): string {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`Invalid pid ${pid}.`);
  // A zombie still answers kill -0; /proc tells it apart where there is one.
  return `kill -0 ${pid} 2>/dev/null || exit 1; if [ -r /proc/${pid}/stat ]; then s=$(sed 's/.*) //' /proc/${pid}/stat | cut -c1); [ "$s" = Z ] && exit 1; fi; exit 0`;
}

/** Prints "<sha256>" of a file, with whichever tool the host has. Read from stdin: given a name with a
 *  newline or backslash, sha256sum would escape it and prefix the line with '\'. */
export function sha256Command(path: string): string {
  const p = remoteWord(path);
  return `if command -v sha256sum >/dev/null 2>&1; then sha256sum < ${p}; else shasum -a 256 < ${p}; fi | cut -d' ' -f1`;
}

/** Follows an existing file from a byte offset; -s 0.2 bounds latency where inotify is not available.
 *  By descriptor (-f), not name (-F): GNU tail -F prints a file that appears later from its first byte,
 *  ignoring the offset, so the caller waits for the file to exist first. */
export function tailCommand(path: string, offset: number): string {
  return `exec tail -s 0.2 -c +${offset + 1} -f -- ${remoteWord(path)} 2>/dev/null`;
}

/** Free space (KiB) and the mount point for a path's nearest existing ancestor: explains write failures. */
export function freeSpaceCommand(path: string): string {
  return `d=${remoteWord(path)}; while [ ! -e "$d" ] && [ "$d" != / ]; do d=$(dirname "$d"); done; df -Pk "$d" | tail -1 | awk '{print $4, $6}'`;
}
