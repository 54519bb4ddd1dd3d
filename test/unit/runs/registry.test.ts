import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry, type RunChange, type RunInfo } from '../../../src/core/runs';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { stubHosts } from './helpers/stubHost';
import { waitFor } from './helpers/waitFor';

function project(extra: Record<string, unknown> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'registry-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'train.jsonl'), '{"text":"hello"}\n');
  const configFile = join(root, 'demo.brightrun.json');
  const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny', ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return { root, configFile, config: parsed.config, storageDir: join(root, 'storage'), workdir: join(root, 'host') };
}

async function open(p: ReturnType<typeof project>, env: Record<string, string> = {}, price?: number, attach = true) {
  return RunRegistry.open(
    { storageDir: p.storageDir, fs: nodeStoreFs, hosts: stubHosts(p.workdir, env, price), followerOptions: { statusPollMs: 50 }, cancelGraceMs: 10_000 },
    { attach },
  );
}

const seqs = async (registry: RunRegistry, id: string) => (await registry.events(id)).map((e) => e.seq);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('RunRegistry', { timeout: 60_000 }, () => {
  it('launches, follows to completion, and restores the run with its history after a restart', async () => {
    const p = project();
    const registry = await open(p);
    const changes: RunChange[] = [];
    registry.onDidChange((c) => changes.push(c));
    const launched = await registry.launch({ config: p.config, configFile: p.configFile });
    expect(launched.id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(JSON.parse(readFileSync(join(launched.runDir, 'config.json'), 'utf8')).train_file).toBe(join(p.root, 'data', 'train.jsonl'));
    const done = await registry.waitForEnd(launched.id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(5);
    expect(done.totalSteps).toBe(5);
    expect(done.adapterPath).toBe(join(launched.runDir, 'adapter'));
    const history = await seqs(registry, launched.id);
    expect(history).toEqual(range(history.length));
    expect(changes.some((c) => c.kind === 'added')).toBe(true);
    expect(changes.some((c) => c.kind === 'notice' && c.severity === 'info' && /completed/.test(c.message))).toBe(true);
    expect(registry.throughputHistory()).toEqual([{ host: 'local', baseModel: 'tiny', gpus: 1, tokensPerS: 1000 }]);
    registry.dispose();

    const restored = await open(p);
    expect(restored.problems).toEqual([]);
    const info = restored.get(launched.id) as RunInfo;
    expect(info.state).toBe('completed');
    expect(info.loss).toBeCloseTo(2 / 5);
    expect(info.evalLoss).toBeCloseTo(1.1);
    expect(await seqs(restored, launched.id)).toEqual(history);
    restored.dispose();
  });

  it('re-attaches a run that kept going while the registry was closed, with every seq exactly once', async () => {
    const p = project();
    const env = { STUB_SCENARIO: 'complete', STUB_TOTAL_STEPS: '40', STUB_STEP_MS: '40' };
    const first = await open(p, env);
    const { id } = await first.launch({ config: p.config, configFile: p.configFile });
    await waitFor(() => (first.get(id)?.step ?? 0) >= 3, 'a few steps');
    first.dispose(); // the editor closes; the trainer goes on
    await waitFor(
      () => existsSync(join(p.workdir, 'runs', id, 'events.jsonl')) && readFileSync(join(p.workdir, 'runs', id, 'events.jsonl'), 'utf8').includes('"step":10,'),
      'progress while detached',
    );
    const second = await open(p, env);
    const info = await second.waitForEnd(id);
    expect(info.state).toBe('completed');
    expect(info.step).toBe(40);
    const history = await seqs(second, id);
    expect(history).toEqual(range(history.length));
    const mirrorLines = readFileSync(join(p.storageDir, 'mirror', id, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(mirrorLines).toHaveLength(history.length);
    second.dispose();
  });

  it('cancels (the trainer checkpoints) and resumes with continuing steps and seq', async () => {
    const p = project();
    const hang = await open(p, { STUB_SCENARIO: 'hang', STUB_TOTAL_STEPS: '8', STUB_STEP_MS: '30' });
    const { id } = await hang.launch({ config: p.config, configFile: p.configFile });
    await waitFor(() => (hang.get(id)?.step ?? 0) >= 2, 'some steps');
    expect(await hang.cancel(id)).toBe('stopped');
    const cancelled = await hang.waitForEnd(id);
    expect(cancelled.state).toBe('cancelled');
    const stoppedAt = cancelled.step;
    hang.dispose();

    const finish = await open(p, { STUB_SCENARIO: 'complete', STUB_TOTAL_STEPS: '8', STUB_STEP_MS: '10' });
    const resumed = await finish.resume(id);
    expect(resumed.state).toBe('starting');
    expect(resumed.attempts).toBe(2);
    const done = await finish.waitForEnd(id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(8);
    const events = await finish.events(id);
    expect(events.map((e) => e.seq)).toEqual(range(events.length));
    const steps = events.flatMap((e) => (e.type === 'metrics' ? [e.step] : []));
    expect(steps).toEqual(range(8)); // resumed right after the checkpoint: no step twice, none missing
    expect(events.find((e) => e.type === 'plan' && e.resumed_from_step !== undefined)).toMatchObject({ resumed_from_step: stoppedAt });
    await expect(finish.resume(id)).rejects.toThrow(/already completed/);
    finish.dispose();
  });

  it('reports a crashed trainer as failed with the reason from its log', async () => {
    const p = project();
    const registry = await open(p, { STUB_SCENARIO: 'crash' });
    const { id } = await registry.launch({ config: p.config, configFile: p.configFile });
    const info = await registry.waitForEnd(id);
    expect(info.state).toBe('failed');
    expect(info.exitReason).toBe('the trainer crashed: RuntimeError: stub exploded');
    registry.dispose();
  });

  it('stops a run whose projected cost would pass its budget, and says why', async () => {
    // 1000 steps at ~20 ms each at $3600/GPU-hour cost about $20: far over a $1 budget.
    const p = project({ budgetUsd: 1, pricePerGpuHour: 3600 });
    const registry = await open(p, { STUB_SCENARIO: 'hang', STUB_TOTAL_STEPS: '1000', STUB_STEP_MS: '20' });
    const notices: string[] = [];
    registry.onDidChange((c) => c.kind === 'notice' && notices.push(c.message));
    const { id } = await registry.launch({ config: p.config, configFile: p.configFile });
    const info = await registry.waitForEnd(id);
    expect(info.state).toBe('cancelled');
    expect(info.stopReason).toMatch(/budget/);
    expect(info.costUsd).toBeGreaterThan(0);
    expect(notices.some((m) => /budget/.test(m))).toBe(true);
    expect(existsSync(join(info.runDir, 'checkpoints'))).toBe(true);
    registry.dispose();
  });

  it('refuses a budget without a GPU price and a missing dataset, with clear messages', async () => {
    const p = project({ budgetUsd: 5 });
    const registry = await open(p);
    await expect(registry.launch({ config: p.config, configFile: p.configFile })).rejects.toThrow(/pricePerGpuHour/);
    const q = project({ datasets: { train: 'data/nope.jsonl' } });
    const other = await open(q);
    await expect(other.launch({ config: q.config, configFile: q.configFile })).rejects.toThrow(/training file not found on local: .*nope.jsonl/);
    await expect(other.launch({ config: q.config, configFile: q.configFile, host: 'gpu-box' })).rejects.toThrow(/host 'gpu-box' is not available/);
    registry.dispose();
    other.dispose();
  });

  it('recovers from a damaged index and a damaged mirror instead of crashing', async () => {
    const p = project();
    const registry = await open(p);
    const { id } = await registry.launch({ config: p.config, configFile: p.configFile });
    await registry.waitForEnd(id);
    const count = (await registry.events(id)).length;
    registry.dispose();

    writeFileSync(join(p.storageDir, 'runs.json'), '{"v":1,"runs":[{"trunc');
    const eventsFile = join(p.storageDir, 'mirror', id, 'events.jsonl');
    const lines = readFileSync(eventsFile, 'utf8').split('\n');
    lines[2] = '{"v":1,"seq":3,"type":"met'; // a torn write in the middle
    writeFileSync(eventsFile, lines.join('\n'));

    const restored = await open(p, {}, undefined, false);
    expect(restored.problems.join('\n')).toMatch(/runs.json was damaged/);
    expect(restored.get(id)?.state).toBe('completed');
    // The damaged history is found when it is read; the run's host still has every event: the catch-up that
    // reading starts restores the missing one, without duplicates.
    expect(await seqs(restored, id)).toHaveLength(count - 1);
    expect(restored.problems.join('\n')).toMatch(/events.jsonl line 3 is not a valid event/);
    await waitFor(async () => (await seqs(restored, id)).length === count, 'the refill from the host');
    expect(await seqs(restored, id)).toEqual(range(count));
    restored.dispose();
  });
});
