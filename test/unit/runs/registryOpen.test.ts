// Opening the registry reads the index and small per-run state files, never a run's events.jsonl: the history
// is read when something asks for it, and damage in it is reported then.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry, type RunChange, type StoreFs } from '../../../src/core/runs';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { stubHosts } from './helpers/stubHost';
import { waitFor } from './helpers/waitFor';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'registry-open-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'train.jsonl'), '{"text":"hello"}\n');
  const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return { root, configFile: join(root, 'demo.brightrun.json'), config: parsed.config, storageDir: join(root, 'storage'), workdir: join(root, 'host') };
}

/** nodeStoreFs that remembers every file it was asked to read. */
function recordingFs(): { fs: StoreFs; reads: string[] } {
  const reads: string[] = [];
  return { reads, fs: { ...nodeStoreFs, readFile: (path) => (reads.push(path), nodeStoreFs.readFile(path)) } };
}

function open(p: ReturnType<typeof project>, options: { env?: Record<string, string>; fs?: StoreFs; attach?: boolean } = {}) {
  return RunRegistry.open(
    { storageDir: p.storageDir, fs: options.fs ?? nodeStoreFs, hosts: stubHosts(p.workdir, options.env ?? {}), followerOptions: { statusPollMs: 50 } },
    { attach: options.attach ?? true },
  );
}

const eventsReads = (reads: string[]) => reads.filter((path) => path.endsWith('events.jsonl'));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('RunRegistry.open', { timeout: 60_000 }, () => {
  it('lists an ended run with its summary from the index alone; a damaged history is reported when it is read', async () => {
    const p = project();
    const first = await open(p);
    const { id } = await first.launch({ config: p.config, configFile: p.configFile });
    const ended = await first.waitForEnd(id);
    const count = (await first.events(id)).length;
    first.dispose();
    const eventsFile = join(p.storageDir, 'mirror', id, 'events.jsonl');
    const lines = readFileSync(eventsFile, 'utf8').split('\n');
    lines[1] = '\u0000\u0000 not json';
    writeFileSync(eventsFile, lines.join('\n'));

    const { fs, reads } = recordingFs();
    const registry = await open(p, { fs });
    expect(eventsReads(reads)).toEqual([]);
    expect(registry.problems).toEqual([]);
    const info = registry.get(id)!;
    expect(info).toMatchObject({ state: 'completed', step: 5, totalSteps: 5, adapterPath: ended.adapterPath, costUsd: ended.costUsd });
    expect(info.loss).toBeCloseTo(2 / 5);
    expect(info.evalLoss).toBeCloseTo(1.1);
    expect(registry.throughputHistory()).toEqual([{ host: 'local', baseModel: 'tiny', gpus: 1, tokensPerS: 1000 }]);

    const notices: RunChange[] = [];
    registry.onDidChange((c) => c.kind === 'notice' && notices.push(c));
    const history = await registry.events(id);
    expect(history.map((e) => e.seq)).toEqual(range(count).filter((seq) => seq !== 2));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ severity: 'warning', run: { id } });
    expect((notices[0] as { message: string }).message).toMatch(
      /local history was damaged \(events.jsonl line 2 is not a valid event; dropped; .*kept as .*events.jsonl.corrupt-\d+\)/,
    );
    // The host still has the run: the missing event comes back, once.
    await waitFor(async () => (await registry.events(id)).length === count, 'the missing event read again from the host');
    expect(readFileSync(eventsFile, 'utf8').trim().split('\n')).toHaveLength(count);
    registry.dispose();
  });

  it('re-attaches a running run from the offset in mirror.json without reading its history', async () => {
    const p = project();
    const env = { STUB_SCENARIO: 'complete', STUB_TOTAL_STEPS: '40', STUB_STEP_MS: '40' };
    const first = await open(p, { env });
    const { id } = await first.launch({ config: p.config, configFile: p.configFile });
    await waitFor(() => (first.get(id)?.step ?? 0) >= 3, 'a few steps');
    first.dispose();
    const hostEvents = join(p.workdir, 'runs', id, 'events.jsonl');
    await waitFor(() => existsSync(hostEvents) && readFileSync(hostEvents, 'utf8').includes('"step":10,'), 'progress while detached');
    // Read once the detached follower's last in-flight write (if any) has landed.
    const stepAtClose = JSON.parse(readFileSync(join(p.storageDir, 'mirror', id, 'mirror.json'), 'utf8')).progress.step as number;

    const { fs, reads } = recordingFs();
    const second = await open(p, { env, fs });
    expect(second.get(id)?.step).toBe(stepAtClose); // the snapshot stored with the offset, before any catch-up
    const done = await second.waitForEnd(id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(40);
    expect(eventsReads(reads).filter((path) => path.startsWith(p.storageDir))).toEqual([]);
    const mirrored = readFileSync(join(p.storageDir, 'mirror', id, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(mirrored.map((line) => JSON.parse(line).seq)).toEqual(range(mirrored.length)); // each seq once, in order
    second.dispose();
  });

  it('reads an index and mirror written before progress snapshots by replaying once, then stores the snapshots', async () => {
    const p = project();
    const first = await open(p);
    const { id } = await first.launch({ config: p.config, configFile: p.configFile });
    await first.waitForEnd(id);
    first.dispose();
    const indexFile = join(p.storageDir, 'runs.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8'));
    for (const run of index.runs) delete run.progress;
    writeFileSync(indexFile, JSON.stringify(index));
    const stateFile = join(p.storageDir, 'mirror', id, 'mirror.json');
    writeFileSync(stateFile, JSON.stringify({ v: 1, hostOffset: JSON.parse(readFileSync(stateFile, 'utf8')).hostOffset }));

    const old = recordingFs();
    const upgraded = await open(p, { fs: old.fs });
    expect(eventsReads(old.reads)).toHaveLength(1);
    expect(upgraded.get(id)).toMatchObject({ state: 'completed', step: 5 });
    upgraded.dispose();
    const now = recordingFs();
    const again = await open(p, { fs: now.fs });
    expect(eventsReads(now.reads)).toEqual([]);
    expect(again.get(id)).toMatchObject({ state: 'completed', step: 5 });
    again.dispose();
  });

  it('a sync that finds the end of a run whose end was never saved (its follower died) has saved it when it returns', async () => {
    const p = project();
    const first = await open(p);
    const { id } = await first.launch({ config: p.config, configFile: p.configFile });
    await first.waitForEnd(id);
    first.dispose();
    // The index as a process left it when it was killed after the trainer ended but before it saved the end.
    const indexFile = join(p.storageDir, 'runs.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8'));
    index.runs[0] = { ...index.runs[0], state: 'starting', attempts: [{ ...index.runs[0].attempts[0], endedAt: null }] };
    writeFileSync(indexFile, JSON.stringify(index));
    writeFileSync(join(p.storageDir, 'mirror', id, 'record.json'), JSON.stringify(index.runs[0]));

    const registry = await open(p, { attach: false });
    expect(registry.get(id)?.state).toBe('starting');
    expect((await registry.sync(id)).state).toBe('completed');
    const saved = JSON.parse(readFileSync(indexFile, 'utf8')).runs[0];
    expect(saved.state).toBe('completed');
    expect(saved.attempts[0].endedAt).not.toBeNull();
    registry.dispose();
  });
});
