// Run ids read back from disk (runs.json and each mirror's record.json) become folder names: the run's mirror,
// which removing a run deletes, and its run folder on the host. An entry whose id is not a generated run id, or
// whose run folder is not <workdir>/runs/<id>, is reported and left out, never used as a path.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry } from '../../../src/core/runs';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { stubHosts } from './helpers/stubHost';

const GOOD = '20260102-030405-abcdef';

function record(id: string, runDir: string): RunRecord {
  return {
    v: 1,
    id,
    host: 'local',
    runDir,
    createdAt: '2026-01-02T03:04:05.000Z',
    configFile: null,
    config: {
      name: null,
      project: null,
      baseModel: 'tiny',
      preset: 'balanced',
      trainFile: 't.jsonl',
      validationFile: null,
      epochs: 1,
      maxSteps: 5,
      learningRate: 0.001,
      loraR: 8,
      loraAlpha: 16,
      batchSize: 1,
      gradAccum: 1,
      maxSeqLen: 64,
      packing: false,
    },
    gpus: 1,
    pricePerGpuHour: null,
    budgetUsd: null,
    recovery: { enabled: true, maxAttempts: 3 },
    sweep: null,
    attempts: [{ startedAt: '2026-01-02T03:04:05.000Z', endedAt: '2026-01-02T03:05:05.000Z' }],
    state: 'completed',
    exitReason: null,
    stopReason: null,
    rev: 1,
  };
}

describe('run ids read back from disk', () => {
  it('reports and leaves out entries whose id or run folder is not safe as a path', async () => {
    const root = mkdtempSync(join(tmpdir(), 'run-ids-'));
    const storageDir = join(root, 'storage');
    const workdir = join(root, 'host');
    // What removing the forged run would delete: storage/mirror/../../victim.
    mkdirSync(join(root, 'victim'));
    writeFileSync(join(root, 'victim', 'keep.txt'), 'mine');
    mkdirSync(storageDir, { recursive: true });
    const runs = [
      record(GOOD, `${workdir}/runs/${GOOD}`),
      record('../../victim', `${workdir}/runs/../../victim`),
      record('20260102-030405-a/b', `${workdir}/runs/x`),
      record('20260102-030406-abcdef', '/etc'),
    ];
    writeFileSync(join(storageDir, 'runs.json'), JSON.stringify({ v: 1, runs }));
    // Mirrors hold a copy of each record: a folder not named by a run id, and one whose record names another run.
    const mirror = (name: string, rec: RunRecord) => {
      mkdirSync(join(storageDir, 'mirror', name), { recursive: true });
      writeFileSync(join(storageDir, 'mirror', name, 'record.json'), JSON.stringify(rec));
    };
    mirror('not-a-run', record('not-a-run', `${workdir}/runs/not-a-run`));
    mirror('20260102-030407-abcdef', record('../../victim', `${workdir}/runs/20260102-030407-abcdef`));

    const registry = await RunRegistry.open({ storageDir, fs: nodeStoreFs, hosts: stubHosts(workdir) }, { attach: false });
    expect(registry.list().map((r) => r.id)).toEqual([GOOD]);
    const problems = registry.problems.join('\n');
    expect(problems).toContain('runs.json: a run entry was skipped: "../../victim" is not a run id');
    expect(problems).toContain('runs.json: a run entry was skipped: "20260102-030405-a/b" is not a run id');
    expect(problems).toContain('runs.json: a run entry was skipped: the run folder of 20260102-030406-abcdef is not <workdir>/runs/20260102-030406-abcdef');
    expect(problems).toContain('mirror/not-a-run is not named by a run id; it was left out');
    expect(problems).toContain('run 20260102-030407-abcdef: record.json was left out: it names run "../../victim"');
    expect(problems.match(/victim/g)).toHaveLength(2); // each reported once, though the index is read again on write

    await expect(registry.remove('../../victim')).rejects.toThrow();
    expect(existsSync(join(root, 'victim', 'keep.txt'))).toBe(true);
    registry.dispose();
  });
});
