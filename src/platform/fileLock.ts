// A lock file for state that several processes share (the editor and `brightrun` in a terminal use the same
// $BRIGHTRUN_HOME). The lock is a file created with O_EXCL holding its owner (pid, machine, time); it is held
// only for the few file operations of one update, never while waiting on a host.
//
// A lock left behind by a process that died is taken over: its owner pid no longer exists on this machine, or
// (owner on another machine sharing the folder, or a pid reused) it is older than `staleMs`. Taking over renames
// the stale file to a unique name first and checks it is still the one judged stale, so two processes that both
// found it stale cannot both end up holding the lock.
import { hostname } from 'node:os';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

export interface FileLockOptions {
  /** A lock older than this is stale whoever holds it (an update takes milliseconds). */
  staleMs?: number;
  /** Give up (with an error naming the owner) after waiting this long. */
  timeoutMs?: number;
}

const DEFAULT_STALE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 60_000;

export async function withFileLock<T>(lockPath: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await task();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let wait = 2;
  for (;;) {
    const token = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString(), nonce: Math.random().toString(16).slice(2) });
    if (await tryCreate(lockPath, token)) return token;
    const held = await readOwner(lockPath);
    if (held !== null && isStale(held, staleMs)) {
      await takeOver(lockPath, held.text);
      continue;
    }
    if (Date.now() > deadline) {
      const who = held?.owner ? `process ${held.owner.pid} on ${held.owner.host} since ${held.owner.at}` : 'another process';
      throw new Error(`${lockPath} is held by ${who}; if no BrightRun process is running, delete that file`);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 50);
  }
}

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(token);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface HeldLock {
  text: string;
  owner: LockOwner | null;
  modifiedMs: number;
}

async function readOwner(lockPath: string): Promise<HeldLock | null> {
  let text: string;
  let modifiedMs: number;
  try {
    text = await readFile(lockPath, 'utf8');
    modifiedMs = (await stat(lockPath)).mtimeMs;
  } catch {
    return null; // released meanwhile
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return { text, modifiedMs, owner: Number.isInteger(owner.pid) && typeof owner.at === 'string' ? owner : null };
  } catch {
    // Created but not written yet (or its owner died in between): judged by the file's age alone.
    return { text, modifiedMs, owner: null };
  }
}

function isStale(held: HeldLock, staleMs: number): boolean {
  const owner = held.owner;
  if (owner && owner.host === hostname() && !processExists(owner.pid)) return true;
  return Date.now() - (owner ? Date.parse(owner.at) : held.modifiedMs) > staleMs;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeOver(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${Math.random().toString(16).slice(2)}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else moved it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  // Between reading the stale owner and the rename another process may have taken over and created a fresh
  // lock: that one is put back (link fails if yet another lock exists, which then stands).
  if (moved !== staleText) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => {});
}

async function release(lockPath: string, token: string): Promise<void> {
  // Only our own lock is removed: if it was taken over as stale (we were paused past staleMs), it is not ours.
  const text = await readFile(lockPath, 'utf8').catch(() => null);
  if (text === token) await unlink(lockPath).catch(() => {});
}
