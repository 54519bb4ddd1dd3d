// The public shape of a run for the Runs view, the monitor and the CLI: one flat object per run.
import type { RunQueue, RunState } from '../../contracts/status';
import type { RunProgress, ShownProgressField } from './runProgress';
import type { ConfigSummary, RunRecord } from './runRecord';
import type { SweepMembership } from '../sweeps/sweepMembership';

/** The run's record and its progress (stage, step, losses, speed, adapter: see RunProgress), flattened. */
export interface RunInfo extends Pick<RunProgress, ShownProgressField> {
  id: string;
  host: string;
  state: RunState;
  /** GPU time so far x price x GPUs; null when no price is known. */
  costUsd: number | null;
  /** Cost at the end at the current speed; null until two steps were measured or without a price. */
  projectedCostUsd: number | null;
  budgetUsd: number | null;
  /** USD per GPU-hour the run was launched with (the run config, the host's setting, or a default for the
   *  GPU preflight detected); null when none was known. */
  pricePerGpuHour: number | null;
  /** GPUs the run trains on (what the cost multiplies by). */
  gpus: number;
  createdAt: string;
  /** Start of the first attempt and end of the last one (null while it runs). */
  startedAt: string;
  endedAt: string | null;
  attempts: number;
  runDir: string;
  /** Local copy of the run (config.json, status.json, events.jsonl). */
  mirrorDir: string;
  /** Why it failed or was stopped, in words a user can act on. */
  exitReason: string | null;
  /** Set when BrightRun stopped the run itself (budget). */
  stopReason: string | null;
  /** What to try next, from the trainer's last error event. */
  hint: string | null;
  configFile: string | null;
  config: ConfigSummary;
  /** True while events are being followed live. */
  following: boolean;
  /** Set while the run waits in its host's scheduler queue (a pending Slurm job): reason, position, expected start. */
  queue?: RunQueue | null;
  /** The sweep the run belongs to; null for a run of its own. */
  sweep: SweepMembership | null;
}

export type RunChange =
  | { kind: 'added' | 'updated'; run: RunInfo }
  /** Forgotten by remove(): no longer listed, its local mirror deleted (its files on the host stay). */
  | { kind: 'removed'; run: RunInfo }
  | { kind: 'notice'; run: RunInfo; severity: 'info' | 'warning' | 'error'; message: string };

export function runInfo(
  record: RunRecord,
  progress: RunProgress,
  mirrorDir: string,
  costUsd: number | null,
  projectedCostUsd: number | null,
  following: boolean,
  queue: RunQueue | null = null,
): RunInfo {
  return {
    id: record.id,
    host: record.host,
    state: record.state,
    stage: progress.stage,
    step: progress.step,
    totalSteps: progress.totalSteps,
    loss: progress.loss,
    evalLoss: progress.evalLoss,
    learningRate: progress.learningRate,
    tokensPerS: progress.tokensPerS,
    costUsd,
    projectedCostUsd,
    budgetUsd: record.budgetUsd,
    pricePerGpuHour: record.pricePerGpuHour,
    gpus: record.gpus,
    createdAt: record.createdAt,
    startedAt: record.attempts[0]?.startedAt ?? record.createdAt,
    endedAt: record.attempts.at(-1)?.endedAt ?? null,
    attempts: record.attempts.length,
    runDir: record.runDir,
    mirrorDir,
    adapterPath: progress.adapterPath,
    exitReason: record.exitReason,
    stopReason: record.stopReason,
    hint: progress.lastError?.hint ?? null,
    configFile: record.configFile,
    config: record.config,
    following,
    queue,
    sweep: record.sweep,
  };
}

/** "queued on cluster: Resources, position 2, expected start 2026-12-03T04:00:00" while a scheduler holds the run. */
/** A run as people name it: its config's name, else its id. The editor's and the engine's messages use this. */
export function runLabel(run: Pick<RunInfo, 'id' | 'config'>): string {
  return run.config.name?.trim() || run.id;
}

export function queueText(run: Pick<RunInfo, 'host' | 'queue'>): string | null {
  if (!run.queue) return null;
  const parts = [`queued on ${run.host}: ${run.queue.reason}`];
  if (run.queue.position !== null) parts.push(`position ${run.queue.position}`);
  if (run.queue.expected_start !== null) parts.push(`expected start ${run.queue.expected_start}`);
  return parts.join(', ');
}
