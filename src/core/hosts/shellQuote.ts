// The one quoting function for everything sent to a remote POSIX shell. Remote commands are /bin/sh scripts
// (posixShell.ts carries them past the login shell, whichever it is), so every argument must arrive as one literal
// sh word: file names with spaces, quotes, `$(...)`, backticks, newlines or unicode are data, never code.

/** Quotes one argument in POSIX single quotes: inside them nothing is special except the quote itself,
 *  which is written as '\'' (close, escaped quote, reopen). */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte.');
  // Words made only of characters no shell treats specially stay readable in logs and `ps` output
  // ('=' is left out: zsh expands a leading `=word` to a command path).
  if (/^[A-Za-z0-9_@%+:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argument vector into one command line where each element is exactly one word. */
export function shellJoin(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('Cannot build a command from an empty argument list.');
  return argv.map(shellQuote).join(' ');
}

/** `VAR=value ... argv` with each value quoted; names are checked because they cannot be quoted. */
export function shellEnvPrefix(env: Record<string, string> | undefined): string {
  if (!env) return '';
  return Object.entries(env)
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid environment variable name: ${JSON.stringify(name)}`);
      return `${name}=${shellQuote(value)} `;
    })
    .join('');
}

/** A path that may start with `~/`: the tilde is left for the remote shell to expand (as $HOME) and the rest
 *  is quoted, so `~/.brightrun/my runs` works without handing the shell anything else to interpret. */
export function shellPath(path: string): string {
  if (path === '~') return '"$HOME"';
  if (path.startsWith('~/')) return `"$HOME"/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}
