// Forgetting runs (RunRegistry.remove) and the cost inputs each run keeps (price per GPU-hour, GPUs).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry, type RunChange } from '../../../src/core/runs';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { HostRegistry, type HostSession } from '../../../src/core/runs/hostRegistry';
import { hostGpuPrice } from '../../../src/core/config/throughputTable';
import { stubHosts, stubSession } from './helpers/stubHost';
import { waitFor } from './helpers/waitFor';

function project(extra: Record<string, unknown> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'registry-remove-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'train.jsonl'), '{"text":"hello"}\n');
  const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny', ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return { root, configFile: join(root, 'demo.brightrun.json'), config: parsed.config, storageDir: join(root, 'storage'), workdir: join(root, 'host') };
}

function open(p: ReturnType<typeof project>, env: Record<string, string> = {}, price?: number) {
  return RunRegistry.open(
    { storageDir: p.storageDir, fs: nodeStoreFs, hosts: stubHosts(p.workdir, env, price), followerOptions: { statusPollMs: 50 }, cancelGraceMs: 10_000 },
    { attach: false },
  );
}

const indexIds = (p: ReturnType<typeof project>) =>
  (JSON.parse(readFileSync(join(p.storageDir, 'runs.json'), 'utf8')).runs as { id: string }[]).map((r) => r.id);

describe('RunRegistry.remove', { timeout: 60_000 }, () => {
  it('forgets an ended run: index entry and mirror go, the host folder and other runs stay, also after reopening', async () => {
    const p = project();
    const registry = await open(p);
    const kept = await registry.launch({ config: p.config, configFile: p.configFile });
    const gone = await registry.launch({ config: p.config, configFile: p.configFile });
    await registry.waitForEnd(kept.id);
    await registry.waitForEnd(gone.id);
    const changes: RunChange[] = [];
    registry.onDidChange((c) => changes.push(c));

    await registry.remove(gone.id);
    // (Late updates of the runs' ends may come too; one 'removed' is what matters.)
    expect(changes.filter((c) => c.kind === 'removed')).toEqual([
      expect.objectContaining({ kind: 'removed', run: expect.objectContaining({ id: gone.id, state: 'completed' }) }),
    ]);
    expect(registry.get(gone.id)).toBeUndefined();
    expect(registry.list().map((r) => r.id)).toEqual([kept.id]);
    expect(existsSync(gone.mirrorDir)).toBe(false);
    expect(existsSync(join(p.storageDir, 'removed', gone.id))).toBe(false);
    expect(existsSync(gone.runDir)).toBe(true); // the trainer's folder, with the adapter, is the user's
    expect(indexIds(p)).toEqual([kept.id]);
    await expect(registry.events(gone.id)).rejects.toThrow(/no run/);
    await expect(registry.remove(gone.id)).rejects.toThrow(`no run '${gone.id}'`);
    registry.dispose();

    const reopened = await open(p);
    expect(reopened.problems).toEqual([]);
    expect(reopened.list().map((r) => r.id)).toEqual([kept.id]);
    expect(reopened.get(kept.id)?.state).toBe('completed');
    reopened.dispose();
  });

  it('refuses a run that is still active, and removes it once cancelled', async () => {
    const p = project();
    const registry = await open(p, { STUB_SCENARIO: 'hang', STUB_TOTAL_STEPS: '500', STUB_STEP_MS: '30' });
    const { id, mirrorDir } = await registry.launch({ config: p.config, configFile: p.configFile });
    await waitFor(() => (registry.get(id)?.step ?? 0) >= 1, 'a first step');
    await expect(registry.remove(id)).rejects.toThrow(/still (starting|running).*cancel it before removing/);
    expect(registry.get(id)).toBeDefined();
    expect(existsSync(mirrorDir)).toBe(true);
    expect(indexIds(p)).toEqual([id]);

    await registry.cancel(id);
    await registry.waitForEnd(id);
    await registry.remove(id);
    expect(registry.list()).toEqual([]);
    expect(indexIds(p)).toEqual([]);
    registry.dispose();
    const reopened = await open(p);
    expect(reopened.list()).toEqual([]);
    reopened.dispose();
  });
});

