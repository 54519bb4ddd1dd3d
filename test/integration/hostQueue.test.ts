// The run queue of the local host with real processes and the real trainer on a tiny model: this machine has no
// GPU, so one run at a time. A second run waits (status.json says its place), starts when the first ends and
// completes with every event once; move-up reorders; a queued run is cancelled; and a waiter killed as by a
// restart keeps the run's place, the next attach starting it again.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingParts } from '../realParts';
import { HostRegistry, RunRegistry, type RunInfo } from '../../src/core/runs';
import { RunStatus } from '../../src/contracts/status';
import { nodeStoreFs } from '../../src/platform/nodeStoreFs';
import { createLocalSession } from '../../src/platform/localSession';
import { findTrainerSourceDir } from '../../src/platform/hostEnvironment';
import { mirrorSeqs, PROJECT_PYTHON, range, runConfig, smallDatasets } from './helpers/sshRunFixture';
import { expectQueueOrder } from './helpers/queueOrder';

/** A registry on this machine; `queueDir` puts the queue outside its workdir, as the editor and the CLI share one. */
async function openLocal(storageDir: string, queueDir?: string): Promise<RunRegistry> {
  mkdirSync(storageDir, { recursive: true });
  const hosts = new HostRegistry({
    local: async () => createLocalSession({ workdir: join(storageDir, 'local'), trainerDir: findTrainerSourceDir(), python: PROJECT_PYTHON, queueDir }),
  });
  return RunRegistry.open({ storageDir, fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 200 }, cancelGraceMs: 60_000 });
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hostStatus = (run: RunInfo) => RunStatus.parse(JSON.parse(readFileSync(join(run.runDir, 'status.json'), 'utf8')));
const queuedAt = (registry: RunRegistry, id: string, position: number) =>
  until(`${id} at position ${position}`, () => registry.get(id)?.queue?.position === position && registry.get(id));

function tinyRun(name: string, steps = 4) {
  const data = smallDatasets(name, 12, 4);
  return runConfig(data, {
    host: 'local',
    evaluate: false,
    evalEvery: 0,
    checkpointEvery: 0,
    hyperparameters: { maxSteps: steps, batchSize: 2, gradAccum: 1 },
  });
}

async function expectCompleteHistory(registry: RunRegistry, run: RunInfo, steps: number) {
  const done = await registry.waitForEnd(run.id);
  expect(done.state).toBe('completed');
  const events = await registry.events(run.id);
  expect(events.map((e) => e.seq)).toEqual(range(events.length));
  expect(mirrorSeqs(done.mirrorDir)).toEqual(range(events.length));
  expect(events.flatMap((e) => (e.type === 'metrics' ? [e.step] : []))).toEqual(range(steps));
  expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  expect(readFileSync(join(run.runDir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(events.length);
  return { done, events };
}

const firstEventTs = async (registry: RunRegistry, id: string) => Date.parse((await registry.events(id))[0].ts);
const doneTs = async (registry: RunRegistry, id: string) => Date.parse((await registry.events(id)).at(-1)!.ts);

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))('the local host queue', { timeout: 400_000 }, () => {
  it('holds a second run until the first ends, shows its place, then completes it with every event once', async () => {
    // Two faces with their own run folders (the editor's workdir, the CLI's) and this machine's one queue.
    const root = mkdtempSync(join(tmpdir(), 'brightrun-queue-'));
    const other = await openLocal(join(root, 'cli'), join(root, 'queue'));
    const registry = await openLocal(join(root, 'editor'), join(root, 'queue'));
    const first = await other.launch(tinyRun('first'));
    const second = await registry.launch(tinyRun('second'));
    expect(first.runDir.startsWith(join(root, 'cli'))).toBe(true);
    const queued = await queuedAt(registry, second.id, 1);
    expect(queued.state).toBe('starting');
    expect(queued.queue?.reason).toMatch(/waiting for a run to end \(1 of 1 running/);
    expect(hostStatus(second).queue?.position).toBe(1);
    expect(await registry.hostQueue('local')).toMatchObject([
      { run_id: first.id, state: 'running', position: null, alive: true },
      { run_id: second.id, state: 'waiting', position: 1, alive: true },
    ]);

    await expectCompleteHistory(other, first, 4);
    const { done } = await expectCompleteHistory(registry, second, 4);
    expect(done.queue ?? null).toBeNull();
    // It trained only after the first run had ended.
    expect(await firstEventTs(registry, second.id)).toBeGreaterThanOrEqual(await doneTs(other, first.id));
    // The trainer leaves the queue once its process has exited (a moment after its `done`).
    await until('an empty queue', async () => (await registry.hostQueue('local')).length === 0);
    expect(existsSync(join(root, 'cli', 'local', 'queue.json'))).toBe(false);
    registry.dispose();
    other.dispose();
  });

  it('moves a queued run up and cancels another while it waits', async () => {
    const registry = await openLocal(mkdtempSync(join(tmpdir(), 'brightrun-queue-')));
    const running = await registry.launch(tinyRun('running', 24));
    const b = await registry.launch(tinyRun('b'));
    const c = await registry.launch(tinyRun('c'));
    await queuedAt(registry, c.id, 2);
    expect(await registry.moveUp(c.id)).toBe(1);
    await queuedAt(registry, c.id, 1);
    await queuedAt(registry, b.id, 2);
    expect(registry.get(running.id)!.queue ?? null).toBeNull();

    expect(await registry.cancel(b.id)).toBe('stopped');
    const cancelled = await registry.waitForEnd(b.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.exitReason).toMatch(/while waiting in the host's queue/);
    expect(await registry.events(b.id)).toEqual([]); // it never trained
    expectQueueOrder(await registry.hostQueue('local'), running.id, c.id, b.id);

    await expectCompleteHistory(registry, running, 24);
    await expectCompleteHistory(registry, c, 4);
    expect(await firstEventTs(registry, c.id)).toBeGreaterThanOrEqual(await doneTs(registry, running.id));
    registry.dispose();
  });

  it('keeps a queued run whose waiter was killed (a restart) and starts the waiter again on the next attach', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'brightrun-queue-'));
    const first = await openLocal(storage);
    const running = await first.launch(tinyRun('before-restart', 8));
    const waiting = await first.launch(tinyRun('after-restart'));
    await queuedAt(first, waiting.id, 1);
    first.dispose();
    const launch = JSON.parse(readFileSync(join(waiting.runDir, 'launch.json'), 'utf8'));
    process.kill(-launch.attempts[0].pgid, 'SIGKILL');
    await until('the waiter to die', () => {
      try {
        process.kill(launch.attempts[0].pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    const queueFile = JSON.parse(readFileSync(join(storage, 'local', 'queue.json'), 'utf8'));
    expect(queueFile.entries.map((e: { run_id: string }) => e.run_id)).toContain(waiting.id);

    const second = await openLocal(storage); // attaches: the waiter is started again, in the same place
    await until('a second attempt', () => JSON.parse(readFileSync(join(waiting.runDir, 'launch.json'), 'utf8')).attempts.length === 2);
    const { done } = await expectCompleteHistory(second, waiting, 4);
    expect(done.state).toBe('completed');
    expect((await second.waitForEnd(running.id)).state).toBe('completed');
    expect(await firstEventTs(second, waiting.id)).toBeGreaterThanOrEqual(await doneTs(second, running.id));
    second.dispose();
  });
});
