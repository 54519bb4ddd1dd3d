// The engine's RunInfo mapped to what the monitor shows (MonitorRun), and the log tail's lines. Pure.
import type { RunInfo } from '../../core/runs/runInfo';
import type { MonitorRun } from '../../shared/monitorProtocol';
import { endReason } from './runFacts';
import { queueText } from './runText';

/** Seconds left at the pace so far (from the start of the run to now), or null when it cannot be told. */
export function etaSeconds(info: Pick<RunInfo, 'state' | 'step' | 'totalSteps' | 'startedAt'>, nowMs: number): number | null {
  if (info.state !== 'running' || !info.totalSteps || info.step <= 0) return null;
  const elapsed = (nowMs - Date.parse(info.startedAt)) / 1000;
  if (!Number.isFinite(elapsed) || elapsed <= 0) return null;
  return Math.max(0, (elapsed / info.step) * (info.totalSteps - info.step));
}

export function monitorRunFromInfo(info: RunInfo, nowMs: number): MonitorRun {
  const active = info.state === 'starting' || info.state === 'running';
  return {
    runId: info.id,
    name: info.config.name,
    host: info.host,
    state: info.state,
    stage: info.stage,
    step: info.step,
    totalSteps: info.totalSteps,
    startedAt: info.startedAt,
    updatedAt: info.endedAt ?? new Date(nowMs).toISOString(),
    etaSeconds: etaSeconds(info, nowMs),
    cost: {
      soFarUsd: info.costUsd,
      projectedUsd: info.projectedCostUsd,
      budgetUsd: info.budgetUsd,
      // The price the run was launched with, as the registry recorded it (the config file may have changed since).
      pricePerGpuHour: info.pricePerGpuHour,
    },
    exitReason: endReason(info),
    queued: active ? queueText(info) : null,
    canCancel: active,
    canResume: info.state === 'failed' || info.state === 'cancelled',
  };
}

/** The last `count` lines of a chunk read from the end of a log (its first line may be cut: dropped). */
export function lastLines(text: string, count: number, startedMidFile: boolean): string[] {
  const lines = text.split(/\r?\n/);
  if (startedMidFile) lines.shift();
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-count);
}