describe('cost inputs on RunInfo', { timeout: 60_000 }, () => {
  it('carries the price and GPUs the run was launched with, from the config or else the host', async () => {
    const p = project({ pricePerGpuHour: 2.5 });
    const registry = await open(p, {}, 9);
    const fromConfig = await registry.launch({ config: p.config, configFile: p.configFile });
    expect(fromConfig).toMatchObject({ pricePerGpuHour: 2.5, gpus: 1 });
    const q = project();
    const other = await open(q, {}, 9);
    const fromHost = await other.launch({ config: q.config, configFile: q.configFile });
    expect(fromHost.pricePerGpuHour).toBe(9);
    await registry.waitForEnd(fromConfig.id);
    await other.waitForEnd(fromHost.id);
    registry.dispose();
    other.dispose();
    // The recorded price stays what the run used, even when the config file changes afterwards.
    writeFileSync(p.configFile, JSON.stringify({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny', pricePerGpuHour: 100 }));
    const reopened = await open(p);
    expect(reopened.get(fromConfig.id)).toMatchObject({ pricePerGpuHour: 2.5, gpus: 1 });
    reopened.dispose();
  });

  it('uses the default price of the GPU a remote host detects while staging, so a budget works without a setting', async () => {
    const p = project({ budgetUsd: 1000 });
    // Like an SSH session: the GPU (and so the default price) is known only once stage() ran the preflight.
    const base = stubSession(p.workdir);
    let detected: string | null = null;
    const session: HostSession = {
      host: base.host,
      runtime: base.runtime,
      stage: async (paths) => {
        detected = 'NVIDIA H100 80GB HBM3';
        return paths;
      },
      get pricePerGpuHour() {
        return hostGpuPrice(null, detected)?.usdPerHour;
      },
      get priceFromGpu() {
        return hostGpuPrice(null, detected)?.fromGpu ?? null;
      },
    };
    const hosts = new HostRegistry({ local: async () => session, remote: async () => session });
    const registry = await RunRegistry.open({ storageDir: p.storageDir, fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 50 } }, { attach: false });
    const progress: string[] = [];
    const info = await registry.launch({ config: p.config, configFile: p.configFile, host: 'gpu-box', onProgress: (m) => progress.push(m) });
    expect(info).toMatchObject({ host: 'gpu-box', pricePerGpuHour: 2.99, gpus: 1, budgetUsd: 1000 });
    expect(progress.join('\n')).toMatch(/\$2\.99\/GPU-hour \(typical on-demand price for the detected H100/);
    const done = await registry.waitForEnd(info.id);
    expect(done.costUsd).toBeGreaterThan(0);
    registry.dispose();

    // A host whose GPU has no known price still refuses a budget, with what to do.
    detected = null;
    const unknown: HostSession = { ...base, stage: async (paths) => ((detected = 'Imaginary X9000'), paths) };
    const other = await RunRegistry.open(
      { storageDir: join(p.root, 'other'), fs: nodeStoreFs, hosts: new HostRegistry({ local: async () => unknown, remote: async () => unknown }) },
      { attach: false },
    );
    await expect(other.launch({ config: p.config, configFile: p.configFile, host: 'gpu-box' })).rejects.toThrow(
      /no GPU with a known price detected\): add pricePerGpuHour/,
    );
    other.dispose();
  });

  it('reads index files written before the run kept its price and GPUs: no price, one GPU', async () => {
    const p = project();
    const registry = await open(p);
    const { id } = await registry.launch({ config: p.config, configFile: p.configFile });
    await registry.waitForEnd(id);
    registry.dispose();
    for (const file of [join(p.storageDir, 'runs.json'), join(p.storageDir, 'mirror', id, 'record.json')]) {
      const strip = (r: Record<string, unknown>) => {
        delete r.pricePerGpuHour;
        delete r.gpus;
      };
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(json.runs)) json.runs.forEach(strip);
      else strip(json);
      writeFileSync(file, JSON.stringify(json));
    }
    const reopened = await open(p);
    expect(reopened.problems).toEqual([]);
    expect(reopened.get(id)).toMatchObject({ state: 'completed', pricePerGpuHour: null, gpus: 1, costUsd: null });
    reopened.dispose();
  });
});
