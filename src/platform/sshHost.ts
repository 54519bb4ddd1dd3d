// The Host interface over SSH (ssh2, pure JavaScript): commands through exec channels with every argument
// quoted by the one quoting function, files through SFTP, the trainer started with setsid nohup so it outlives
// the connection. Idempotent operations are retried across a reconnect; others fail with a clear error.
import type { DetachedProcess, Disposable, ExecOptions, ExecResult, FileStat, Host, Progress, SpawnOptions } from '../core/hosts/host';
import type { HostSettings } from '../core/hosts/hostSettings';
import {
  execCommand,
  freeSpaceCommand,
  isAliveCommand,
  parseSpawnOutput,
  secretLines,
  signalGroupCommand,
  spawnDetachedCommand,
} from '../core/hosts/remoteCommands';
import { SshConnection } from './sshConnection';
import { SshError } from './sshErrors';
import { isNoSuchFile, sftpError, sftpList, sftpListEntries, sftpMkdirp, sftpReadFrom, sftpStat, sftpWriteAtomic } from './sshFiles';
import type { FolderEntry } from '../core/hosts/folderEntries';
import type { VerifyHostKey } from './sshHostKeys';
import { resolveSshTarget, type SshClientFiles, type SshTarget } from './sshTarget';
import { download, upload } from './sshTransfer';
import { watchRemoteFile } from './sshWatch';

export interface SshHostOptions extends SshClientFiles {
  /** Asked when the server's host key is not in known_hosts yet. Without one, unknown keys are refused. */
  verifyHostKey?: VerifyHostKey;
}

const DEFAULT_READ_MAX = 16 * 1024 * 1024;

export class SshHost implements Host {
  readonly kind: 'ssh' | 'slurm' = 'ssh';
  readonly name: string;
  readonly workdir: string;
  readonly target: SshTarget;
  private readonly conn: SshConnection;
  private home: string | null = null;
  /** Whether the host has a Linux /proc visible over SFTP; undefined until first needed. */
  private hasProc: boolean | undefined;

  constructor(
    readonly settings: HostSettings,
    options: SshHostOptions = {},
  ) {
    this.name = settings.name;
    this.workdir = settings.workdir.replace(/\/+$/, '') || '/';
    this.target = resolveSshTarget(settings, options);
    const refuseUnknown: VerifyHostKey = async () => false;
    this.conn = new SshConnection(this.target, options.verifyHostKey ?? refuseUnknown);
  }

  /** Opens the connection now (checking the host key and the credentials), rather than on first use. */
  async connect(): Promise<void> {
    await this.conn.connect();
  }

  get reconnects(): number {
    return Math.max(0, this.conn.connections - 1);
  }

  /** Absolute form of a path that may start with `~/` (the trainer's config needs real paths). */
  async resolvePath(path: string): Promise<string> {
    if (path !== '~' && !path.startsWith('~/')) return path;
    if (!this.home) {
      const sftp = await this.retrying('finding the home directory', () => this.conn.sftp());
      this.home = await new Promise<string>((resolve, reject) => sftp.realpath('.', (err, p) => (err ? reject(err) : resolve(p))));
    }
    return path === '~' ? this.home : `${this.home}/${path.slice(2)}`;
  }

