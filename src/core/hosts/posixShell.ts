// Every command sent to an SSH host runs under /bin/sh, whatever the user's login shell is. sshd hands the
// command string to the login shell (`$SHELL -c STRING`), and shells disagree on quoting: fish reads `\'` inside
// single quotes as a quote, tcsh expands `!` even inside them and rejects a newline there, and neither knows
// `if ...; then` or `$!`. So the login shell is given a line every shell parses the same way:
//
//   exec /bin/sh -c 'eval "$(printf %b "ENCODED")"'
//
// The quoted part holds only letters, digits, spaces and a few punctuation marks; every other byte of the script
// is written as a printf %b octal escape (`\0ooo`: a backslash followed by digits, which single quotes leave
// alone in sh, fish and tcsh alike). /bin/sh decodes the script and runs it, so scripts are plain POSIX sh.

/** Bytes that mean nothing special to any shell inside '...' and "...", nor to printf %b. */
const PLAIN = /^[A-Za-z0-9 _.,:=+@%/-]$/;

/** Linux refuses a single exec argument over 128 KiB (MAX_ARG_STRLEN); the login shell gets ours as one. */
export const MAX_WRAPPED_COMMAND = 128 * 1024 - 1;

export function viaPosixShell(script: string): string {
  if (script.includes('\0')) throw new Error('A remote command cannot contain a NUL byte.');
  let encoded = '';
  for (const byte of Buffer.from(script, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && PLAIN.test(char) ? char : `\\0${byte.toString(8).padStart(3, '0')}`;
  }
  const command = `exec /bin/sh -c 'eval "$(printf %b "${encoded}")"'`;
  if (command.length > MAX_WRAPPED_COMMAND) {
    throw new Error(
      `A remote command of ${script.length} characters is too long to send (at most about 32 KiB of shell syntax); pass the data on stdin or in a file instead.`,
    );
  }
  return command;
}
