// `brightrun sweeps` on a stored run list (no trainer): the list of sweeps, one sweep ranked with the best starred
// (text and JSON), naming a sweep by a prefix or `last`, and the usage errors; `brightrun train --dry-run` of a
// config with a sweep lists the runs it would launch, and a sweep the config cannot serve launches nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/dispatch';
import type { SweepMembership } from '../../../src/core/sweeps/sweepMembership';
import { emptyProgress } from '../../../src/core/runs/runProgress';

let out: string[];
let err: string[];
let home: string;

function record(id: string, state: string, evalLoss: number | null, sweep: SweepMembership | null) {
  return {
    v: 1,
    id,
    host: 'local',
    runDir: `/w/runs/${id}`,
    createdAt: `2026-12-03T10:${id.slice(-2)}:00.000Z`,
    configFile: null,
    config: {
      name: sweep ? `${sweep.name} lr=${sweep.parameters.learningRate}` : 'solo',
      baseModel: 'tiny',
      preset: 'balanced',
      trainFile: 't.jsonl',
      validationFile: null,
      epochs: 1,
      maxSteps: 4,
      learningRate: 1e-4,
      loraR: 8,
      loraAlpha: 16,
      batchSize: 2,
      gradAccum: 1,
      maxSeqLen: 64,
      packing: false,
    },
    budgetUsd: null,
    attempts: [{ startedAt: '2026-12-03T10:00:00.000Z', endedAt: state === 'running' ? null : '2026-12-03T10:01:00.000Z' }],
    state,
    exitReason: null,
    stopReason: state === 'cancelled' ? 'stopped early: eval loss 3 at step 2 is worse than the median 2 of 2 other runs of the sweep at that step' : null,
    progress: { ...emptyProgress(), evalLoss, step: 4, totalSteps: 4, lastSeq: 9, clock: { first: null, last: null } },
    sweep,
  };
}

const member = (id: string, index: number, learningRate: number): SweepMembership => ({
  id,
  name: 'lr',
  index,
  size: 3,
  parameters: { learningRate },
  metric: 'eval_loss',
  goal: 'min',
  earlyStop: null,
});

beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  home = mkdtempSync(join(tmpdir(), 'cli-sweeps-'));
  vi.stubEnv('BRIGHTRUN_HOME', home);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function storeRuns(records: unknown[]) {
  mkdirSync(join(home, 'state'), { recursive: true });
  writeFileSync(join(home, 'state', 'runs.json'), JSON.stringify({ v: 1, runs: records }));
}

const OLD = 'sweep-20261201-090000-aaaaaa';
const NEW = 'sweep-20261203-100000-bbbbbb';

describe('brightrun sweeps', () => {
  beforeEach(() =>
    storeRuns([
      record('20261203-100000-000001', 'completed', 2.5, member(NEW, 0, 1e-4)),
      record('20261203-100100-000002', 'completed', 2.1, member(NEW, 1, 3e-4)),
      record('20261203-100200-000003', 'cancelled', 3.0, member(NEW, 2, 1e-3)),
      record('20261201-090000-000004', 'completed', 1.5, { ...member(OLD, 0, 2e-4), size: 1 }),
      record('20261203-110000-000005', 'completed', 1.0, null),
    ]),
  );

  it('lists the sweeps newest first with their progress and best run', async () => {
    expect(await runCli(['sweeps'])).toBe(0);
    expect(out).toEqual([
      'SWEEP                         NAME  DONE  METRIC     BEST',
      `${NEW}  lr    3/3   eval_loss  lr=3e-4 2.1`,
      `${OLD}  lr    1/1   eval_loss  lr=2e-4 1.5`,
    ]);
  });

  it("ranks one sweep's runs, the best starred and the stopped one last, named by a prefix or last", async () => {
    expect(await runCli(['sweeps', 'last'])).toBe(0);
    const text = out;
    out = [];
    expect(await runCli(['sweeps', '20261203'])).toBe(0);
    expect(out).toEqual(text);
    expect(text).toEqual([
      `Sweep ${NEW} "lr": 3/3 done, best: lr=3e-4 eval 2.1 (ranked by eval_loss, lower is better)`,
      '  RANK  RUN                     STATE          PARAMETERS  EVAL_LOSS',
      '  ★     20261203-100100-000002  completed      lr=3e-4     2.1',
      '  2     20261203-100000-000001  completed      lr=1e-4     2.5',
      '  -     20261203-100200-000003  stopped early  lr=1e-3     3',
      `Best: 20261203-100100-000002 (lr=3e-4), eval_loss 2.1`,
    ]);
  });

  it('prints the ranking as JSON', async () => {
    expect(await runCli(['sweeps', NEW, '--json'])).toBe(0);
    const ranked = JSON.parse(out.join('\n'));
    expect(ranked.sweep).toMatchObject({
      id: NEW,
      name: 'lr',
      size: 3,
      ended: 3,
      completed: 2,
      finished: true,
      best: { runId: '20261203-100100-000002', value: 2.1 },
    });
    expect(ranked.runs.map((r: { runId: string; rank: number | null; best: boolean }) => [r.runId.slice(-1), r.rank, r.best])).toEqual([
      ['2', 1, true],
      ['1', 2, false],
      ['3', null, false],
    ]);
  });

  it('refuses an unknown or ambiguous sweep, and --follow without one', async () => {
    expect(await runCli(['sweeps', 'sweep-2027'])).toBe(2);
    expect(err.join('\n')).toContain("no sweep 'sweep-2027' (see `brightrun sweeps`)");
    expect(await runCli(['sweeps', 'sweep-2026'])).toBe(2);
    expect(err.join('\n')).toContain(`'sweep-2026' matches 2 sweeps: ${OLD}, ${NEW}`);
    expect(await runCli(['sweeps', '--follow'])).toBe(2);
    expect(err.join('\n')).toContain('name the sweep to follow');
  });
});

describe('brightrun train with a sweep, before launching', () => {
  function writeConfig(sweep: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'cli-sweep-config-'));
    writeFileSync(join(dir, 'train.jsonl'), '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n');
    const path = join(dir, 'tune.brightrun.json');
    writeFileSync(path, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', sweep }));
    return path;
  }

  it('--dry-run lists the runs the sweep would launch', async () => {
    expect(await runCli(['train', writeConfig({ parameters: { learningRate: [1e-4, 2e-4], loraR: [8, 16] } }), '--dry-run'])).toBe(0);
    expect(out.slice(-5)).toEqual([
      'The sweep would launch 4 run(s):',
      '  1. tune lr=1e-4 r=8',
      '  2. tune lr=1e-4 r=16',
      '  3. tune lr=2e-4 r=8',
      '  4. tune lr=2e-4 r=16',
    ]);
  });

  it('launches nothing for a grid larger than maxRuns, saying the grid size', async () => {
    expect(await runCli(['train', writeConfig({ maxRuns: 2, parameters: { loraR: [4, 8, 16] } })])).toBe(2);
    expect(err.join('\n')).toContain('$.sweep.maxRuns: the grid has 3 combinations (3 loraR values), more than "maxRuns": 2');
  });
});