  /** Runs an operation again after a dropped connection, for operations where repeating is harmless. */
  private async retrying<T>(what: string, op: () => Promise<T>, attempts = 3): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await op();
      } catch (error) {
        const transient =
          error instanceof SshError
            ? error.retryable && error.kind === 'lost'
            : /No response from server|Not connected|channel/i.test((error as Error).message);
        if (!transient || i >= attempts) throw error;
      }
    }
  }

  async exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.conn.exec(execCommand(argv, options), { input: options.input, timeoutMs: options.timeoutMs });
    return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  }

  /** Runs a shell snippet built by us (already quoted); retried when `idempotent`. */
  async run(command: string, options: { idempotent?: boolean; input?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecResult> {
    const once = async () => {
      const r = await this.conn.exec(command, options);
      return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
    };
    return options.idempotent ? this.retrying('a command', once) : once();
  }

  async spawnDetached(argv: string[], options: SpawnOptions): Promise<DetachedProcess> {
    const secrets = secretLines(options.secretEnv);
    // Not retried: if the connection dropped after the shell started, a second try could start a second trainer.
    const r = await this.run(spawnDetachedCommand(argv, { ...options, secretNames: secrets.names }), { input: secrets.input });
    if (r.code !== 0) {
      const why = r.code === 97 ? `its folder ${options.cwd} does not exist` : r.stderr.trim() || `exit code ${r.code}`;
      throw new Error(`Could not start ${argv[0]} on ${this.name}: ${why}`);
    }
    return parseSpawnOutput(r.stdout);
  }

  async signalGroup(pgid: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<boolean> {
    return (await this.run(signalGroupCommand(pgid, signal), { idempotent: true })).code === 0;
  }

  async isAlive(pid: number): Promise<boolean> {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    // Polled every second or so while a run is followed: read /proc over the open SFTP session rather than
    // starting a shell (a login shell can take hundreds of ms to start, and it would hold up the follower).
    if (this.hasProc !== false) {
      const alive = await this.retrying('checking a process', async () => {
        const sftp = await this.conn.sftp();
        try {
          const stat = (await sftpReadFrom(sftp, `/proc/${pid}/stat`, 0, 4096)).toString('latin1');
          return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z'; // state follows "(comm) "; a zombie has exited
        } catch (error) {
          if (!isNoSuchFile(error)) throw error;
          this.hasProc ??= (await sftpStat(sftp, '/proc/self/stat')) !== null;
          return this.hasProc ? false : null;
        }
      });
      if (alive !== null) {
        this.hasProc = true;
        return alive;
      }
    }
    return (await this.run(isAliveCommand(pid), { idempotent: true })).code === 0;
  }

  async stat(path: string): Promise<FileStat | null> {
    return this.retrying(`stat ${path}`, async () => sftpStat(await this.conn.sftp(), path)).catch((e) => {
      throw sftpError(this.conn, 'Cannot stat', path, e);
    });
  }

  async readFile(path: string): Promise<Buffer> {
    return this.readFrom(path, 0, Number.MAX_SAFE_INTEGER);
  }

  async readFrom(path: string, offset: number, maxBytes = DEFAULT_READ_MAX): Promise<Buffer> {
    return this.retrying(`reading ${path}`, async () => sftpReadFrom(await this.conn.sftp(), path, offset, maxBytes)).catch((e) => {
      throw sftpError(this.conn, 'Cannot read', path, e);
    });
  }

  async writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await this.retrying(`writing ${path}`, async () => sftpWriteAtomic(this.conn, await this.conn.sftp(), path, bytes)).catch(async (e) => {
      throw await this.explainWrite(path, e);
    });
  }

  async mkdirp(path: string): Promise<void> {
    await this.retrying(`creating ${path}`, async () => sftpMkdirp(await this.conn.sftp(), path)).catch(async (e) => {
      throw await this.explainWrite(path, e);
    });
  }

  async list(path: string): Promise<string[]> {
    return this.retrying(`listing ${path}`, async () => sftpList(await this.conn.sftp(), path)).catch((e) => {
      throw sftpError(this.conn, 'Cannot list', path, e);
    });
  }

  /** A folder's entries with their type as lstat sees it: symlinks and special files are told apart. */
  async listEntries(path: string): Promise<FolderEntry[]> {
    return this.retrying(`listing ${path}`, async () => sftpListEntries(await this.conn.sftp(), path)).catch((e) => {
      throw sftpError(this.conn, 'Cannot list', path, e);
    });
  }

  async upload(localPath: string, remotePath: string, onProgress?: Progress): Promise<void> {
    // Resumable and verified, so a retry after a drop continues where the last attempt stopped.
    await this.retrying(`uploading ${localPath}`, () => upload(this.conn, localPath, remotePath, onProgress));
  }

  async download(remotePath: string, localPath: string, onProgress?: Progress): Promise<void> {
    await this.retrying(`downloading ${remotePath}`, () => download(this.conn, remotePath, localPath, onProgress));
  }

  watchFile(path: string, offset: number, onData: (chunk: Buffer, endOffset: number) => void, onError: (error: Error) => void): Disposable {
    return watchRemoteFile(this.conn, path, offset, onData, onError);
  }

  /** A write error, with "disk full" or "permission denied" spelled out when that is the cause. */
  private async explainWrite(path: string, error: unknown): Promise<Error> {
    if (error instanceof SshError) return error;
    const message = (error as Error).message;
    if (/No space left|quota/i.test(message))
      return new Error(`The disk on ${this.name} is full (writing ${path}). Free some space or choose another workdir.`);
    try {
      const r = await this.run(freeSpaceCommand(path), { idempotent: true });
      const [freeKb, mount] = r.stdout.trim().split(' ');
      if (r.code === 0 && Number(freeKb) < 1024) {
        return new Error(`The disk on ${this.name} is full: only ${freeKb} KiB free on ${mount} (writing ${path}). Free some space or choose another workdir.`);
      }
    } catch {
      /* keep the original message */
    }
    return sftpError(this.conn, 'Cannot write', path, error);
  }

  dispose(): void {
    this.conn.dispose();
  }
}
