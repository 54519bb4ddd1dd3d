// The validator's file access on this machine's disk.
import { open, stat } from 'node:fs/promises';
import type { DatasetFiles } from '../core/dataset/datasetFiles';

export const nodeDatasetFiles: DatasetFiles = {
  async size(path) {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`${path} is not a file`);
    return info.size;
  },
  async open(path) {
    const handle = await open(path, 'r');
    return {
      read: async (buffer, length, position) => (await handle.read(buffer, 0, length, position)).bytesRead,
      close: () => handle.close(),
    };
  },
};
