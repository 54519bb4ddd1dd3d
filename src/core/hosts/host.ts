// A machine that trains: the local one (child processes, files) or an SSH box (ssh2 exec + SFTP).
// Everything in src/core/runs works through this interface only, so launch/follow/cancel/resume are written
// once. Implementations live in src/platform (localHost.ts, sshHost.ts).

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  /** Written to the command's stdin, then closed. */
  input?: string | Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
}

export interface DetachedProcess {
  pid: number;
  pgid: number;
}

export type Progress = (doneBytes: number, totalBytes: number) => void;

export interface Disposable {
  dispose(): void;
}

export interface SpawnOptions {
  cwd: string;
  logFile: string;
  env?: Record<string, string>;
  /** Secrets (an API key) the process gets in its environment, never in a command line or a file: the local host
   *  puts them in the child's environment, SSH hosts write them to the exec channel's stdin, from where the remote
   *  shell reads them into its own. Slurm hosts leave them out: a job's environment is kept in files. */
  secretEnv?: Record<string, string>;
}

export interface Host {
  readonly name: string;
  /** slurm: an SSH login node where the "process" is a Slurm job: spawnDetached submits it (pid and pgid are
   *  the job id), isAlive asks Slurm and signalGroup goes through scancel (src/platform/slurmHost.ts). */
  readonly kind: 'local' | 'ssh' | 'slurm';
  /** Root under which runs/, envs/ and datasets/ live on this host. */
  readonly workdir: string;
  /** Remote hosts: how often the connection was opened again after a drop. A trainer found dead after one is
   *  taken to have died with its host (reboot, spot reclaim), which automatic recovery says as such. */
  readonly reconnects?: number;

  /** Runs a program with an argument array. Remote hosts quote every argument with the one quoting function. */
  exec(argv: string[], options?: ExecOptions): Promise<ExecResult>;

  /** Starts a process in its own session and process group (setsid), stdout+stderr appended to logFile,
   *  so it outlives this process and the connection. */
  spawnDetached(argv: string[], options: SpawnOptions): Promise<DetachedProcess>;
  /** Sends a signal to a whole process group. Resolves false when the group no longer exists. */
  signalGroup(pgid: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<boolean>;
  isAlive(pid: number): Promise<boolean>;

  stat(path: string): Promise<FileStat | null>;
  readFile(path: string): Promise<Buffer>;
  /** Bytes from `offset` to the current end of file (at most maxBytes); empty when nothing new. */
  readFrom(path: string, offset: number, maxBytes?: number): Promise<Buffer>;
  /** Write to a temporary name then rename, so readers never see a half-written file. */
  writeFileAtomic(path: string, data: string | Buffer): Promise<void>;
  mkdirp(path: string): Promise<void>;
  /** Lists the entries of a directory (names only); empty when it does not exist. */
  list(path: string): Promise<string[]>;

  upload(localPath: string, remotePath: string, onProgress?: Progress): Promise<void>;
  download(remotePath: string, localPath: string, onProgress?: Progress): Promise<void>;

  /** Calls onData with each chunk appended to `path` after `offset`, until disposed. Latency target: < 1 s. */
  watchFile(path: string, offset: number, onData: (chunk: Buffer, endOffset: number) => void, onError: (error: Error) => void): Disposable;

  dispose(): void;
}
