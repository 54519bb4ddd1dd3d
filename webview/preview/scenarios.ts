// Recorded-looking runs for the preview page and the monitor benchmark: event histories shaped like the
// trainer's events.jsonl (noisy decaying loss, warm-up + cosine learning rate, periodic evals and checkpoints),
// every event checked against the real event schema so the preview never shows something the trainer can't send.
import { seededRandom } from '../../scripts/lib/seededRandom.mjs';
import { RunEvent } from '../../src/contracts/events';
import { formatEvent } from '../../src/core/runs/formatEvent';
import type { MonitorRun } from '../../src/shared/monitorProtocol';
import type { CompareRun } from '../../src/shared/compareProtocol';
import type { DatasetEntry, HostEntry, LaunchInit, TemplateEntry } from '../../src/shared/launchProtocol';

export interface RecordedRunOptions {
  steps: number;
  /** Steps written so far (a run still training); default: all, plus the done event. */
  upTo?: number;
  seed?: number;
  learningRate?: number;
  evalEvery?: number;
  gpu?: boolean;
  /** Seconds per step, for timestamps. */
  secondsPerStep?: number;
  start?: Date;
  /** A DPO run: the metrics and evals carry the preference metrics the trainer reports for it. */
  preference?: boolean;
}

/** DPO's preference metrics at `progress` (0..1): rewards part as the adapter learns, accuracy rising from 0.5. */
function dpoMetrics(progress: number, rnd: () => number) {
  const noise = () => (rnd() - 0.5) * 0.08 * (1.2 - progress);
  const chosen = 0.35 * (1 - Math.exp(-progress * 4)) + noise();
  const rejected = -0.9 * (1 - Math.exp(-progress * 3.5)) + noise();
  const accuracy = Math.min(1, 0.5 + 0.45 * (1 - Math.exp(-progress * 5)) + (rnd() - 0.5) * 0.1);
  return {
    reward_chosen: chosen,
    reward_rejected: rejected,
    reward_margin: chosen - rejected,
    preference_accuracy: Math.max(0, accuracy),
    logps_chosen: -38 + chosen * 10,
    logps_rejected: -41 + rejected * 10,
  };
}

