// The file access the validator needs, behind an interface so src/core stays free of I/O
// (src/platform/nodeDatasetFiles.ts implements it with node:fs). Reads are by byte position: the scanner streams
// fixed-size chunks and lines are re-read later from their offsets, so a file is never held as one string.

/** A file open for reading. */
export interface ReadableFile {
  /** Reads up to `length` bytes from byte `position` into the start of `buffer`; resolves to the count, 0 at the end. */
  read(buffer: Uint8Array, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface DatasetFiles {
  /** The size in bytes of a regular file; rejects when the path does not exist or is not a file. */
  size(path: string): Promise<number>;
  open(path: string): Promise<ReadableFile>;
}

/** Runs `use` on the opened file and closes it however `use` ends. */
export async function withFile<T>(files: DatasetFiles, path: string, use: (file: ReadableFile) => Promise<T>): Promise<T> {
  const file = await files.open(path);
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}
