// File operations over SFTP on the connection's shared session: stat, whole and partial reads, atomic writes.
// SFTP has no `~`: a path under `~/` is sent relative, which OpenSSH resolves against the login directory.
import { randomBytes } from 'node:crypto';
import type { Attributes, SFTPWrapper, Stats } from 'ssh2';
import type { FileStat } from '../core/hosts/host';
import type { FolderEntry } from '../core/hosts/folderEntries';
import { shellQuote } from '../core/hosts/shellQuote';
import type { SshConnection } from './sshConnection';
import { SshError } from './sshErrors';

const NO_SUCH_FILE = 2;
const READ_CHUNK = 64 * 1024;

export function sftpPath(path: string): string {
  if (path === '~') return '.';
  return path.startsWith('~/') ? path.slice(2) || '.' : path;
}

export function isNoSuchFile(error: unknown): boolean {
  return (error as { code?: number }).code === NO_SUCH_FILE;
}

function call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

export function sftpError(conn: SshConnection, what: string, path: string, error: unknown): Error {
  if (error instanceof SshError) return error;
  const message = (error as Error).message;
  if (/No such file/i.test(message)) return new Error(`${what} ${path} on ${conn.target.label}: no such file or directory`);
  if (/Permission denied/i.test(message)) return new Error(`${what} ${path} on ${conn.target.label}: permission denied`);
  return new Error(`${what} ${path} on ${conn.target.label} failed: ${message}`);
}

export async function sftpStat(sftp: SFTPWrapper, path: string): Promise<FileStat | null> {
  try {
    const s = await call<Stats>((cb) => sftp.stat(sftpPath(path), cb));
    return { size: s.size, mtimeMs: s.mtime * 1000, isDirectory: s.isDirectory() };
  } catch (error) {
    if (isNoSuchFile(error)) return null;
    throw error;
  }
}

/** Bytes [offset, min(end, offset + maxBytes)) of a file. */
export async function sftpReadFrom(sftp: SFTPWrapper, path: string, offset: number, maxBytes: number): Promise<Buffer> {
  const handle = await call<Buffer>((cb) => sftp.open(sftpPath(path), 'r', cb));
  try {
    const size = (await call<Stats>((cb) => sftp.fstat(handle, cb))).size;
    const want = Math.max(0, Math.min(size - offset, maxBytes));
    const out = Buffer.alloc(want);
    let done = 0;
    while (done < want) {
      const n = await call<number>((cb) => sftp.read(handle, out, done, Math.min(READ_CHUNK, want - done), offset + done, (err, bytes) => cb(err, bytes)));
      if (n === 0) break; // the file shrank under us
      done += n;
    }
    return out.subarray(0, done);
  } finally {
    await call((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => undefined);
  }
}

/** Writes a temp file next to `path`, then renames it over `path` (posix-rename: atomic replace). */
export async function sftpWriteAtomic(conn: SshConnection, sftp: SFTPWrapper, path: string, data: Buffer): Promise<void> {
  const target = sftpPath(path);
  const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  await call((cb) => sftp.writeFile(temp, data, (err) => cb(err, undefined)));
  try {
    await call((cb) => sftp.ext_openssh_rename(temp, target, (err) => cb(err, undefined)));
  } catch (error) {
    if (!/not supported|Unsupported/i.test((error as Error).message)) {
      await call((cb) => sftp.unlink(temp, (err) => cb(err, undefined))).catch(() => undefined);
      throw error;
    }
    // Servers without the OpenSSH extension: rename(2) through the shell, which also replaces atomically.
    // Relative paths mean the same to SFTP and to a shell started by sshd: both begin in the home directory.
    const r = await conn.exec(`mv -f -- ${shellQuote(temp)} ${shellQuote(target)}`);
    // The caught error only said the extension is missing; mv's own failure is the one to report.
    // eslint-disable-next-line preserve-caught-error
    if (r.code !== 0) throw new Error(r.stderr.toString().trim() || `mv exited with ${r.code}`);
  }
}

/** mkdir -p over SFTP: no shell start (slow when login scripts are heavy), one round trip when the parent exists. */
export async function sftpMkdirp(sftp: SFTPWrapper, path: string): Promise<void> {
  const target = sftpPath(path).replace(/\/+$/, '');
  if (target === '' || target === '.' || target === '/') return;
  try {
    await call((cb) => sftp.mkdir(target, (err) => cb(err, undefined)));
  } catch (error) {
    const existing = await sftpStat(sftp, target);
    if (existing?.isDirectory) return;
    if (existing) throw new Error(`${path} exists and is not a directory`, { cause: error });
    const parent = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : '';
    if (!isNoSuchFile(error) || parent === '' || parent === target) throw error;
    await sftpMkdirp(sftp, parent || '/');
    await call((cb) => sftp.mkdir(target, (err) => cb(err, undefined))).catch(async (again) => {
      if (!(await sftpStat(sftp, target))?.isDirectory) throw again; // created meanwhile by someone else is fine
    });
  }
}

export async function sftpList(sftp: SFTPWrapper, path: string): Promise<string[]> {
  try {
    const entries = await call<{ filename: string }[]>((cb) => sftp.readdir(sftpPath(path), cb));
    return entries
      .map((e) => e.filename)
      .filter((n) => n !== '.' && n !== '..')
      .sort();
  } catch (error) {
    if (isNoSuchFile(error)) return [];
    throw error;
  }
}

const S_IFMT = 0o170000;
const KINDS: Record<number, FolderEntry['kind']> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'symlink' };

function kindOf(attrs: Attributes | undefined): FolderEntry['kind'] | null {
  if (typeof attrs?.mode !== 'number') return null;
  return KINDS[attrs.mode & S_IFMT] ?? 'other';
}

/** A folder's entries typed as lstat sees them (OpenSSH's readdir sends lstat attributes); an entry without
 *  a type is asked about with LSTAT, and stays 'other' when the server still does not say. */
export async function sftpListEntries(sftp: SFTPWrapper, path: string): Promise<FolderEntry[]> {
  let entries: { filename: string; attrs: Attributes }[];
  try {
    entries = await call<{ filename: string; attrs: Attributes }[]>((cb) => sftp.readdir(sftpPath(path), cb));
  } catch (error) {
    if (isNoSuchFile(error)) return [];
    throw error;
  }
  const out: FolderEntry[] = [];
  for (const e of entries) {
    if (e.filename === '.' || e.filename === '..') continue;
    let kind = kindOf(e.attrs);
    if (kind === null) {
      const attrs = await call<Stats>((cb) => sftp.lstat(`${sftpPath(path).replace(/\/+$/, '')}/${e.filename}`, cb)).catch(() => undefined);
      kind = kindOf(attrs) ?? 'other';
    }
    out.push({ name: e.filename, kind, size: typeof e.attrs?.size === 'number' ? e.attrs.size : 0 });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function sftpUnlink(sftp: SFTPWrapper, path: string): Promise<void> {
  await call((cb) => sftp.unlink(sftpPath(path), (err) => cb(err, undefined))).catch((error) => {
    if (!isNoSuchFile(error)) throw error;
  });
}

export { call as sftpCall };
