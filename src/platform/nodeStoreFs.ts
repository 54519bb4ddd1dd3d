// The run store's file operations on this machine's disk.
import { appendFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import type { StoreFs } from '../core/runs/storeFs';
import { writeFileAtomic } from './localHost';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export const nodeStoreFs: StoreFs = {
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
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
};