export function recordedRun(options: RecordedRunOptions): RunEvent[] {
  const { steps, seed = 1, learningRate = 2e-4, gpu = true, secondsPerStep = 1.6, preference = false } = options;
  const upTo = Math.min(options.upTo ?? steps, steps);
  const evalEvery = options.evalEvery ?? Math.max(1, Math.round(steps / 10));
  const rnd = seededRandom(seed);
  const start = (options.start ?? new Date(Date.UTC(2026, 0, 12, 9, 30, 0))).getTime();
  let seq = 1;
  let clock = start;
  const events: RunEvent[] = [];
  const push = (event: Record<string, unknown>, advanceSeconds = 0) => {
    clock += advanceSeconds * 1000;
    events.push(RunEvent.parse({ v: 1, seq: seq++, ts: new Date(clock).toISOString(), ...event }));
  };
  const trainTokens = steps * 16 * 420;
  push({ type: 'stage', name: 'preparing' });
  push({ type: 'log', level: 'info', message: 'Using device cuda:0 (NVIDIA A100-SXM4-80GB), bf16' }, 1);
  push({ type: 'stage', name: 'loading_model' }, 2);
  push({ type: 'stage', name: 'tokenizing' }, 21);
  push(
    {
      type: 'plan',
      total_steps: steps,
      epochs: 2,
      train_examples: steps * 8,
      eval_examples: 200,
      train_tokens: trainTokens,
      dropped_examples: 0,
      truncated_examples: 3,
      trainable_params: 8_388_608,
      total_params: 1_551_103_488,
      token_efficiency: 0.83,
      device: 'cuda:0',
      precision: 'bf16',
    },
    6,
  );
  push({ type: 'stage', name: 'training' }, 1);
  const warmup = Math.max(1, Math.round(steps * 0.03));
  const speed = 1 + (seed % 3) * 0.15;
  for (let step = 1; step <= upTo; step++) {
    const progress = step / steps;
    const lr = step <= warmup ? (learningRate * step) / warmup : learningRate * 0.5 * (1 + Math.cos(Math.PI * ((step - warmup) / (steps - warmup))));
    const floor = 0.72 + (seed % 3) * 0.05 - (learningRate - 2e-4) * 200;
    // DPO's loss starts at ln 2 (no preference yet) and falls as the margin grows.
    const loss = preference
      ? 0.693 * Math.exp(-progress * 2.2 * speed) + 0.12 + (rnd() - 0.5) * 0.06 * (1.2 - progress)
      : floor + 1.9 * Math.exp(-progress * 6 * speed) + (rnd() - 0.5) * 0.12 * (1.2 - progress);
    push(
      {
        type: 'metrics',
        step,
        total_steps: steps,
        epoch: 2 * progress,
        loss,
        learning_rate: lr,
        grad_norm: 0.4 + 1.6 * Math.exp(-progress * 4) + rnd() * 0.3,
        tokens_per_s: 2350 + rnd() * 180 - (step < 3 ? 900 : 0),
        samples_per_s: 5.6 + rnd() * 0.4,
        tokens_seen: step * 16 * 420,
        ...(gpu ? { gpu_util: 88 + rnd() * 10, gpu_mem_gb: 31.5 + rnd() * 2.5 } : {}),
        ...(preference ? dpoMetrics(progress, rnd) : {}),
      },
      secondsPerStep * (0.9 + rnd() * 0.2),
    );
    if (step % evalEvery === 0 || step === steps) {
      push({ type: 'stage', name: 'evaluating' }, 0.2);
      const evalLoss = preference
        ? 0.693 * Math.exp(-progress * 1.9 * speed) + 0.16 + progress * progress * 0.03
        : floor + 0.08 + 1.9 * Math.exp(-progress * 5.4 * speed) + progress * progress * 0.06;
      const evalPreference = preference
        ? { reward_margin: 0.85 * dpoMetrics(progress, rnd).reward_margin, preference_accuracy: Math.min(1, 0.5 + 0.38 * (1 - Math.exp(-progress * 4))) }
        : {};
      push({ type: 'eval', step, eval_loss: evalLoss, perplexity: Math.exp(evalLoss), ...evalPreference }, 9);
      if (step !== steps) push({ type: 'stage', name: 'training' }, 0.1);
    }
    if (step % (evalEvery * 2) === 0 && step !== steps) {
      push({ type: 'checkpoint', step, path: `checkpoints/checkpoint-${step}` }, 2);
    }
  }
  if (upTo === steps) {
    push({ type: 'stage', name: 'saving' }, 1);
    push({ type: 'log', level: 'info', message: 'Adapter saved to adapter/ (33.6 MB)' }, 4);
    push({ type: 'stage', name: 'done' }, 0.5);
    const lastLoss = [...events].reverse().find((e) => e.type === 'metrics');
    const lastEval = [...events].reverse().find((e) => e.type === 'eval');
    push({
      type: 'done',
      state: 'completed',
      adapter: 'adapter',
      summary: {
        steps,
        total_tokens: trainTokens,
        wall_s: (clock - start) / 1000,
        tokens_per_s: 2410,
        mfu: 0.41,
        peak_mem_gb: 34.2,
        final_loss: lastLoss?.type === 'metrics' ? lastLoss.loss : null,
        final_eval_loss: lastEval?.type === 'eval' ? lastEval.eval_loss : null,
      },
    });
  }
  return events;
}

/** A run that ran out of memory at step 150 and was restarted automatically from its checkpoint at step 120 with
 *  half the micro-batch: the first attempt's events, the oom error and failed done, then the attempt event and the
 *  second attempt's events from step 121 (its curve replaces the first one's after the checkpoint). */
export function recoveredRun(): RunEvent[] {
  const run = recordedRun({ steps: 400, upTo: 236 });
  const stepOf = (e: RunEvent) => (e.type === 'metrics' || e.type === 'eval' || e.type === 'checkpoint' ? e.step : null);
  const failedAt = run.findIndex((e) => stepOf(e) === 150) + 1;
  const plan = run.find((e) => e.type === 'plan');
  const at = run[failedAt - 1].ts;
  const restart = [
    { type: 'error', kind: 'oom', message: 'OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', ts: at },
    { type: 'done', state: 'failed', adapter: null, summary: { steps: 150, total_tokens: 0, wall_s: 0, tokens_per_s: 0 }, ts: at },
    {
      type: 'attempt',
      number: 2,
      reason: 'oom',
      message: 'Attempt 2: ran out of memory at micro-batch 16; restarted with micro-batch 8 and gradient accumulation 2 (the same effective batch of 16).',
      from_step: 120,
      changes: [
        { setting: 'batch_size', from: 16, to: 8 },
        { setting: 'grad_accum', from: 1, to: 2 },
      ],
      ts: at,
    },
    { ...plan, resumed_from_step: 120, ts: at },
  ];
  const second = run.filter((e) => (stepOf(e) ?? 0) > 120 && e.type !== 'checkpoint');
  return [...run.slice(0, failedAt), ...restart, ...second].map((e, i) => RunEvent.parse({ ...e, v: 1, seq: i + 1 }));
}

