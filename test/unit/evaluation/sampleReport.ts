// An evaluation report as the trainer writes it (the shape is checked by EvalReport in every test that uses it).
import { EvalReport } from '../../../src/contracts/evalReport';

const scores = (answer: string, f1: number | null, exact = false, json: boolean | null = null) => ({
  exact_match: f1 === null ? null : exact ? 1 : 0,
  token_f1: f1,
  rouge_l: f1,
  valid_json: json,
  length: answer.split(/\s+/).filter(Boolean).length,
});

export function sampleReport(overrides: Partial<EvalReport> = {}): EvalReport {
  const items = [
    { prompt: 'What is 2 plus 3?', system: 'You add numbers.', reference: '2 plus 3 is 5.', base: 'I like turtles.', adapter: '2 plus 3 is 5.' },
    { prompt: 'Give the sum as JSON: 1 plus 1', system: null, reference: '{"sum": 2}', base: 'sum two', adapter: '{"sum": 2}' },
    { prompt: 'Say hello.', system: null, reference: null, base: 'Hello there, friend.', adapter: 'hello' },
  ];
  return EvalReport.parse({
    v: 1,
    run_id: '20260101-120000-abcdef',
    created_at: '2026-01-01T12:00:00Z',
    base_model: '/models/tiny',
    adapter_path: '/runs/20260101-120000-abcdef/adapter',
    validation: { file: '/data/val.jsonl', examples: 8, tokens: 240 },
    base: { loss: Math.log(559.08), perplexity: 559.08 },
    adapter: { loss: Math.log(23.94), perplexity: 23.94 },
    retention: { file: 'retention.jsonl', examples: 42, tokens: 1800, base: 591.8, adapter: 568.76, increase_pct: -3.893 },
    prompts: {
      source: 'validation',
      count: 3,
      with_reference: 2,
      max_new_tokens: 64,
      seed: 0,
      items: [
        { ...items[0], base_scores: scores(items[0].base, 0), adapter_scores: scores(items[0].adapter, 1, true) },
        { ...items[1], base_scores: scores(items[1].base, 0.5, false, false), adapter_scores: scores(items[1].adapter, 1, true, true) },
        { ...items[2], base_scores: scores(items[2].base, null), adapter_scores: scores(items[2].adapter, null) },
      ],
    },
    metrics: {
      exact_match: { base: 0, adapter: 1 },
      token_f1: { base: 0.25, adapter: 1 },
      rouge_l: { base: 0.25, adapter: 1 },
      valid_json_rate: { base: 0, adapter: 1 },
      answer_length: { base: 3, adapter: 2.67 },
    },
    gates: [
      {
        name: 'adapterBeatsBaseOnValPerplexity',
        passed: true,
        values: { base: 559.08, adapter: 23.94 },
        detail: 'adapter validation perplexity 23.940 < base 559.080',
      },
      {
        name: 'maxRetentionIncreasePct',
        passed: true,
        values: { base: 591.8, adapter: 568.76, increase_pct: -3.893, max: 10 },
        detail: 'general-text perplexity change (%) -3.89 <= 10.00',
      },
    ],
    passed: true,
    wall_s: 7.2,
    ...overrides,
  });
}

/** The same report with the retention gate failed. */
export function failingReport(): EvalReport {
  const report = sampleReport();
  return EvalReport.parse({
    ...report,
    retention: { ...report.retention, adapter: 710.2, increase_pct: 20.01 },
    gates: [
      report.gates[0],
      {
        name: 'maxRetentionIncreasePct',
        passed: false,
        values: { base: 591.8, adapter: 710.2, increase_pct: 20.01, max: 10 },
        detail: 'general-text perplexity change (%) 20.01 > 10.00',
      },
    ],
    passed: false,
  });
}
