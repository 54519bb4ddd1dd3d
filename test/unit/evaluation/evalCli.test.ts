// `brightrun eval`, on a run of the stub trainer whose `evaluate` prints a prepared report: the scorecard, --json,
// exit codes for passed and failed gates, prompt sets, failures, and the copy kept in the run's mirror.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stubPython } from '../runs/helpers/stubHost';
import { failingReport, sampleReport } from './sampleReport';
import type { EvalReport } from '../../../src/contracts/evalReport';

const chat = JSON.stringify({
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello there' },
  ],
});

let out: string[];
let err: string[];
let root: string;
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  root = mkdtempSync(join(tmpdir(), 'cli-eval-'));
  vi.stubEnv('BRIGHTRUN_HOME', join(root, 'home'));
  vi.stubEnv('BRIGHTRUN_PYTHON', stubPython());
  useReport(sampleReport());
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function useReport(report: EvalReport): void {
  const file = join(root, `report-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(report));
  vi.stubEnv('STUB_EVAL_REPORT', file);
}

async function cli(name: string, args: string[]): Promise<number> {
  return runCli([name, ...args]);
}

async function completedRun(): Promise<string> {
  writeFileSync(join(root, 'train.jsonl'), `${chat}\n${chat.replace('hi', 'hey')}\n`);
  const file = join(root, 'run.brightrun.json');
  writeFileSync(file, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: 'tiny-test' }));
  expect(await cli('train', [file, '--follow'])).toBe(0);
  const runsDir = join(root, 'home', 'local', 'runs');
  const [runId] = readdirSync(runsDir);
  out.length = 0;
  err.length = 0;
  return runId;
}

function trainerArgs(runId: string): string[] {
  return JSON.parse(readFileSync(join(root, 'home', 'local', 'runs', runId, 'evaluate-args.json'), 'utf8'));
}

describe('brightrun eval', { timeout: 30_000 }, () => {
  it('prints the scorecard, each gate and where the report is; exit 0 when every gate passes', async () => {
    const runId = await completedRun();
    expect(await cli('eval', ['last'])).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`Evaluation of ${runId} on local: base model /models/tiny against base + adapter`);
    expect(text).toMatch(/^Validation perplexity \(8 examples\) +559\.08 +23\.94 +-95\.7% +adapter better$/m);
    expect(text).toMatch(/^General-text perplexity \(42 paragraphs\) +591\.80 +568\.76 +-3\.9% +adapter better$/m);
    expect(text).toMatch(/^Token F1 +25\.0% +100\.0% +\+75\.0 pts +adapter better$/m);
    expect(text).toMatch(/^Answer length \(words\) +3\.00 +2\.67 +-11\.0%$/m);
    expect(text).toMatch(/^PASS {2}maxRetentionIncreasePct: general-text perplexity change \(%\) -3\.89 <= 10\.00$/m);
    expect(text).toContain('All 2 quality gates passed.');
    expect(trainerArgs(runId).slice(2, 5)).toEqual(['evaluate', '--run-dir', join(root, 'home', 'local', 'runs', runId)]);
    expect(err.join('\n')).toContain(`Evaluating the adapter of ${runId} on local`);
  });

  it('--json prints the report with base, adapter, retention, metrics and gates; a copy stays in the mirror', async () => {
    const runId = await completedRun();
    expect(await cli('eval', ['last', '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.base.perplexity).toBe(559.08);
    expect(report.adapter.perplexity).toBe(23.94);
    expect([report.retention.base, report.retention.adapter]).toEqual([591.8, 568.76]);
    expect(report.metrics.token_f1).toEqual({ base: 0.25, adapter: 1 });
    expect(report.gates.map((g: { name: string; passed: boolean }) => [g.name, g.passed])).toEqual([
      ['adapterBeatsBaseOnValPerplexity', true],
      ['maxRetentionIncreasePct', true],
    ]);
    expect(report.gates[1].values).toEqual({ base: 591.8, adapter: 568.76, increase_pct: -3.893, max: 10 });
    const mirror = join(root, 'home', 'state', 'mirror', runId, 'eval.json');
    expect(JSON.parse(readFileSync(mirror, 'utf8')).base.perplexity).toBe(559.08);
  });

  it('exits 1 and says which gate failed', async () => {
    await completedRun();
    useReport(failingReport());
    expect(await cli('eval', ['last'])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/^FAIL {2}maxRetentionIncreasePct: general-text perplexity change \(%\) 20\.01 > 10\.00$/m);
    expect(text).toContain('1 of 2 quality gates failed: maxRetentionIncreasePct.');
  });

  it('hands a prompt set to the trainer and checks it exists first', async () => {
    const runId = await completedRun();
    expect(await cli('eval', ['last', '--prompts', join(root, 'missing.prompts.jsonl')])).toBe(2);
    expect(err.join('\n')).toMatch(/prompt set .*missing\.prompts\.jsonl does not exist/);
    const prompts = join(root, 'sums.prompts.jsonl');
    writeFileSync(prompts, '{"prompt": "What is 1 plus 1?", "reference": "2"}\n');
    expect(await cli('eval', [runId.slice(0, 12), '--prompts', prompts, '--max-new-tokens', '32', '--json'])).toBe(0);
    expect(trainerArgs(runId).slice(5)).toEqual(['--prompts', prompts, '--max-new-tokens', '32']);
    expect(await cli('eval', ['last', '--max-prompts', 'many'])).toBe(2);
    expect(err.join('\n')).toContain("--max-prompts must be a positive whole number, not 'many'");
  });

  it("reports the trainer's error and exits 1", async () => {
    await completedRun();
    vi.stubEnv('STUB_EVAL_FAIL', 'line 3 of the prompt set has no "prompt"');
    expect(await cli('eval', ['last'])).toBe(1);
    expect(err.join('\n')).toMatch(/evaluation of .* failed: line 3 of the prompt set has no "prompt" Fix the prompt set\./);
  });

  it('refuses a run without an adapter, and a run that does not exist (exit 2)', async () => {
    expect(await cli('eval', ['last'])).toBe(2);
    expect(err.join('\n')).toContain('there are no runs yet');
    vi.stubEnv('STUB_SCENARIO', 'crash');
    writeFileSync(join(root, 'train.jsonl'), `${chat}\n`);
    const file = join(root, 'run.brightrun.json');
    writeFileSync(file, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: 'tiny-test' }));
    expect(await cli('train', [file, '--follow'])).toBe(1);
    err.length = 0;
    expect(await cli('eval', ['last'])).toBe(2);
    expect(err.join('\n')).toMatch(/is failed and has no adapter to evaluate/);
  });
});
