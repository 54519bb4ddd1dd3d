// Follows a remote file from a byte offset: `tail -F` over an exec channel delivers appended bytes as soon as
// they are written. When the connection drops, the watcher reconnects (with backoff) and restarts from the
// last offset it delivered, so nothing is lost or repeated. Hosts whose tail cannot do this get SFTP polling.
import type { Disposable } from '../core/hosts/host';
import { tailCommand } from '../core/hosts/remoteCommands';
import type { SshConnection } from './sshConnection';
import { SshError } from './sshErrors';
import { sftpReadFrom, sftpStat } from './sshFiles';

const RETRY_MS = [250, 500, 1000, 2000, 5000];
const POLL_MS = 250;
const POLL_MAX_BYTES = 4 * 1024 * 1024;

export function watchRemoteFile(
  conn: SshConnection,
  path: string,
  offset: number,
  onData: (chunk: Buffer, endOffset: number) => void,
  onError: (error: Error) => void,
): Disposable {
  let position = offset;
  let disposed = false;
  let failures = 0;
  let closeChannel: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const deliver = (chunk: Buffer) => {
    if (disposed || chunk.length === 0) return;
    position += chunk.length;
    failures = 0;
    onData(chunk, position);
  };

  const later = (fn: () => void, ms: number) => {
    if (!disposed) timer = setTimeout(fn, ms);
  };

  const retry = (error: unknown, again: () => void) => {
    if (disposed || conn.isDisposed) return; // the host was closed: stop quietly
    if (error instanceof SshError && !error.retryable) {
      disposed = true;
      onError(error);
      return;
    }
    later(again, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
  };

  const followWithTail = async () => {
    if (disposed) return;
    try {
      if (!(await sftpStat(await conn.sftp(), path))) {
        later(followWithTail, POLL_MS); // not written yet: look again soon
        return;
      }
      const channel = await conn.openExec(tailCommand(path, position));
      if (disposed) {
        channel.close();
        return;
      }
      const startedAt = Date.now();
      let exitCode: number | null = null;
      closeChannel = () => channel.close();
      channel.on('data', deliver);
      channel.stderr.resume();
      channel.on('exit', (code: number | null) => (exitCode = code));
      channel.on('close', () => {
        closeChannel = null;
        if (disposed) return;
        // tail only exits by itself when it cannot follow (no -F, bad option): poll instead.
        if (exitCode !== null && exitCode !== 0 && Date.now() - startedAt < 5000) later(poll, 0);
        else retry(new Error('tail channel closed'), followWithTail);
      });
    } catch (error) {
      retry(error, followWithTail);
    }
  };

  const poll = async () => {
    if (disposed) return;
    try {
      const sftp = await conn.sftp();
      const info = await sftpStat(sftp, path);
      if (info && info.size > position) deliver(await sftpReadFrom(sftp, path, position, POLL_MAX_BYTES));
      later(poll, POLL_MS);
    } catch (error) {
      retry(error, poll);
    }
  };

  void followWithTail();
  return {
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      closeChannel?.();
    },
  };
}
