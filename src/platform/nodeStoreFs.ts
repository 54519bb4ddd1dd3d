// The run store's file operations on this machine's disk.
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { appendFile, cp, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { StoreFs } from '../core/runs/storeFs';
import { withFileLock } from './fileLock';
import { writeFileAtomic } from './localHost';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** How often the poll fallback looks at a watched file: fs.watch is not delivered on every file system
 *  (network mounts, some containers), and a change must still show within a second. */
const POLL_MS = 500;

export const nodeStoreFs: StoreFs = {
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },
  async readFrom(path, start) {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const size = (await handle.stat()).size;
      const buffer = Buffer.alloc(Math.max(0, size - start));
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  },
  writeFileAtomic,
  async appendFile(path, data) {
    await appendFile(path, data);
  },
  async mkdirp(path) {
    await mkdir(path, { recursive: true });
  },
  async list(path) {
    try {
      return await readdir(path);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },
  async rename(from, to) {
    try {
      await rename(from, to);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  },
  async remove(path) {
    await rm(path, { recursive: true, force: true });
  },
  async copyTree(from, to) {
    await cp(from, to, { recursive: true, errorOnExist: true, force: false });
  },
  withLock(lockPath, task) {
    return withFileLock(lockPath, task);
  },
  watch(path, onChange) {
    // The folder is watched, not the file: an atomic write replaces the file (a new inode), which a watch on
    // the file itself would stop seeing after the first replacement.
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(path)) onChange();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined; // folder missing or watching unsupported: the poll below still reports changes
    }
    const poll = () => onChange();
    watchFile(path, { interval: POLL_MS, persistent: false }, poll);
    return {
      dispose: () => {
        watcher?.close();
        unwatchFile(path, poll);
      },
    };
  },
};
