// Realistic run data for the panel tests: a history shaped like the trainer's events.jsonl.
import type { RunEvent } from '../../src/contracts/events';
import type { MonitorRun } from '../../src/shared/monitorProtocol';

export function runSummary(overrides: Partial<MonitorRun> = {}): MonitorRun {
  return {
    runId: 'run-1',
    name: 'chat-sft',
    host: 'local',
    state: 'running',
    stage: 'training',
    step: 40,
    totalSteps: 100,
    startedAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-01T10:04:00Z',
    etaSeconds: 360,
    cost: { soFarUsd: 0.12, projectedUsd: 0.3, budgetUsd: 1, pricePerGpuHour: 1.8 },
    exitReason: null,
    canCancel: true,
    canResume: false,
    ...overrides,
  };
}

/** stage events, a plan, `steps` metrics events and an eval every 10 steps; seq without gaps. */
export function sampleHistory(steps: number, options: { gpu?: boolean; preference?: boolean; startSeq?: number; tokensPerStep?: number } = {}): RunEvent[] {
  const events: RunEvent[] = [];
  let seq = options.startSeq ?? 1;
  const ts = (i: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, i)).toISOString();
  const base = () => ({ v: 1 as const, seq: seq++, ts: ts(seq) });
  events.push({ ...base(), type: 'stage', name: 'loading_model' });
  events.push({ ...base(), type: 'stage', name: 'training' });
  events.push({
    ...base(),
    type: 'plan',
    total_steps: steps,
    epochs: 1,
    train_examples: 100,
    eval_examples: 10,
    train_tokens: 10000,
    dropped_examples: 0,
    truncated_examples: 0,
    trainable_params: 1000,
    total_params: 100000,
    token_efficiency: 0.9,
    device: 'cpu',
    precision: 'fp32',
  });
  for (let step = 1; step <= steps; step++) {
    events.push({
      ...base(),
      type: 'metrics',
      step,
      total_steps: steps,
      epoch: step / steps,
      loss: 2 / Math.sqrt(step) + 0.1,
      learning_rate: 2e-4 * (1 - step / (steps + 1)),
      grad_norm: 1 + 1 / step,
      tokens_per_s: 1000 + (step % 7),
      samples_per_s: 4,
      tokens_seen: step * (options.tokensPerStep ?? 512),
      ...(options.gpu ? { gpu_util: 90, gpu_mem_gb: 20 + (step % 3) } : {}),
      ...(options.preference ? { reward_chosen: 0.1 * step, reward_rejected: -0.1 * step, reward_margin: 0.2 * step, preference_accuracy: step / steps } : {}),
    });
    if (step % 10 === 0) events.push({ ...base(), type: 'eval', step, eval_loss: 2.2 / Math.sqrt(step) + 0.15, perplexity: 3 });
  }
  return events;
}
