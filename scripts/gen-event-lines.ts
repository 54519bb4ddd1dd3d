// Writes protocol/golden/event-lines.json: events of every type, edge cases included (rounding ties, unknown
// values, resumed plans, errors with and without a file), each with the line the CLI and the monitor show for
// it (src/core/runs/formatEvent.ts). The trainer's trainer.log formatter is tested against the same table
// (python/tests/test_event_lines.py), so both write one format.
//   npx tsx scripts/gen-event-lines.ts   (only when the line format changes on purpose)
//   npx tsx scripts/gen-event-lines.ts --check   (exit 1 when the table is not what this script writes; a unit test runs it)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RunEvent } from '../src/contracts/events';
import { formatEvent } from '../src/core/runs/formatEvent';

let seq = 0;
const at = () => ({ v: 1, seq: ++seq, ts: '2026-01-01T10:00:00.000Z' });
const summary = {
  steps: 120,
  total_tokens: 491520,
  wall_s: 12.25,
  tokens_per_s: 2410.5,
  mfu: 0.41,
  peak_mem_gb: 3.2,
  final_loss: 0.03125,
  final_eval_loss: 1.125,
};

const cases: unknown[] = [
  { ...at(), type: 'stage', name: 'training' },
  {
    ...at(),
    type: 'plan',
    total_steps: 120,
    epochs: 2,
    train_examples: 480,
    eval_examples: 20,
    train_tokens: 245760,
    dropped_examples: 0,
    truncated_examples: 3,
    trainable_params: 1000,
    total_params: 100000,
    token_efficiency: 0.91,
    device: 'cuda:0',
    precision: 'bf16',
  },
  {
    ...at(),
    type: 'plan',
    total_steps: 120,
    epochs: 2,
    train_examples: 480,
    eval_examples: 0,
    train_tokens: 245760,
    dropped_examples: 0,
    truncated_examples: 0,
    trainable_params: 1000,
    total_params: 100000,
    token_efficiency: 1,
    device: 'cpu',
    precision: 'fp32',
    resumed_from_step: 40,
  },
  {
    ...at(),
    type: 'metrics',
    step: 7,
    total_steps: 120,
    epoch: 0.1,
    loss: 1.23456789,
    learning_rate: 0.0002,
    grad_norm: 0.5,
    tokens_per_s: 2350.5,
    samples_per_s: 4,
    tokens_seen: 14336,
  },
  // A tie on the exact value (0.03125, 2.5): JavaScript rounds away from zero.
  { ...at(), type: 'metrics', step: 8, epoch: 0.1, loss: 0.03125, learning_rate: 1.5, grad_norm: null, tokens_per_s: 2.5, samples_per_s: 0 },
  { ...at(), type: 'metrics', step: 9, total_steps: 120, epoch: 0.1, loss: 12, learning_rate: 3e-5, tokens_per_s: 0.49, samples_per_s: 0, reward_margin: 0.2 },
  { ...at(), type: 'eval', step: 10, eval_loss: 1.98765, perplexity: 1.125 },
  { ...at(), type: 'checkpoint', step: 10, path: '/runs/r1/checkpoints/checkpoint-10' },
  { ...at(), type: 'log', level: 'warning', message: 'tokenizer has no pad token; using eos' },
  {
    ...at(),
    type: 'error',
    kind: 'data',
    message: 'line 5 is not valid JSON',
    hint: 'Fix the line, or run brightrun validate.',
    file: '/data/train.jsonl',
    line: 5,
  },
  { ...at(), type: 'error', kind: 'oom', message: 'CUDA out of memory', hint: 'Lower batchSize to 2.' },
  { ...at(), type: 'error', kind: 'exception', message: 'ValueError: bad', file: '/data/train.jsonl' },
  { ...at(), type: 'done', state: 'completed', adapter: '/runs/r1/adapter', summary },
  { ...at(), type: 'done', state: 'failed', adapter: null, summary: { steps: 0, total_tokens: 0, wall_s: 0, tokens_per_s: 0, final_loss: null } },
  // Preference runs: DPO's metrics, ORPO's (with the odds-ratio term), and an eval with held-out preference figures.
  {
    ...at(),
    type: 'metrics',
    step: 11,
    total_steps: 120,
    epoch: 0.1,
    loss: 0.6931,
    learning_rate: 0.0005,
    tokens_per_s: 812.25,
    samples_per_s: 2,
    logps_chosen: -40.5,
    logps_rejected: -42.25,
    reward_chosen: 0.125,
    reward_rejected: -0.0625,
    reward_margin: 0.1875,
    preference_accuracy: 0.75,
  },
  {
    ...at(),
    type: 'metrics',
    step: 12,
    total_steps: 120,
    epoch: 0.1,
    loss: 1.5,
    learning_rate: 0.0005,
    tokens_per_s: 640,
    samples_per_s: 2,
    reward_chosen: -0.25,
    reward_rejected: -0.5,
    reward_margin: 0.25,
    preference_accuracy: 0.625,
    log_odds_ratio: 0.5,
    or_loss: 0.375,
  },
  { ...at(), type: 'eval', step: 12, eval_loss: 0.625, perplexity: 1.868, preference_accuracy: 0.875, reward_margin: 0.3125 },
  {
    ...at(),
    type: 'attempt',
    number: 2,
    reason: 'oom',
    message: 'Out of memory at micro-batch 4: restarted with half the micro-batch and twice the gradient accumulation.',
    from_step: 4,
    changes: [
      { setting: 'batch_size', from: 4, to: 2 },
      { setting: 'grad_accum', from: 1, to: 2 },
    ],
  },
  { ...at(), type: 'attempt', number: 3, reason: 'host_lost', message: 'The host went away; resumed once it was reachable again.', from_step: 0, changes: [] },
  // Experiment trackers: a folder with the command that opens it, a web page, and a path that needs quoting.
  {
    ...at(),
    type: 'tracker',
    tracker: 'tensorboard',
    location: '/runs/r1/tensorboard',
    command: 'tensorboard --logdir /runs/r1/tensorboard',
  },
  { ...at(), type: 'tracker', tracker: 'mlflow', location: 'http://127.0.0.1:5000/#/experiments/1/runs/0a1b2c', run_id: '0a1b2c' },
  {
    ...at(),
    type: 'tracker',
    tracker: 'wandb',
    location: "/home/me/runs/it's here/wandb/offline-run-20260101_100000-x1",
    run_id: 'x1',
    command: "wandb sync '/home/me/runs/it'\"'\"'s here/wandb/offline-run-20260101_100000-x1'",
  },
];

// A JSON array, one case per line (not .jsonl: every .jsonl there is an events file).
const rows = cases.map((raw) => '  ' + JSON.stringify({ event: raw, line: formatEvent(RunEvent.parse(raw)) }));
const out = resolve(import.meta.dirname, '..', 'protocol', 'golden', 'event-lines.json');
const table = '[\n' + rows.join(',\n') + '\n]\n';
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== table) {
    console.error(`${out} is not what scripts/gen-event-lines.ts writes: add the case to the script and run it, never edit the table by hand.`);
    process.exit(1);
  }
} else {
  writeFileSync(out, table);
  console.log(`wrote ${rows.length} events and their lines to ${out}`);
}
