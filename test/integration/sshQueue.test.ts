// The run queue of an SSH host over the real loopback sshd, with the real trainer on a tiny model: the host's
// maxConcurrentRuns (1) holds the later runs back, their places show in the Runs view's data, a queued run is
// moved up and another cancelled over SSH, and the runs that remain complete in the new order, each event once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { HOST, hostSettings, mirrorSeqs, openRegistry, PROJECT_PYTHON, range, runConfig, smallDatasets } from './helpers/sshRunFixture';
import type { RunRegistry } from '../../src/core/runs';
import { expectQueueOrder } from './helpers/queueOrder';

let sshd: TestSshd;

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
});
afterAll(async () => {
  await sshd?.stop();
});

async function until<T>(what: string, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const queuedAt = (registry: RunRegistry, id: string, position: number) => until(`${id} at ${position}`, () => registry.get(id)?.queue?.position === position);

function tinyRun(name: string, steps: number) {
  return runConfig(smallDatasets(name, 12, 4), {
    evaluate: false,
    evalEvery: 0,
    checkpointEvery: 0,
    hyperparameters: { maxSteps: steps, batchSize: 2, gradAccum: 1 },
  });
}

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'the queue of an SSH host',
  { timeout: 400_000 },
  () => {
    it('queues, moves up, cancels and completes runs over SSH in the order the queue says', async () => {
      const workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-ssh-queue-')), `work "q" $(touch x)`);
      const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, workdir, { maxConcurrentRuns: 1 }), mkdtempSync(join(tmpdir(), 'state-')));
      try {
        const first = await registry.launch(tinyRun('first', 24));
        const b = await registry.launch(tinyRun('b', 3));
        const c = await registry.launch(tinyRun('c', 3));
        await queuedAt(registry, c.id, 2);
        expect(registry.get(b.id)!.queue).toMatchObject({ position: 1, reason: 'waiting for a run to end (1 of 1 running on this host)' });
        expect(await registry.moveUp(c.id)).toBe(1);
        await queuedAt(registry, b.id, 2);

        expect(await registry.cancel(b.id)).toBe('stopped');
        expect((await registry.waitForEnd(b.id)).state).toBe('cancelled');
        expectQueueOrder(await registry.hostQueue(HOST), first.id, c.id, b.id);

        for (const [run, steps] of [
          [first, 24],
          [c, 3],
        ] as const) {
          const done = await registry.waitForEnd(run.id);
          expect(done.state).toBe('completed');
          const events = await registry.events(run.id);
          expect(mirrorSeqs(done.mirrorDir)).toEqual(range(events.length));
          expect(events.flatMap((e) => (e.type === 'metrics' ? [e.step] : []))).toEqual(range(steps));
        }
        const cStart = Date.parse((await registry.events(c.id))[0].ts);
        expect(cStart).toBeGreaterThanOrEqual(Date.parse((await registry.events(first.id)).at(-1)!.ts));
      } finally {
        registry.dispose();
        hosts.dispose();
      }
    });
  },
);
