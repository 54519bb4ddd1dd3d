// The editor's view of the engine, on the real RunRegistry with the runs tests' stub trainer on the local host.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry } from '../../../src/core/runs';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { MonitorRun } from '../../../src/shared/monitorProtocol';
import { RegistryRunsPort, type ListState } from '../../../src/vscode/runs/registryAdapter';
import { stubHosts } from '../runs/helpers/stubHost';

class MemoryState implements ListState {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown) {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

const quietLog = { info() {}, warn() {}, error() {} };

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'editor-runs-'));
  writeFileSync(join(root, 'train.jsonl'), '{"text":"hello"}\n');
  const configFile = join(root, 'demo.brightrun.json');
  writeFileSync(configFile, JSON.stringify({ name: 'demo run', datasets: { train: 'train.jsonl' }, baseModel: 'tiny', pricePerGpuHour: 1.25 }));
  const hosts = stubHosts(join(root, 'host'));
  const registry = await RunRegistry.open({ storageDir: join(root, 'storage'), fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 50 } });
  const state = new MemoryState();
  const port = new RegistryRunsPort({ registry, hosts, state, readTextFile: async (p) => readFileSync(p, 'utf8'), log: quietLog });
  return { root, configFile, registry, hosts, state, port };
}

describe('RegistryRunsPort', { timeout: 60_000 }, () => {
  it('launches a config file, reports changes by run id, and ends with a completed run and its history', async () => {
    const { configFile, registry, port } = await setup();
    const changed = new Set<string>();
    port.onDidChange((ids) => ids.forEach((id) => changed.add(id)));
    const streamed: number[] = [];
    const runId = await port.launch(configFile);
    port.onEvents(runId, (events) => streamed.push(...events.map((e) => e.seq)));
    expect(changed.has(runId)).toBe(true);
    await registry.waitForEnd(runId);

    const run = port.get(runId)!;
    expect(run).toMatchObject({ host: 'local', state: 'completed', config: { name: 'demo run', baseModel: 'tiny' } });
    expect(run.adapterPath).toMatch(/adapter$/);
    const history = await port.history(runId);
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    expect(streamed.every((seq) => history.some((e) => e.seq === seq))).toBe(true);

    const summary = port.monitorSummary(runId)!;
    expect(MonitorRun.safeParse(summary).success).toBe(true);
    expect(summary.cost.pricePerGpuHour).toBe(1.25);
    expect(summary.canResume).toBe(false);
    expect(port.localFolder(runId)).toBe(registry.get(runId)!.runDir);
    expect((await port.config(runId))?.run_id).toBe(runId);
    registry.dispose();
  });

  it('refuses an invalid config with every problem and its JSON path', async () => {
    const { root, port, registry } = await setup();
    const bad = join(root, 'bad.brightrun.json');
    writeFileSync(bad, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: '', preset: 'wild' }));
    await expect(port.launch(bad)).rejects.toThrow(/\$\.baseModel[\s\S]*\$\.preset/);
    expect(port.list()).toEqual([]);
    registry.dispose();
  });

  it('removes an ended run from the registry (the host folder stays), and refuses an active one', async () => {
    const { root, configFile, registry, hosts, state, port } = await setup();
    const runId = await port.launch(configFile);
    await expect(port.remove(runId)).rejects.toThrow(/cancel it before removing/);
    await registry.waitForEnd(runId);
    const { runDir, mirrorDir } = registry.get(runId)!;
    const fired: string[][] = [];
    port.onDidChange((ids) => fired.push(ids));
    await port.remove(runId);
    expect(port.get(runId)).toBeUndefined();
    expect(port.list()).toEqual([]);
    expect(fired).toContainEqual([runId]);
    expect(existsSync(runDir)).toBe(true);
    expect(existsSync(mirrorDir)).toBe(false);
    registry.dispose();
    const reopened = await RunRegistry.open({ storageDir: join(root, 'storage'), fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 50 } });
    const again = new RegistryRunsPort({ registry: reopened, hosts, state, readTextFile: async (p) => readFileSync(p, 'utf8'), log: quietLog });
    expect(again.get(runId)).toBeUndefined();
    reopened.dispose();
  });

  it('reads the log tail and copies an adapter folder with progress', async () => {
    const { root, configFile, registry, port } = await setup();
    const runId = await port.launch(configFile);
    await registry.waitForEnd(runId);
    const adapter = port.get(runId)!.adapterPath!;
    mkdirSync(join(adapter, 'nested'), { recursive: true });
    writeFileSync(join(adapter, 'adapter_config.json'), '{"r": 8}');
    writeFileSync(join(adapter, 'nested', 'extra.bin'), Buffer.alloc(5000, 7));
    const progress: [number, number][] = [];
    const target = join(root, 'downloaded');
    await port.downloadAdapter(runId, target, (done, total) => progress.push([done, total]));
    expect(readFileSync(join(target, 'adapter_config.json'), 'utf8')).toBe('{"r": 8}');
    expect(readFileSync(join(target, 'nested', 'extra.bin')).length).toBe(5000);
    expect(existsSync(`${target}.partial`)).toBe(false);
    expect(progress.at(-1)).toEqual([5008, 5008]);

    writeFileSync(join(registry.get(runId)!.runDir, 'trainer.log'), 'one\ntwo\nthree\n');
    expect(await port.logTail(runId, 2)).toEqual(['two', 'three']);
    registry.dispose();
  });
});
