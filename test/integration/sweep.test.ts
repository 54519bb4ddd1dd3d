// A real grid sweep through the CLI: `brightrun train sweep.brightrun.json --follow` on this machine with the real
// trainer and the tiny model. Every run of the grid goes through the local host's queue (one at a time here, no
// GPU) in the sweep's order, each run's record carries the sweep, the run whose learning rate barely moves it is
// stopped early (median rule, with a checkpoint) at its first evaluation, and `brightrun sweeps` ranks the runs
// by the eval loss each really reached, the best marked.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/dispatch';
import { missingParts } from '../realParts';
import { HostRegistry, RunRegistry, type RunInfo } from '../../src/core/runs';
import { nodeStoreFs } from '../../src/platform/nodeStoreFs';
import { runStateDir } from '../../src/platform/brightrunHome';
import { PROJECT_PYTHON, smallDatasets, tinyModelDir } from './helpers/sshRunFixture';

const LEARNING_RATES = [3e-3, 3e-4, 1e-6];
const EARLY_STOP = { rule: 'median', afterEvaluations: 1, minRuns: 2 };

let root: string;
let out: string[];

async function cli(args: string[]): Promise<number> {
  out = [];
  vi.stubEnv('BRIGHTRUN_HOME', join(root, 'home'));
  vi.stubEnv('BRIGHTRUN_PYTHON', PROJECT_PYTHON);
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    return await runCli(args);
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))('a grid sweep on this machine', { timeout: 600_000 }, () => {
  let runs: RunInfo[];
  let registry: RunRegistry;
  let trainExit: number;
  let trainOutput: string[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'brightrun-sweep-'));
    const data = smallDatasets('project', 16, 4);
    const config = join(data.root, 'lr.brightrun.json');
    writeFileSync(
      config,
      JSON.stringify({
        datasets: { train: data.train, validation: data.validation },
        baseModel: tinyModelDir(),
        maxSeqLen: 64,
        evaluate: false,
        evalEvery: 2,
        hyperparameters: { maxSteps: 8, batchSize: 2, gradAccum: 1 },
        sweep: { parameters: { learningRate: LEARNING_RATES }, earlyStop: { afterEvaluations: 1, minRuns: 2 } },
      }),
    );
    trainExit = await cli(['train', config, '--follow']);
    trainOutput = out;
    registry = await RunRegistry.open(
      {
        storageDir: runStateDir(join(root, 'home')),
        fs: nodeStoreFs,
        hosts: new HostRegistry({ local: () => Promise.reject(new Error('this registry reads the mirrors only')) }),
      },
      { attach: false },
    );
    runs = registry
      .list()
      .filter((run) => run.sweep !== null)
      .sort((a, b) => a.sweep!.index - b.sweep!.index);
  }, 600_000);

  afterAll(() => registry?.dispose());

  it('launches every run of the grid, prints the sweep and its runs, and follows them to the end', () => {
    expect(trainExit).toBe(0);
    expect(runs).toHaveLength(3);
    const sweepId = runs[0].sweep!.id;
    expect(sweepId).toMatch(/^sweep-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(trainOutput).toContain(`Sweep ${sweepId} "lr": 3 runs (grid), ranked by eval_loss, on local:`);
    for (const run of runs) expect(trainOutput).toContain(`  ${run.sweep!.index + 1}. ${run.id}  lr=${run.config.name!.split('lr=')[1]}`);
    expect(runs.map((run) => run.config.name)).toEqual(['lr lr=3e-3', 'lr lr=3e-4', 'lr lr=1e-6']);
    expect(runs.map((run) => run.state)).toEqual(['completed', 'completed', 'cancelled']);
  });

  it('records the sweep in each run: id, name, place, values, metric', () => {
    runs.forEach((run, index) => {
      expect(run.sweep).toEqual({
        id: runs[0].sweep!.id,
        name: 'lr',
        index,
        size: 3,
        parameters: { learningRate: LEARNING_RATES[index] },
        metric: 'eval_loss',
        goal: 'min',
        earlyStop: EARLY_STOP,
      });
      expect(run.config.learningRate).toBe(LEARNING_RATES[index]);
    });
  });

  it("ran the runs one after the other through the host's queue, in the sweep's order", async () => {
    for (let i = 1; i < runs.length; i++) {
      const previous = await registry.events(runs[i - 1].id);
      const current = await registry.events(runs[i].id);
      expect(Date.parse(current[0].ts)).toBeGreaterThanOrEqual(Date.parse(previous.at(-1)!.ts));
      expect(previous.at(-1)!.type).toBe('done');
    }
  });

  it('stopped the run that fell behind the median at its first evaluation, with a checkpoint to resume from', async () => {
    const evalAt = async (run: RunInfo, step: number) =>
      (await registry.events(run.id)).find((e) => e.type === 'eval' && e.step === step) as { eval_loss: number };
    const [a, b, stopped] = runs;
    const [lossA, lossB, lossStopped] = [(await evalAt(a, 2)).eval_loss, (await evalAt(b, 2)).eval_loss, (await evalAt(stopped, 2)).eval_loss];
    expect(lossStopped).toBeGreaterThan((lossA + lossB) / 2); // the rule's own condition, on the real losses
    expect(stopped.stopReason).toMatch(/^stopped early: eval loss \S+ at step 2 is worse than the median \S+ of 2 other runs of the sweep at that step$/);
    expect(trainOutput).toContain(`Run ${stopped.id} (lr=1e-6): ${stopped.stopReason}`);
    const events = await registry.events(stopped.id);
    expect(events.filter((e) => e.type === 'checkpoint')).not.toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', state: 'cancelled' });
    expect(stopped.step).toBeLessThan(8);
  });

  it('ranks the completed runs by the eval loss each really reached and marks the best', async () => {
    const completed = runs.filter((run) => run.state === 'completed');
    const losses = await Promise.all(completed.map(async (run) => (await registry.events(run.id)).filter((e) => e.type === 'eval').at(-1)!));
    const real = completed.map((run, i) => ({ id: run.id, loss: (losses[i] as { eval_loss: number }).eval_loss }));
    const expectedOrder = [...[...real].sort((a, b) => a.loss - b.loss).map((r) => r.id), runs[2].id];
    // The learning rates are far apart: the runs really differ.
    expect(new Set(real.map((r) => r.loss.toFixed(4))).size).toBe(2);

    expect(await cli(['sweeps', 'last', '--json'])).toBe(0);
    const ranked = JSON.parse(out.join('\n'));
    expect(ranked.runs.map((r: { runId: string }) => r.runId)).toEqual(expectedOrder);
    expect(ranked.runs.map((r: { rank: number }) => r.rank)).toEqual([1, 2, null]);
    expect(ranked.runs.map((r: { best: boolean }) => r.best)).toEqual([true, false, false]);
    expect(ranked.sweep).toMatchObject({ name: 'lr', ended: 3, completed: 2, finished: true, best: { runId: expectedOrder[0] } });
    expect(ranked.runs[0].value).toBeCloseTo(real.find((r) => r.id === expectedOrder[0])!.loss, 10);

    expect(await cli(['sweeps', 'last'])).toBe(0);
    const lines = out.join('\n').split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Sweep ${runs[0].sweep!.id} "lr": 3/3 done, best: lr=\\S+ eval \\S+ \\(ranked by eval_loss, lower is better\\)$`));
    expect(lines[1]).toMatch(/^\s+RANK\s+RUN\s+STATE\s+PARAMETERS\s+EVAL_LOSS$/);
    expect(lines.find((line) => line.includes(expectedOrder[0]))).toMatch(/^\s+★\s/);
    expect(lines.find((line) => line.includes(runs[2].id))).toMatch(/^\s+-\s+\S+\s+stopped early\s+lr=1e-6\s/);

    expect(await cli(['sweeps'])).toBe(0);
    expect(out[0]).toMatch(/^SWEEP\s+NAME\s+DONE\s+METRIC\s+BEST$/);
    expect(out[1]).toMatch(new RegExp(`^${runs[0].sweep!.id}\\s+lr\\s+3/3\\s+eval_loss\\s+lr=`));
  });
});
