// `brightrun spend` over real run records: runs launched through the CLI on the stub trainer (one priced and in a
// project, one without price or project), reported as text and as JSON, the JSON piped into another program the
// way scripts read it, and bad input refused with exit 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';
import { SpendReport } from '../../../src/contracts/spend';
import { stubPython } from '../runs/helpers/stubHost';
import { builtCli, requireBuiltCli } from './builtCli';

const chat = JSON.stringify({
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello there' },
  ],
});

let root: string;
let home: string;
const python = stubPython();

/** Runs the CLI in this process; returns its exit code and what it printed. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.stubEnv('BRIGHTRUN_HOME', home);
  vi.stubEnv('BRIGHTRUN_PYTHON', python);
  vi.stubEnv('BRIGHTRUN_MONTHLY_BUDGET_USD', '');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  try {
    return { code: await runCli(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    vi.unstubAllEnvs();
  }
}

function config(name: string, fields: Record<string, unknown>): string {
  const file = join(root, `${name}.brightrun.json`);
  writeFileSync(file, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: 'tiny-test', name, ...fields }));
  return file;
}

interface IndexedRun {
  id: string;
  pricePerGpuHour: number | null;
  attempts: { startedAt: string; endedAt: string | null }[];
  config: { name: string | null; project: string | null };
}

/** The runs as the index on disk records them: the figures below are computed from these by hand. */
function indexedRuns(): IndexedRun[] {
  return (JSON.parse(readFileSync(join(home, 'state', 'runs.json'), 'utf8')) as { runs: IndexedRun[] }).runs;
}

function hours(run: IndexedRun): number {
  return run.attempts.reduce((sum, a) => sum + (Date.parse(a.endedAt!) - Date.parse(a.startedAt)) / 3_600_000, 0);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'spend-cli-'));
  home = join(root, 'home');
  writeFileSync(join(root, 'train.jsonl'), `${chat}\n${chat.replace('hi', 'hey')}\n`);
  expect((await cli(['train', config('priced', { project: 'support-bot', pricePerGpuHour: 3 }), '--follow'])).code).toBe(0);
  expect((await cli(['train', config('unpriced', {}), '--follow'])).code).toBe(0);
}, 60_000);

afterAll(() => vi.restoreAllMocks());

describe('brightrun spend', { timeout: 60_000 }, () => {
  it('reports the month as JSON: every run at its launch price, the unpriced one in GPU-hours only', async () => {
    const { code, out } = await cli(['spend', '--json', '--budget', '100']);
    expect(code).toBe(0);
    const report = SpendReport.parse(JSON.parse(out));
    const runs = indexedRuns();
    const priced = runs.find((r) => r.config.name === 'priced')!;
    const unpriced = runs.find((r) => r.config.name === 'unpriced')!;
    expect(priced.config.project).toBe('support-bot');
    expect(unpriced.pricePerGpuHour).toBeNull();

    const row = (id: string) => report.runs.find((r) => r.id === id)!;
    expect(row(priced.id)).toMatchObject({ project: 'support-bot', pricePerGpuHour: 3, unpricedGpuHours: 0 });
    expect(row(priced.id).costUsd).toBeCloseTo(hours(priced) * 3, 12);
    expect(row(unpriced.id)).toMatchObject({ project: null, pricePerGpuHour: null, costUsd: 0 });
    expect(row(unpriced.id).unpricedGpuHours).toBeCloseTo(hours(unpriced), 12);

    expect(report.total.costUsd).toBeCloseTo(hours(priced) * 3, 12);
    expect(report.total.gpuHours).toBeCloseTo(hours(priced) + hours(unpriced), 12);
    expect(report.projects.map((p) => [p.project, p.runs])).toEqual([
      ['support-bot', 1],
      [null, 1],
    ]);
    expect(report.hosts.map((h) => [h.host, h.runs])).toEqual([['local', 2]]);
    expect(report.budget).toMatchObject({ budgetUsd: 100, level: 'ok' });

    // The same cost as the run list shows for the run.
    const listed = JSON.parse((await cli(['runs', '--json'])).out) as { id: string; costUsd: number | null }[];
    expect(listed.find((r) => r.id === priced.id)!.costUsd).toBeCloseTo(row(priced.id).costUsd, 12);
    expect(listed.find((r) => r.id === unpriced.id)!.costUsd).toBeNull();
  });

  it('prints a table that says which cost is unknown, and warns past the budget (still exit 0)', async () => {
    const { code, out } = await cli(['spend'], { BRIGHTRUN_MONTHLY_BUDGET_USD: '0.0000001' });
    expect(code).toBe(0);
    expect(out).toMatch(/^Total: \$\d+\.\d+ \+ unknown for \d+\.\d+ GPU-hours$/m);
    expect(out).toMatch(/^Note: .*GPU-hours ran without a price: their cost is unknown/m);
    expect(out).toMatch(/^WARNING: GPU spend for \w+ \d{4} is over the monthly GPU budget/m);
    expect(out).toMatch(/^ {2}support-bot +1 +\$\d/m);
    expect(out).toMatch(/^ {2}\(no project\) +1 +unknown +\d/m);
    expect(out).toMatch(/^ {2}\d{8}-\d{6}-[0-9a-f]{6} +local +\(no project\) +1 +none +unknown +[\d.]+ +unpriced$/m);
  });

  it('reports an empty month, and refuses a bad month or budget with exit 2', async () => {
    const empty = await cli(['spend', '--month', '2020-01']);
    expect(empty.code).toBe(0);
    expect(empty.out).toMatch(/No GPU time recorded in January 2020\./);
    const month = await cli(['spend', '--month', '2026-13']);
    expect([month.code, month.err]).toEqual([2, expect.stringMatching(/month must be YYYY-MM/)]);
    const budget = await cli(['spend'], { BRIGHTRUN_MONTHLY_BUDGET_USD: 'lots' });
    expect([budget.code, budget.err]).toEqual([2, expect.stringMatching(/BRIGHTRUN_MONTHLY_BUDGET_USD must be a number of USD/)]);
    expect((await cli(['spend', '--budget', '-5'])).code).toBe(2);
  });
});

describe('the built CLI in a pipeline', () => {
  beforeAll(requireBuiltCli);

  it('pipes `spend --json` into another program, which reads the month and each project', () => {
    const reader = `node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.month, r.budget.level, r.projects.map((p) => (p.project ?? "-") + ":" + p.runs).join(","))'`;
    const script = `"${process.execPath}" "${builtCli}" spend --json --budget 50 | ${reader}; echo "exit \${PIPESTATUS[0]} \${PIPESTATUS[1]}"`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, BRIGHTRUN_HOME: home } });
    const month = new Date().toISOString().slice(0, 7);
    expect(result.stdout.trim().split('\n')).toEqual([`${month} ok support-bot:1,-:1`, 'exit 0 0']);
  }, 60_000);
});
