// A stand-in for `python -m brightrun_trainer train` in unit tests of the run engine (the integration tests
// run the real trainer). It speaks the same files: events.jsonl with continuing seq, status.json, checkpoints/,
// SIGTERM -> checkpoint + done/cancelled. Behaviour is chosen with STUB_SCENARIO: complete | crash | hang.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runDir = args[args.indexOf('--run-dir') + 1];

// `evaluate`: prints the report in STUB_EVAL_REPORT (a file) as the trainer would, and leaves it beside the
// adapter; STUB_EVAL_FAIL makes it report an error event instead. The arguments it got go to evaluate-args.json.
if (args.includes('evaluate')) {
  writeFileSync(join(runDir, 'evaluate-args.json'), JSON.stringify(args));
  const line = (type, fields) => process.stdout.write(JSON.stringify({ v: 1, seq: 1, ts: new Date().toISOString(), type, ...fields }) + '\n');
  if (process.env.STUB_EVAL_FAIL) {
    line('error', { kind: 'data', message: process.env.STUB_EVAL_FAIL, hint: 'Fix the prompt set.' });
    process.exit(1);
  }
  const report = readFileSync(process.env.STUB_EVAL_REPORT, 'utf8');
  mkdirSync(join(runDir, 'adapter'), { recursive: true });
  writeFileSync(join(runDir, 'adapter', 'eval.json'), report);
  line('stage', { name: 'evaluating' });
  process.stdout.write(JSON.stringify(JSON.parse(report)) + '\n');
  process.exit(0);
}
const resume = args.includes('--resume');
const scenario = process.env.STUB_SCENARIO ?? 'complete';
const stepMs = Number(process.env.STUB_STEP_MS ?? 20);
const totalSteps = Number(process.env.STUB_TOTAL_STEPS ?? 5);
const eventsPath = join(runDir, 'events.jsonl');

let seq = 0;
if (existsSync(eventsPath)) {
  for (const line of readFileSync(eventsPath, 'utf8').split('\n')) {
    try {
      seq = Math.max(seq, JSON.parse(line).seq);
    } catch {
      /* a torn last line: the next event overwrites nothing */
    }
  }
}
const emit = (type, fields) => appendFileSync(eventsPath, JSON.stringify({ v: 1, seq: ++seq, ts: new Date().toISOString(), type, ...fields }) + '\n');
const status = (state, step, reason = null) => {
  const tmp = join(runDir, 'status.json.tmp');
  writeFileSync(
    tmp,
    JSON.stringify({ state, pid: process.pid, pgid: process.pid, step, total_steps: totalSteps, updated_at: new Date().toISOString(), exit_reason: reason }),
  );
  renameSync(tmp, join(runDir, 'status.json'));
};
const summary = (steps) => ({ steps, total_tokens: steps * 100, wall_s: 0.1, tokens_per_s: 1000, final_loss: 1, final_eval_loss: 1.1 });

// STUB_QUEUED_MS: first wait that long in a queue (status `starting` with `queue`), as a queued run does.
const queuedMs = Number(process.env.STUB_QUEUED_MS ?? 0);
if (queuedMs > 0) {
  const tmp = join(runDir, 'status.json.tmp');
  const queue = { reason: 'waiting for a run to end (1 of 1 running on this host)', position: 1, expected_start: null };
  const waiting = {
    state: 'starting',
    pid: process.pid,
    pgid: process.pid,
    step: 0,
    total_steps: null,
    updated_at: new Date().toISOString(),
    exit_reason: null,
    queue,
  };
  writeFileSync(tmp, JSON.stringify(waiting));
  renameSync(tmp, join(runDir, 'status.json'));
  await new Promise((resolve) => setTimeout(resolve, queuedMs));
}

let step = 0;
if (resume) {
  const dir = join(runDir, 'checkpoints');
  step = Math.max(...readdirSync(dir).map((n) => Number(n.split('-')[1])));
}
status('running', step);
emit('stage', { name: 'training' });
emit('plan', {
  total_steps: totalSteps,
  epochs: 1,
  train_examples: 10,
  eval_examples: 2,
  train_tokens: 1000,
  dropped_examples: 0,
  truncated_examples: 0,
  trainable_params: 10,
  total_params: 100,
  token_efficiency: 1,
  device: 'cpu',
  precision: 'fp32',
  ...(resume ? { resumed_from_step: step } : {}),
});

const checkpoint = () => {
  const path = join(runDir, 'checkpoints', `checkpoint-${step}`);
  mkdirSync(path, { recursive: true });
  emit('checkpoint', { step, path });
};
process.on('SIGTERM', () => {
  if (process.env.STUB_IGNORE_TERM) return;
  checkpoint();
  emit('done', { state: 'cancelled', adapter: null, summary: summary(step) });
  status('cancelled', step, 'cancelled by the user');
  process.exit(0);
});

const timer = setInterval(() => {
  // 'hang' stalls one step short of the end, waiting to be cancelled, however slow the machine is.
  if (scenario === 'hang' && step >= totalSteps - 1) return;
  step += 1;
  emit('metrics', { step, total_steps: totalSteps, epoch: step / totalSteps, loss: 2 / step, learning_rate: 1e-4, tokens_per_s: 1000, samples_per_s: 10 });
  status('running', step);
  if (scenario === 'crash' && step === 2) {
    process.stderr.write('Traceback (most recent call last):\n  File "train.py", line 9, in <module>\nRuntimeError: stub exploded\n');
    process.exit(1);
  }
  if (scenario !== 'hang' && step >= totalSteps) {
    clearInterval(timer);
    checkpoint();
    emit('done', { state: 'completed', adapter: join(runDir, 'adapter'), summary: summary(step) });
    status('completed', step);
  }
}, stepMs);
