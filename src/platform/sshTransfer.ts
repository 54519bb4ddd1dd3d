// Uploads and downloads over SFTP that survive interruptions: data goes to `<name>.part`, an interrupted
// transfer continues from the size already there, the result is checked by sha256 on both ends, and only
// then renamed into place, so a file under its final name is always complete.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Progress } from '../core/hosts/host';
import { freeSpaceCommand, sha256Command } from '../core/hosts/remoteCommands';
import type { SshConnection } from './sshConnection';
import { sftpCall, sftpPath, sftpStat, sftpUnlink } from './sshFiles';
import { lostError, SshError } from './sshErrors';

export async function localSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export async function remoteSha256(conn: SshConnection, path: string): Promise<string> {
  const r = await conn.exec(sha256Command(path));
  const digest = r.stdout.toString().trim();
  if (r.code !== 0 || !/^[0-9a-f]{64}$/.test(digest)) {
    throw new Error(`Cannot compute the sha256 of ${path} on ${conn.target.label}: ${r.stderr.toString().trim() || 'no sha256sum or shasum'}`);
  }
  return digest;
}

function counter(start: number, total: number, onProgress?: Progress): Transform {
  let done = start;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      onProgress?.(done, total);
      cb(null, chunk);
    },
  });
}

/** Why a write failed, in the user's terms: a full disk or a read-only place says so with the free space. */
async function explainWriteFailure(conn: SshConnection, remotePath: string, error: Error): Promise<Error> {
  if (error instanceof SshError) return error;
  try {
    const r = await conn.exec(freeSpaceCommand(remotePath));
    const [freeKb, mount] = r.stdout.toString().trim().split(' ');
    if (r.code === 0 && freeKb !== undefined && Number(freeKb) < 1024) {
      return new Error(
        `The disk on ${conn.target.label} is full: only ${freeKb} KiB free on ${mount} (writing ${remotePath}). Free some space or choose another workdir.`,
      );
    }
  } catch {
    /* keep the original error */
  }
  return new Error(`Writing ${remotePath} on ${conn.target.label} failed: ${error.message}`);
}

export async function upload(conn: SshConnection, localPath: string, remotePath: string, onProgress?: Progress): Promise<void> {
  const total = (await fs.stat(localPath)).size;
  const part = `${remotePath}.part`;
  const sftp = await conn.sftp();
  const existing = await sftpStat(sftp, part);
  // Continue an interrupted upload; a part larger than the file is from something else, so start over.
  const start = existing && !existing.isDirectory && existing.size <= total ? existing.size : 0;
  onProgress?.(start, total);
  // A write stream on a dropped connection neither finishes nor fails: the drop itself ends it, as a lost
  // connection (retried, and resumed from the part already there).
  const dropped = conn.dropSignal();
  try {
    const remote = sftp.createWriteStream(sftpPath(part), { flags: start > 0 ? 'r+' : 'w', start });
    await pipeline(createReadStream(localPath, { start }), counter(start, total, onProgress), remote, { signal: dropped });
  } catch (error) {
    if (dropped.aborted) throw lostError(conn.target, `the upload of ${localPath}`);
    const explained = await explainWriteFailure(conn, remotePath, error as Error);
    // Resuming cannot help on a full disk, and the partial file would only keep it full.
    if (/disk .* is full/.test(explained.message)) await sftpUnlink(sftp, part).catch(() => undefined);
    throw explained;
  }
  const [want, got] = await Promise.all([localSha256(localPath), remoteSha256(conn, part)]);
  if (want !== got) {
    await sftpUnlink(sftp, part);
    throw new Error(`Upload of ${localPath} to ${conn.target.label} arrived corrupted (sha256 ${got} instead of ${want}); it was removed, try again.`);
  }
  try {
    await sftpCall((cb) => sftp.ext_openssh_rename(sftpPath(part), sftpPath(remotePath), (err) => cb(err, undefined)));
  } catch (error) {
    throw await explainWriteFailure(conn, remotePath, error as Error);
  }
}

export async function download(conn: SshConnection, remotePath: string, localPath: string, onProgress?: Progress): Promise<void> {
  const sftp = await conn.sftp();
  const info = await sftpStat(sftp, remotePath);
  if (!info || info.isDirectory) throw new Error(`${remotePath} on ${conn.target.label} is not a file.`);
  const part = `${localPath}.part`;
  await fs.mkdir(dirname(localPath), { recursive: true });
  const have = await fs.stat(part).then(
    (s) => s.size,
    () => 0,
  );
  const start = have <= info.size ? have : 0;
  onProgress?.(start, info.size);
  await pipeline(
    sftp.createReadStream(sftpPath(remotePath), { start }),
    counter(start, info.size, onProgress),
    createWriteStream(part, { flags: start > 0 ? 'r+' : 'w', start }),
  );
  const [want, got] = await Promise.all([remoteSha256(conn, remotePath), localSha256(part)]);
  if (want !== got) {
    await fs.rm(part, { force: true });
    throw new Error(`Download of ${remotePath} from ${conn.target.label} arrived corrupted (sha256 ${got} instead of ${want}); it was removed, try again.`);
  }
  await fs.rename(part, localPath);
}
