// Copies a folder from a host (an adapter, a checkpoint) into a fresh local folder. The names come from the host
// and are not trusted: each one is checked, every target must resolve inside the local folder, and symlinks and
// special files are skipped with a message (over SSH the listing says what each entry is, as lstat sees it).
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type { Host, Progress } from '../core/hosts/host';
import { shownName, targetInside, unsafeEntryName, type FolderEntry } from '../core/hosts/folderEntries';

/** Bounds on what a host can make us walk: a host that invents folders forever is stopped. */
const MAX_DEPTH = 32;
const MAX_ENTRIES = 100_000;

export interface FolderDownload {
  /** Downloaded files, relative to the folder ('/'-separated). */
  files: string[];
  /** One message per entry left out, saying why. */
  skipped: string[];
}

async function entriesOf(host: Host, dir: string): Promise<FolderEntry[]> {
  const typed = (host as Partial<{ listEntries(path: string): Promise<FolderEntry[]> }>).listEntries;
  if (typed) return typed.call(host, dir);
  // A host without typed listings (this machine): stat follows links; names are still checked.
  const entries: FolderEntry[] = [];
  for (const name of await host.list(dir)) {
    const stat = await host.stat(posix.join(dir, name));
    if (stat) entries.push({ name, kind: stat.isDirectory ? 'directory' : 'file', size: stat.size });
  }
  return entries;
}

export async function downloadFolder(
  host: Host,
  remoteDir: string,
  localDir: string,
  options: { onProgress?: Progress; onSkip?: (message: string) => void } = {},
): Promise<FolderDownload> {
  const existing = await readdir(localDir).catch(() => []);
  if (existing.length > 0) throw new Error(`Cannot download into ${localDir}: the folder is not empty.`);
  const files: { parts: string[]; size: number }[] = [];
  const skipped: string[] = [];
  const skip = (path: string, why: string) => {
    const message = `Skipped ${shownName(path)} in ${remoteDir} on ${host.name}: ${why}.`;
    skipped.push(message);
    options.onSkip?.(message);
  };
  let seen = 0;
  const walk = async (parts: string[]): Promise<void> => {
    if (parts.length > MAX_DEPTH) throw new Error(`${remoteDir} on ${host.name} nests folders more than ${MAX_DEPTH} deep; not downloaded.`);
    for (const entry of await entriesOf(host, posix.join(remoteDir, ...parts))) {
      if (++seen > MAX_ENTRIES) throw new Error(`${remoteDir} on ${host.name} holds more than ${MAX_ENTRIES} entries; not downloaded.`);
      const path = [...parts, entry.name].join('/');
      const unsafe = unsafeEntryName(entry.name);
      if (unsafe) skip(path, unsafe);
      else if (entry.kind === 'symlink') skip(path, 'it is a symbolic link (only files and folders are copied)');
      else if (entry.kind === 'other') skip(path, 'it is not a regular file (a device, a socket or a pipe)');
      else if (!targetInside(localDir, [...parts, entry.name])) skip(path, 'it would be written outside the download folder');
      else if (entry.kind === 'directory') await walk([...parts, entry.name]);
      else files.push({ parts: [...parts, entry.name], size: entry.size });
    }
  };
  await walk([]);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  await mkdir(localDir, { recursive: true });
  let before = 0;
  for (const file of files) {
    const target = targetInside(localDir, file.parts)!;
    await mkdir(dirname(target), { recursive: true });
    await host.download(posix.join(remoteDir, ...file.parts), target, (done) => options.onProgress?.(before + done, total));
    before += file.size;
  }
  options.onProgress?.(total, total);
  return { files: files.map((f) => f.parts.join('/')), skipped };
}
