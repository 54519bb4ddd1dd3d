// The editor and the CLI share one run state ($BRIGHTRUN_HOME/state). Two real processes (node children) open
// it at once, follow the same run into the same mirror and launch runs of their own, so both write runs.json
// and the mirror concurrently: no event line may be written twice or lost, and no index update may be lost.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RunRegistry } from '../../src/core/runs';
import { validateRunConfig } from '../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../src/platform/nodeStoreFs';
import { stubHosts } from '../unit/runs/helpers/stubHost';

const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const worker = join(__dirname, 'helpers', 'sharedRegistryWorker.ts');

interface WorkerReport {
  launched: string[];
  appended: number[];
  history: number[];
  state: string;
  step: number;
}

function seqsOf(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line).seq as number);
}

describe('one run state for several processes', { timeout: 180_000 }, () => {
  it('two processes following the same run and launching runs neither duplicate nor lose mirror lines or index entries', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shared-registry-'));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'train.jsonl'), '{"text":"hello"}\n');
    const configFile = join(root, 'demo.brightrun.json');
    const storageDir = join(root, 'state');
    const workdir = join(root, 'host');
    const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));

    // A run with many quick steps, started here and then left to the two processes to follow.
    const starter = await RunRegistry.open(
      { storageDir, fs: nodeStoreFs, hosts: stubHosts(workdir, { STUB_TOTAL_STEPS: '300', STUB_STEP_MS: '3' }), followerOptions: { statusPollMs: 20 } },
      { attach: false },
    );
    const run = await starter.launch({ config: parsed.config, configFile });
    starter.dispose();

    const launchesEach = 6;
    const reports = await Promise.all(
      [0, 1].map(async () => {
        const { stdout } = await promisify(execFile)(tsx, [worker, storageDir, workdir, configFile, run.id, String(launchesEach)], { timeout: 150_000 });
        return JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerReport;
      }),
    );

    const hostSeqs = seqsOf(join(run.runDir, 'events.jsonl'));
    const mirrorSeqs = seqsOf(join(storageDir, 'mirror', run.id, 'events.jsonl'));
    expect(hostSeqs.length).toBeGreaterThan(300);
    // Every event of the host's file once in the mirror, none twice.
    expect([...mirrorSeqs].sort((a, b) => a - b)).toEqual(hostSeqs);
    expect(new Set(mirrorSeqs).size).toBe(mirrorSeqs.length);
    for (const report of reports) {
      expect(report.state).toBe('completed');
      expect(report.step).toBe(300);
      expect(report.history).toEqual(hostSeqs);
      // Each process saw every event it did not have yet exactly once, wherever it was appended from.
      expect(new Set(report.appended).size).toBe(report.appended.length);
    }

    // Every run launched by either process is in the index, with the first one, each once.
    const index = JSON.parse(readFileSync(join(storageDir, 'runs.json'), 'utf8')) as { runs: { id: string; state: string }[] };
    const launched = reports.flatMap((r) => r.launched);
    expect(launched).toHaveLength(2 * launchesEach);
    expect(index.runs.map((r) => r.id).sort()).toEqual([run.id, ...launched].sort());
    expect(index.runs.every((r) => r.state === 'completed')).toBe(true);
    // Each launched run's mirror holds its events once too.
    for (const id of launched) {
      const seqs = seqsOf(join(storageDir, 'mirror', id, 'events.jsonl'));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
  });
});
