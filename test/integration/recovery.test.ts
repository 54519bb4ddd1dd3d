// Automatic recovery with real processes: the real trainer on a tiny model, the real loopback sshd. A trainer made
// to run out of memory on purpose (the trainer's test hook) restarts with half the micro-batch; a trainer killed
// hard while no editor follows it is resumed when the editor attaches again; a host that vanishes (sshd stopped,
// the trainer's process group killed, sshd started again on the same port) is resumed once it is back. Each run
// must end completed with every event exactly once, seq unbroken and steps continuing from the checkpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { hostSettings, mirrorSeqs, openRegistry, PROJECT_PYTHON, range, runConfig, smallDatasets } from './helpers/sshRunFixture';
import { HostRegistry, RunRegistry, type RunChange, type RunInfo } from '../../src/core/runs';
import type { AttemptEvent, RunEvent } from '../../src/contracts/events';
import { nodeStoreFs } from '../../src/platform/nodeStoreFs';
import { createLocalSession } from '../../src/platform/localSession';
import { findTrainerSourceDir } from '../../src/platform/hostEnvironment';

const waitUntil = async (check: () => boolean, what: string, ms = 150_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const metricSteps = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'metrics' ? [e.step] : []));
const attempts = (events: RunEvent[]) => events.filter((e): e is AttemptEvent => e.type === 'attempt');
const pgidOf = (runDir: string, attempt = 0) =>
  (JSON.parse(readFileSync(join(runDir, 'launch.json'), 'utf8')) as { attempts: { pgid: number }[] }).attempts[attempt].pgid;
const hasCheckpoint = (runDir: string, step: number) => existsSync(join(runDir, 'checkpoints', `checkpoint-${step}`, 'trainer_state.json'));

/** The whole history: each seq once and in order, the mirror equal to the host's file, one attempt event opening
 *  the second attempt, whose steps continue right after the checkpoint it resumed from. */
