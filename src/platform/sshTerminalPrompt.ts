// The command line's answer to an unknown host key: ask on the terminal like OpenSSH does, or refuse (with
// what to do) when there is no terminal to ask on, e.g. in CI.
import { createInterface } from 'node:readline/promises';
import type { HostKeyPrompt, VerifyHostKey } from './sshHostKeys';

export function terminalVerifyHostKey(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): VerifyHostKey {
  return async (p: HostKeyPrompt) => {
    const where = p.port === 22 ? p.host : `[${p.host}]:${p.port}`;
    const intro =
      `The authenticity of host '${p.label}' (${where}) can't be established.\n` +
      `${p.keyType} key fingerprint is ${p.fingerprint}.\n` +
      (p.knownTypes.length ? `The host is known by other key types (${p.knownTypes.join(', ')}), but not by this one.\n` : '');
    if (!input.isTTY) {
      output.write(`${intro}No terminal to confirm it on: connect once with \`ssh ${p.label}\` (or add the key to known_hosts) and try again.\n`);
      return false;
    }
    const rl = createInterface({ input, output });
    try {
      for (;;) {
        const answer = (await rl.question(`${intro}Are you sure you want to continue connecting (yes/no)? `)).trim().toLowerCase();
        if (answer === 'yes') return true;
        if (answer === 'no' || answer === '') return false;
        output.write("Please type 'yes' or 'no'.\n");
      }
    } finally {
      rl.close();
    }
  };
}
