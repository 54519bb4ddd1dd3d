// The machine the extension (or CLI) runs on, as a Host. The trainer is spawned detached, in its own session
// and process group, with stdout/stderr going straight to trainer.log through a file descriptor: nothing ties
// it to this process, so it outlives VS Code.
import { spawn } from 'node:child_process';
import { closeSync, openSync, watch as fsWatch, type FSWatcher } from 'node:fs';
import { copyFile, cp, mkdir, open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DetachedProcess, Disposable, ExecOptions, ExecResult, FileStat, Host, Progress, SpawnOptions } from '../core/hosts/host';

/** How often a watched file is polled in addition to fs.watch (which misses events on some file systems). */
const WATCH_POLL_MS = 250;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export class LocalHost implements Host {
  readonly name = 'local';
  readonly kind = 'local' as const;

  constructor(readonly workdir: string) {}

  exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: options.timeoutMs,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolve({
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.on('error', () => {}); // a program that exits without reading its input is not an error
      child.stdin.end(options.input ?? '');
    });
  }

  async spawnDetached(argv: string[], options: SpawnOptions): Promise<DetachedProcess> {
    const fd = openSync(options.logFile, 'a');
    try {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, ...options.secretEnv },
        // detached: setsid(), so the child leads a new session and process group (pgid = pid).
        detached: true,
        stdio: ['ignore', fd, fd],
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error) => reject(new Error(`cannot start ${argv[0]}: ${error.message}`)));
      });
      child.unref();
      const pid = child.pid!;
      return { pid, pgid: pid };
    } finally {
      closeSync(fd);
    }
  }

  async signalGroup(pgid: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<boolean> {
    if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`refusing to signal process group ${pgid}`);
    try {
      process.kill(-pgid, signal);
      return true;
    } catch (error) {
      if (errorCode(error) === 'ESRCH') return false;
      throw error;
    }
  }

  async isAlive(pid: number): Promise<boolean> {
    try {
      process.kill(pid, 0);
    } catch (error) {
      return errorCode(error) === 'EPERM';
    }
    // A zombie (exited, not yet reaped by a parent that is not us) still answers signal 0.
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      return !/^\d+ \(.*\) Z /s.test(stat);
    } catch {
      return true; // no /proc (macOS): signal 0 is the best answer there
    }
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = await stat(path);
      return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() };
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
      throw error;
    }
  }

  readFile(path: string): Promise<Buffer> {
    return readFile(path);
  }

  async readFrom(path: string, offset: number, maxBytes = 4 * 1024 * 1024): Promise<Buffer> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return Buffer.alloc(0);
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.max(0, Math.min(maxBytes, size - offset));
      if (length === 0) return Buffer.alloc(0);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
    return writeFileAtomic(path, data);
  }

  async mkdirp(path: string): Promise<void> {
    await mkdir(path, { recursive: true });
  }

  async list(path: string): Promise<string[]> {
    try {
      return await readdir(path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
      throw error;
    }
  }

  upload(localPath: string, remotePath: string, onProgress?: Progress): Promise<void> {
    return this.copy(localPath, remotePath, onProgress);
  }

  download(remotePath: string, localPath: string, onProgress?: Progress): Promise<void> {
    return this.copy(remotePath, localPath, onProgress);
  }

  private async copy(from: string, to: string, onProgress?: Progress): Promise<void> {
    const source = await stat(from);
    await mkdir(dirname(to), { recursive: true });
    if (source.isDirectory()) await cp(from, to, { recursive: true });
    else await copyFile(from, to);
    onProgress?.(source.size, source.size);
  }

  watchFile(path: string, offset: number, onData: (chunk: Buffer, endOffset: number) => void, onError: (error: Error) => void): Disposable {
    let position = offset;
    let disposed = false;
    let reading = false;
    let again = false;
    let watcher: FSWatcher | undefined;

    const pump = async () => {
      if (disposed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          for (;;) {
            const chunk = await this.readFrom(path, position);
            if (disposed || chunk.length === 0) break;
            position += chunk.length;
            onData(chunk, position);
          }
        } while (again && !disposed);
      } catch (error) {
        if (!disposed) onError(error instanceof Error ? error : new Error(String(error)));
      } finally {
        reading = false;
      }
    };

    const tryWatch = () => {
      if (watcher || disposed) return;
      try {
        watcher = fsWatch(path, { persistent: false }, () => void pump());
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined; // the poll below keeps delivering; a new watch is tried on the next tick
        });
      } catch {
        // The file does not exist yet: polling covers the wait.
      }
    };

    tryWatch();
    const timer = setInterval(() => {
      tryWatch();
      void pump();
    }, WATCH_POLL_MS);
    void pump();
    return {
      dispose: () => {
        disposed = true;
        clearInterval(timer);
        watcher?.close();
      },
    };
  }

  dispose(): void {}
}
