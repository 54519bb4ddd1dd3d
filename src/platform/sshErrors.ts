// Errors from the SSH layer, each with a message the user can act on. `retryable` separates a dropped or
// unreachable link (try again with backoff) from a refusal (wrong key, changed host key) that retrying won't fix.
import type { SshTarget } from './sshTarget';

export type SshErrorKind = 'unreachable' | 'timeout' | 'auth' | 'hostkey' | 'lost' | 'config';

export class SshError extends Error {
  constructor(
    message: string,
    readonly kind: SshErrorKind,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

export function where(t: SshTarget): string {
  return `${t.label} (${t.user}@${t.host}:${t.port})`;
}

/** Maps a socket or ssh2 error during connection setup to an SshError. */
export function connectError(t: SshTarget, error: Error & { code?: string; level?: string }): SshError {
  if (error instanceof SshError) return error;
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED')
    return new SshError(`Cannot connect to ${where(t)}: connection refused. Is sshd running there, and is the port right?`, 'unreachable', true);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new SshError(
      `Cannot resolve the host name '${t.host}' for ${t.label}. Check HostName in ~/.ssh/config or the host setting.`,
      'unreachable',
      code === 'EAI_AGAIN',
    );
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ECONNRESET' || code === 'EPIPE')
    return new SshError(`Cannot reach ${where(t)}: ${code}. Check the network (VPN?) and the address.`, 'unreachable', true);
  if (error.level === 'client-authentication') {
    const offered = [...t.identityFiles, ...(t.agent ? ['ssh-agent'] : [])];
    return new SshError(
      `Authentication to ${where(t)} failed: the server accepted none of ${offered.length ? offered.join(', ') : 'no keys (none found)'}. ` +
        `Add your public key to ~/.ssh/authorized_keys of '${t.user}' on the host, or point identityFile / IdentityFile at the right key.`,
      'auth',
      false,
    );
  }
  if (error.level === 'client-timeout') return new SshError(`Timed out connecting to ${where(t)}.`, 'timeout', true);
  return new SshError(`SSH connection to ${where(t)} failed: ${error.message}`, 'unreachable', true);
}

export function lostError(t: SshTarget, what: string): SshError {
  return new SshError(`The SSH connection to ${where(t)} was lost during ${what}.`, 'lost', true);
}
