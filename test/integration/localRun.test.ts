// Training on this machine end to end with the real trainer on a tiny model: a run followed to completion
// across a restart of the follower, a trainer killed with SIGKILL, and cancel followed by resume. Dataset and
// folder names are hostile on purpose: they must stay data.
import { describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRegistry, RunRegistry, type RunInfo } from '../../src/core/runs';
import type { RunEvent } from '../../src/contracts/events';
import { nodeStoreFs } from '../../src/platform/nodeStoreFs';
import { createLocalSession } from '../../src/platform/localSession';
import { findTrainerSourceDir } from '../../src/platform/hostEnvironment';
import { mirrorSeqs, PROJECT_PYTHON, range, runConfig, smallDatasets } from './helpers/sshRunFixture';

async function openLocal(storageDir: string): Promise<RunRegistry> {
  mkdirSync(storageDir, { recursive: true });
  const hosts = new HostRegistry({
    local: async () => createLocalSession({ workdir: join(storageDir, 'local'), trainerDir: findTrainerSourceDir(), python: PROJECT_PYTHON }),
  });
  return RunRegistry.open({ storageDir, fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 200 }, cancelGraceMs: 60_000 });
}

async function until(registry: RunRegistry, id: string, check: (info: RunInfo) => boolean, what: string): Promise<RunInfo> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const info = registry.get(id)!;
    if (check(info)) return info;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last state ${info.state} step ${info.step}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const metricSteps = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'metrics' ? [e.step] : []));

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))('training on the local host', { timeout: 300_000 }, () => {
  it('completes a run across a restart of the follower, with hostile paths, each event exactly once', async () => {
    const data = smallDatasets(`my project $(touch pwned) \`touch pwned2\` "q" 'it's'`);
    const { config, configFile } = runConfig(data, { host: 'local', hyperparameters: { maxSteps: 10, batchSize: 2, gradAccum: 1, learningRate: 0.001 } });
    const storage = join(mkdtempSync(join(tmpdir(), 'brightrun-local-')), `state $(id) "dir"`);
    const first = await openLocal(storage);
    const launched = await first.launch({ config, configFile });
    expect(readFileSync(join(launched.runDir, 'config.json'), 'utf8')).toContain(JSON.stringify(data.train).slice(1, -1));
    await until(first, launched.id, (i) => i.step >= 2, 'two steps');
    first.dispose(); // the editor goes away mid-run; the trainer must not notice

    const second = await openLocal(storage);
    const done = await second.waitForEnd(launched.id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(10);
    expect(done.adapterPath).toBe(join(launched.runDir, 'adapter'));
    expect(existsSync(join(launched.runDir, 'adapter', 'adapter_model.safetensors'))).toBe(true);
    const seqs = mirrorSeqs(done.mirrorDir);
    expect(seqs).toEqual(range(seqs.length));
    const events = await second.events(launched.id);
    expect(events.map((e) => e.seq)).toEqual(seqs);
    expect(metricSteps(events)).toEqual(range(10));
    expect(events.at(-1)?.type).toBe('done');
    const hostEvents = readFileSync(join(launched.runDir, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(hostEvents).toHaveLength(seqs.length);
    // Nothing in a name was run as a command.
    for (const dir of [data.root, join(data.root, '..'), process.cwd(), launched.runDir]) {
      expect(readdirSync(dir).filter((f) => f.startsWith('pwned'))).toEqual([]);
    }
    second.dispose();
  });

  it('reports a trainer killed with SIGKILL as failed, with a reason', async () => {
    const data = smallDatasets('kill');
    // Recovery off: this is about how a death is reported (test/integration/recovery.test.ts restarts one).
    const { config, configFile } = runConfig(data, {
      host: 'local',
      recovery: { enabled: false },
      hyperparameters: { maxSteps: 200, batchSize: 2, gradAccum: 1 },
    });
    const registry = await openLocal(mkdtempSync(join(tmpdir(), 'brightrun-local-')));
    const { id, runDir } = await registry.launch({ config, configFile });
    await until(registry, id, (i) => i.step >= 1, 'the first step');
    const launch = JSON.parse(readFileSync(join(runDir, 'launch.json'), 'utf8'));
    process.kill(-launch.attempts[0].pgid, 'SIGKILL');
    const info = await registry.waitForEnd(id);
    expect(info.state).toBe('failed');
    expect(info.exitReason).toMatch(/ended without reporting why|killed/);
    expect(JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8')).state).toBe('failed');
    registry.dispose();
  });

  it('reports a trainer that stops on a bad base model as failed, with its own explanation', async () => {
    const data = smallDatasets('bad-model');
    const { config, configFile } = runConfig(data, { host: 'local', baseModel: join(data.root, 'no such model') });
    const registry = await openLocal(mkdtempSync(join(tmpdir(), 'brightrun-local-')));
    const { id } = await registry.launch({ config, configFile });
    const info = await registry.waitForEnd(id);
    expect(info.state).toBe('failed');
    expect(info.exitReason).toMatch(/no such model/);
    const events = await registry.events(id);
    expect(events.some((e) => e.type === 'error')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'done', state: 'failed' });
    registry.dispose();
  });

  it('cancels with a checkpoint, then resumes to completion with continuing steps and seq', async () => {
    const data = smallDatasets('cancel');
    const { config, configFile } = runConfig(data, {
      host: 'local',
      checkpointEvery: 0,
      evalEvery: 0,
      hyperparameters: { maxSteps: 12, batchSize: 2, gradAccum: 1, learningRate: 0.001 },
    });
    const registry = await openLocal(mkdtempSync(join(tmpdir(), 'brightrun-local-')));
    const { id, runDir } = await registry.launch({ config, configFile });
    await until(registry, id, (i) => i.step >= 3, 'three steps');
    expect(await registry.cancel(id)).toBe('stopped');
    const cancelled = await registry.waitForEnd(id);
    expect(cancelled.state).toBe('cancelled');
    const checkpoints = readdirSync(join(runDir, 'checkpoints'));
    expect(checkpoints.length).toBeGreaterThan(0);

    const resumed = await registry.resume(id);
    expect(resumed.attempts).toBe(2);
    const done = await registry.waitForEnd(id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(12);
    const events = await registry.events(id);
    expect(events.map((e) => e.seq)).toEqual(range(events.length));
    const plan = events.filter((e) => e.type === 'plan').at(-1);
    const from = plan?.type === 'plan' ? plan.resumed_from_step : undefined;
    expect(from).toBeGreaterThanOrEqual(3);
    // The second attempt picks up right after its checkpoint and runs to the end.
    const afterResume = events.slice(events.indexOf(plan!));
    expect(metricSteps(afterResume)).toEqual(range(12).filter((s) => s > from!));
    expect(events.filter((e) => e.type === 'done').map((e) => (e.type === 'done' ? e.state : ''))).toEqual(['cancelled', 'completed']);
    registry.dispose();
  });
});
