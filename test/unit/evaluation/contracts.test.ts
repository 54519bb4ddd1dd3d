// The evaluation contracts: gates in the run config (defaults, resolution into config.json, typos refused), the
// trainer's output read into a report or a clear failure, and the scorecard's numbers.
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { resolveConfig } from '../../../src/core/config/resolveConfig';
import { EvaluationError, evaluateArgs, parseEvalReportText, parseEvaluateOutput } from '../../../src/core/evaluation/runEvaluation';
import { betterSide, formatChange, formatScore, scorecardRows } from '../../../src/shared/scorecard';
import { failingReport, sampleReport } from './sampleReport';

const minimal = { datasets: { train: 'train.jsonl' }, baseModel: 'm' };
const paths = { runId: '20260101-120000-abcdef', trainPathOnHost: '/d/t.jsonl', validationPathOnHost: '/d/v.jsonl' };
const event = (seq: number, rest: Record<string, unknown>) => JSON.stringify({ v: 1, seq, ts: '2026-01-01T00:00:00Z', ...rest });

describe('quality gates in the run config', () => {
  it('are on by default with the documented thresholds and reach config.json', () => {
    const result = validateRunConfig(minimal);
    if (!result.ok) throw new Error('invalid');
    expect(result.config.evaluate).toBe(true);
    expect(result.config.gates).toMatchObject({ adapterBeatsBaseOnValPerplexity: true, maxRetentionIncreasePct: 10, minTokenF1: null });
    const trainer = resolveConfig(result.config, paths);
    expect(trainer.evaluation).toEqual({ enabled: true, max_prompts: 16, max_new_tokens: 64, gates: result.config.gates });
  });

  it('can be changed one at a time, and evaluate: false turns the report off', () => {
    const result = validateRunConfig({ ...minimal, evaluate: false, gates: { minTokenF1: 0.5, maxRetentionIncreasePct: null } });
    if (!result.ok) throw new Error('invalid');
    const trainer = resolveConfig(result.config, paths);
    expect(trainer.evaluation?.enabled).toBe(false);
    expect(trainer.evaluation?.gates).toMatchObject({ minTokenF1: 0.5, maxRetentionIncreasePct: null, adapterBeatsBaseOnValPerplexity: true });
  });

  it('refuses an unknown gate and a share above 1, with their paths', () => {
    const result = validateRunConfig({ ...minimal, gates: { minAccuracy: 0.5, minExactMatch: 2 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path).sort()).toEqual(['$.gates.minAccuracy', '$.gates.minExactMatch']);
  });
});

describe("reading the trainer's evaluate output", () => {
  it('takes the report line among the events', () => {
    const stdout = [
      event(1, { type: 'stage', name: 'evaluating' }),
      JSON.stringify(sampleReport()),
      event(2, { type: 'done', state: 'completed', adapter: '/a', summary: { steps: 0, total_tokens: 0, wall_s: 1, tokens_per_s: 0 } }),
    ].join('\n');
    expect(parseEvaluateOutput(stdout).adapter.perplexity).toBe(23.94);
  });

  it('fails with the error event and its hint, else with the last lines printed', () => {
    const failed = [event(1, { type: 'error', kind: 'oom', message: 'CUDA out of memory.', hint: 'Try --max-new-tokens 32.' }), 'Traceback'].join('\n');
    expect(() => parseEvaluateOutput(failed)).toThrow('CUDA out of memory. Try --max-new-tokens 32.');
    expect(() => parseEvaluateOutput('', '/usr/bin/python: No module named brightrun_trainer')).toThrow(/No module named brightrun_trainer/);
    expect(() => parseEvaluateOutput('')).toThrow(EvaluationError);
  });

  it('rejects a report that does not match the schema, naming the field', () => {
    expect(() => parseEvaluateOutput(JSON.stringify({ ...sampleReport(), gates: [{ name: 'x' }] }))).toThrow(/does not match its schema/);
    expect(() => parseEvalReportText('{"v": 1}', '/r/eval.json')).toThrow(/\/r\/eval\.json is not an evaluation report: run_id/);
    expect(() => parseEvalReportText('{oops', '/r/eval.json')).toThrow(/not valid JSON/);
  });

  it('passes the prompt set and bounds to the trainer only when given', () => {
    expect(evaluateArgs('/w/runs/r', undefined, {})).toEqual(['evaluate', '--run-dir', '/w/runs/r']);
    expect(evaluateArgs('/w/runs/r', '/w/runs/r/eval-prompts.jsonl', { maxPrompts: 4, maxNewTokens: 16 })).toEqual([
      'evaluate',
      '--run-dir',
      '/w/runs/r',
      '--prompts',
      '/w/runs/r/eval-prompts.jsonl',
      '--max-prompts',
      '4',
      '--max-new-tokens',
      '16',
    ]);
  });
});

describe('scorecard', () => {
  it('lists the numbers a report has, with the better side', () => {
    const rows = scorecardRows(failingReport());
    expect(rows.map((r) => r.key)).toEqual([
      'val_perplexity',
      'retention_perplexity',
      'exact_match',
      'token_f1',
      'rouge_l',
      'valid_json_rate',
      'answer_length',
    ]);
    expect(rows.map(betterSide)).toEqual(['adapter', 'base', 'adapter', 'adapter', 'adapter', 'adapter', null]);
    expect(rows.map(formatChange)).toEqual(['-95.7%', '+20.0%', '+100.0 pts', '+75.0 pts', '+75.0 pts', '+100.0 pts', '-11.0%']);
  });

  it('leaves out metrics nobody could measure and the validation row without a validation set', () => {
    const report = sampleReport({ validation: null, base: { loss: null, perplexity: null }, adapter: { loss: null, perplexity: null } });
    const none = { base: null, adapter: null };
    const rows = scorecardRows({ ...report, metrics: { ...report.metrics, valid_json_rate: none, exact_match: none } });
    expect(rows.map((r) => r.key)).toEqual(['retention_perplexity', 'token_f1', 'rouge_l', 'answer_length']);
    expect(formatScore(null, 'number')).toBe('n/a');
    expect(formatScore(12345.6, 'number')).toBe('12,346');
  });
});