export function monitorSummary(events: RunEvent[], overrides: Partial<MonitorRun> = {}): MonitorRun {
  const metrics = events.filter((e) => e.type === 'metrics');
  const last = metrics[metrics.length - 1];
  const total = last?.type === 'metrics' ? (last.total_steps ?? null) : null;
  const step = last?.type === 'metrics' ? last.step : 0;
  const done = events.find((e) => e.type === 'done');
  const stages = events.filter((e) => e.type === 'stage');
  const stage = stages[stages.length - 1];
  const elapsed = (Date.parse(events[events.length - 1].ts) - Date.parse(events[0].ts)) / 1000;
  const price = 1.89;
  const soFar = (elapsed / 3600) * price;
  const projected = total !== null && step > 0 ? (soFar * total) / step : null;
  return {
    runId: 'qwen-support-20260112-0930',
    name: 'support-bot · Qwen2.5-1.5B',
    host: 'gpu-box',
    state: done?.type === 'done' ? done.state : 'running',
    stage: stage?.type === 'stage' ? stage.name : null,
    step,
    totalSteps: total,
    startedAt: events[0].ts,
    updatedAt: events[events.length - 1].ts,
    etaSeconds: done ? null : total !== null && step > 0 ? ((total - step) * elapsed) / step : null,
    cost: { soFarUsd: soFar, projectedUsd: done ? soFar : projected, budgetUsd: 1.5, pricePerGpuHour: price },
    exitReason: null,
    canCancel: !done,
    canResume: false,
    ...overrides,
  };
}

/** The end of trainer.log: the trainer writes each event as the line formatEvent gives (the same table checks both). */
export function logTail(events: RunEvent[]): string[] {
  return events.flatMap((e) => formatEvent(e).split('\n')).slice(-60);
}

function trainerConfig(runId: string, r: number, learningRate: number, epochs: number) {
  return {
    v: 1,
    run_id: runId,
    base_model: 'Qwen/Qwen2.5-1.5B-Instruct',
    train_file: 'datasets/3f2a/train.jsonl',
    validation_file: 'datasets/3f2a/val.jsonl',
    validation_split: 0,
    max_seq_len: 2048,
    overlength: 'truncate',
    packing: false,
    lora: { r, alpha: r * 2, dropout: 0.05, target_modules: null },
    quantization: 'none',
    precision: 'bf16',
    gradient_checkpointing: false,
    epochs,
    max_steps: null,
    batch_size: 4,
    grad_accum: 4,
    learning_rate: learningRate,
    lr_scheduler: 'cosine',
    warmup_ratio: 0.03,
    weight_decay: 0,
    max_grad_norm: 1,
    log_every: 1,
    eval_every: 40,
    save_every: 100,
    keep_checkpoints: 2,
    seed: 42,
    num_gpus: 1,
  };
}

export function compareRuns(): CompareRun[] {
  const specs = [
    { id: 'support-r16-lr2e-4', r: 16, lr: 2e-4, seed: 1, cost: 0.61 },
    { id: 'support-r64-lr3e-4', r: 64, lr: 3e-4, seed: 2, cost: 0.78 },
    { id: 'support-r8-lr1e-4', r: 8, lr: 1e-4, seed: 3, cost: 0.52 },
  ];
  return specs.map((s) => ({
    runId: s.id,
    name: null,
    host: s.seed === 3 ? 'local' : 'gpu-box',
    state: 'completed' as const,
    config: trainerConfig(s.id, s.r, s.lr, 2),
    events: recordedRun({ steps: 400, seed: s.seed, learningRate: s.lr }),
    costUsd: s.cost,
  }));
}

const stats = (examples: number, errors: number): DatasetEntry['stats'] => ({
  format: 'openai-chat',
  examples,
  messages: examples * 3,
  tokens: { total: examples * 412, assistant: examples * 180, p50: 380, p95: 910, max: 2310 },
  tokensApproximate: true,
  tokenizer: 'o200k (approximate)',
  maxSeqLen: 2048,
  examplesOverMaxSeqLen: 2,
  paddingWaste: 0.31,
  errors,
  warnings: 4,
  infos: 0,
});