async function expectRecoveredHistory(registry: RunRegistry, run: RunInfo, totalSteps: number): Promise<{ events: RunEvent[]; attempt: AttemptEvent }> {
  const events = await registry.events(run.id);
  expect(events.map((e) => e.seq)).toEqual(range(events.length));
  expect(mirrorSeqs(run.mirrorDir)).toEqual(range(events.length));
  expect(readFileSync(join(run.runDir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(events.length);
  const found = attempts(events);
  expect(found).toHaveLength(1);
  const attempt = found[0];
  const at = events.indexOf(attempt);
  expect(attempt.number).toBe(2);
  expect(attempt.from_step).toBeGreaterThan(0);
  const before = metricSteps(events.slice(0, at));
  expect(before).toEqual(range(before.length));
  expect(before.length).toBeGreaterThanOrEqual(attempt.from_step);
  expect(metricSteps(events.slice(at))).toEqual(range(totalSteps).filter((s) => s > attempt.from_step));
  const plans = events.slice(at).filter((e) => e.type === 'plan');
  expect(plans).toMatchObject([{ resumed_from_step: attempt.from_step }]);
  expect(events.filter((e) => e.type === 'done').map((e) => (e.type === 'done' ? e.state : ''))).toEqual(
    attempt.reason === 'oom' ? ['failed', 'completed'] : ['completed'],
  );
  return { events, attempt };
}

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'automatic recovery on the local host',
  { timeout: 300_000 },
  () => {
    it('restarts a run that ran out of memory from its checkpoint with half the micro-batch, the same effective batch', async () => {
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-recovery-'));
      mkdirSync(storage, { recursive: true });
      const hosts = new HostRegistry({
        local: async () => createLocalSession({ workdir: join(storage, 'local'), trainerDir: findTrainerSourceDir(), python: PROJECT_PYTHON }),
      });
      const registry = await RunRegistry.open({ storageDir: storage, fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 200 } });
      const notices: RunChange[] = [];
      const states: string[] = [];
      registry.onDidChange((c) => (c.kind === 'notice' ? notices.push(c) : states.push(c.run.state)));
      const data = smallDatasets('oom');
      const { config, configFile } = runConfig(data, {
        host: 'local',
        evaluate: false,
        evalEvery: 0,
        checkpointEvery: 2,
        hyperparameters: { maxSteps: 6, batchSize: 4, gradAccum: 1, learningRate: 0.001 },
      });
      // The trainer's test hook: out of memory at micro-batch 4 or more, once 3 steps are done.
      process.env.BRIGHTRUN_TEST_OOM_BATCH_SIZE = '4';
      process.env.BRIGHTRUN_TEST_OOM_AFTER_STEP = '3';
      try {
        const run = await registry.launch({ config, configFile });
        const done = await registry.waitForEnd(run.id);
        expect(done.state).toBe('completed');
        expect(done.step).toBe(6);
        expect(done.attempts).toBe(2); // both in the cost
        // Nothing following it saw the run fail (so the editor showed no 'failed' notification before the restart).
        expect(states).not.toContain('failed');
        const { events, attempt } = await expectRecoveredHistory(registry, done, 6);
        expect(attempt).toMatchObject({
          reason: 'oom',
          from_step: 2,
          changes: [
            { setting: 'batch_size', from: 4, to: 2 },
            { setting: 'grad_accum', from: 1, to: 2 },
          ],
        });
        const oom = events.find((e) => e.type === 'error');
        expect(oom).toMatchObject({ kind: 'oom' });
        expect(notices.map((n) => (n.kind === 'notice' ? n.message : ''))).toContainEqual(
          expect.stringMatching(/restarted automatically\. Attempt 2: ran out of memory at micro-batch 4/),
        );
        const recovery = JSON.parse(readFileSync(join(done.runDir, 'recovery.json'), 'utf8'));
        expect(recovery.attempts).toMatchObject([{ number: 2, batch_size: 2, grad_accum: 2 }]);
      } finally {
        delete process.env.BRIGHTRUN_TEST_OOM_BATCH_SIZE;
        delete process.env.BRIGHTRUN_TEST_OOM_AFTER_STEP;
        registry.dispose();
        hosts.dispose();
      }
    });
  },
);

let sshd: TestSshd;
let workdir: string;

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'automatic recovery over SSH',
  { timeout: 300_000 },
  () => {
    beforeAll(async () => {
      sshd = await startSshd();
      writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
      workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-ssh-recovery-')), 'work');
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    const tinyRun = (name: string) =>
      runConfig(smallDatasets(name), {
        evaluate: false,
        evalEvery: 0,
        checkpointEvery: 2,
        hyperparameters: { maxSteps: 10, batchSize: 2, gradAccum: 1, learningRate: 0.001 },
      });

    it('resumes a trainer killed hard while no editor followed it, when the editor attaches again', async () => {
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const { config, configFile } = tinyRun('killed');
      const first = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const run = await first.registry.launch({ config, configFile });
      let latest: RunInfo | undefined;
      first.registry.onDidChange((c) => c.run.id === run.id && (latest = c.run));
      await waitUntil(() => (latest?.step ?? 0) >= 3 && hasCheckpoint(run.runDir, 2), 'step 3 and checkpoint-2');
      first.registry.dispose(); // the editor goes away
      first.hosts.dispose();
      process.kill(-pgidOf(run.runDir), 'SIGKILL'); // then the trainer dies, with no one watching

      const second = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const done = await second.registry.waitForEnd(run.id);
      expect(done.state).toBe('completed');
      expect(done.step).toBe(10);
      expect(done.attempts).toBe(2);
      const { attempt } = await expectRecoveredHistory(second.registry, done, 10);
      expect(attempt).toMatchObject({ reason: 'killed', changes: [] });
      second.registry.dispose();
      second.hosts.dispose();
    });

    it('resumes a run whose host vanished (sshd stopped, trainer killed, sshd back on the same port)', async () => {
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const { config, configFile } = tinyRun('vanished');
      const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const run = await registry.launch({ config, configFile });
      let latest: RunInfo | undefined;
      registry.onDidChange((c) => c.run.id === run.id && (latest = c.run));
      await waitUntil(() => (latest?.step ?? 0) >= 3 && hasCheckpoint(run.runDir, 2), 'step 3 and checkpoint-2');
      await sshd.stop();
      process.kill(-pgidOf(run.runDir), 'SIGKILL');
      // A vanished host stays away for a while, not a blip: long enough for the follower's polls and reconnect
      // attempts to meet a refused port (1.5 s was sometimes too short on a busy machine: the run read as killed).
      await new Promise((r) => setTimeout(r, 10_000));
      await sshd.start();
      const done = await registry.waitForEnd(run.id);
      expect(done.state).toBe('completed');
      expect(done.step).toBe(10);
      const { attempt } = await expectRecoveredHistory(registry, done, 10);
      expect(attempt).toMatchObject({ reason: 'host_lost', changes: [] });
      registry.dispose();
      hosts.dispose();
    });
  },
);
