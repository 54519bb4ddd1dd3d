// The local file operations the run store needs, behind an interface so core stays free of side effects
// (src/platform/nodeStoreFs.ts implements it with node:fs).

export interface StoreFs {
  /** The file's bytes, or null when it does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  /** The file's bytes from `start` to its end (empty past the end), or null when it does not exist. */
  readFrom(path: string, start: number): Promise<Buffer | null>;
  /** Write to a temporary name in the same folder, then rename. */
  writeFileAtomic(path: string, data: string | Buffer): Promise<void>;
  appendFile(path: string, data: string | Buffer): Promise<void>;
  mkdirp(path: string): Promise<void>;
  /** Entry names of a folder; empty when it does not exist. */
  list(path: string): Promise<string[]>;
  /** Moves a file aside (used to keep a corrupt file for inspection). No-op when it does not exist. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file or a folder with everything in it. No-op when it does not exist. */
  remove(path: string): Promise<void>;
  /** Copies a folder with everything in it (the destination must not exist). */
  copyTree(from: string, to: string): Promise<void>;
  /** Runs `task` while holding the lock file `lockPath`, shared with every other process using the same
   *  storage (the editor and the CLI). Held only for a few file operations. */
  withLock<T>(lockPath: string, task: () => Promise<T>): Promise<T>;
  /** Calls `onChange` soon after the file at `path` is replaced or changed by any process; a file that does
   *  not exist yet is watched for its creation. */
  watch(path: string, onChange: () => void): { dispose(): void };
}