/** A pairs file as the validator summarises it: a pair counts as its longer side (what both are padded to). */
export const preferenceStats = (pairs: number): DatasetEntry['stats'] => ({
  format: 'pairs',
  examples: pairs,
  messages: pairs * 3,
  tokens: { total: pairs * 96, assistant: pairs * 58, p50: 90, p95: 160, max: 230 },
  tokensApproximate: false,
  tokenizer: 'Qwen/Qwen2.5-1.5B-Instruct',
  maxSeqLen: 2048,
  examplesOverMaxSeqLen: 0,
  paddingWaste: 0.22,
  errors: 0,
  warnings: 1,
  infos: 0,
  preference: {
    pairs,
    promptTokens: { p50: 52, p95: 88, max: 120 },
    chosenTokens: { p50: 31, p95: 64, max: 110 },
    rejectedTokens: { p50: 27, p95: 70, max: 96 },
    chosenLongerShare: 0.58,
  },
});

export function launchInit(): LaunchInit {
  const hosts: HostEntry[] = [
    { name: 'local', kind: 'local', detail: 'this machine', pricePerGpuHour: 0, preflight: null },
    {
      name: 'gpu-box',
      kind: 'ssh',
      detail: 'ml@10.0.4.17:22 (~/.ssh/config)',
      pricePerGpuHour: 1.89,
      preflight: {
        ok: true,
        summary: '1 x NVIDIA A100-SXM4-80GB, driver 550.54, CUDA 12.4, 412 GB free',
        checks: [
          { name: 'GPU', status: 'ok', detail: 'NVIDIA A100-SXM4-80GB (80 GB)' },
          { name: 'Python', status: 'ok', detail: 'Python 3.11.9' },
          { name: 'Disk', status: 'warning', detail: '412 GB free in ~/.brightrun (checkpoints need ~2 GB)' },
        ],
        gpus: [{ name: 'NVIDIA A100-SXM4-80GB', memoryGb: 80 }],
        checkedAt: '2026-01-12T09:12:00Z',
      },
    },
  ];
  return {
    type: 'init',
    configPath: null,
    config: {
      datasets: { train: 'data/support-train.jsonl', validation: 'data/support-val.jsonl' },
      baseModel: 'Qwen/Qwen2.5-1.5B-Instruct',
      preset: 'balanced',
      host: 'gpu-box',
      gpus: 1,
      pricePerGpuHour: 1.89,
      budgetUsd: 1.5,
    },
    datasets: [
      { path: 'data/support-train.jsonl', label: 'data/support-train.jsonl', stats: stats(3200, 0) },
      { path: 'data/support-val.jsonl', label: 'data/support-val.jsonl', stats: stats(200, 0) },
      { path: 'data/broken.jsonl', label: 'data/broken.jsonl', stats: stats(57, 6) },
      { path: 'data/prefs-train.jsonl', label: 'data/prefs-train.jsonl', stats: preferenceStats(1200) },
    ],
    hosts,
  };
}

/** A config file with mistakes a person makes, as the form receives it. */
export function brokenConfig(): Record<string, unknown> {
  return {
    datasets: { train: 'data/broken.jsonl' },
    baseModel: 'Qwen/Qwen2.5-1.5B-Instruct',
    preset: 'balanced',
    hyperparameters: { learningRate: 5, loraDropout: 2, epochs: 'three' },
    host: 'gpu-box',
    gpus: 0,
  };
}

/** The workspace's run templates as the launch form gets them: one saved from a finished run (its data left to
 *  pick), and one whose file has a mistake (listed with it, not offered). */
export function launchTemplates(): TemplateEntry[] {
  const tickets: TemplateEntry = {
    path: '/workspace/configs/support-lora.brightrun.json',
    label: 'configs/support-lora.brightrun.json',
    name: 'Support LoRA',
    description: 'Qwen2.5-1.5B on support conversations; passed its gates at eval loss 0.91.',
    variables: [
      { name: 'train', description: 'Training data: a JSONL file.', default: null },
      { name: 'validation', description: 'Validation data: a JSONL file.', default: 'data/support-val.jsonl' },
    ],
    config: {
      name: 'support assistant',
      datasets: { validation: 'data/support-val.jsonl' },
      baseModel: 'Qwen/Qwen2.5-1.5B-Instruct',
      preset: 'balanced',
      hyperparameters: { loraR: 32, loraAlpha: 64, learningRate: 0.0002, epochs: 2, batchSize: 4, gradAccum: 4 },
      maxSeqLen: 2048,
      host: 'gpu-box',
      gpus: 1,
      pricePerGpuHour: 1.89,
    },
    unfilled: ['datasets.train'],
  };
  const broken: TemplateEntry = {
    ...tickets,
    path: '/workspace/old.brightrun.json',
    label: 'old.brightrun.json',
    name: 'Old',
    problem: '$.datasets.train: ${data} is not declared: add "data" to template.variables',
  };
  return [tickets, broken];
}
