// Progress (steps, ETA, latest metrics) and cost (so far, projected, budget) at a glance.
import { VscodeProgressBar } from '@vscode-elements/react-elements';
import type { MonitorRun } from '../../../src/shared/monitorProtocol';
import { formatCount, formatDuration, formatMetric, formatUsd } from '../common/format';
import type { RunHistory } from '../common/runHistory';

/** Seconds left at the pace of the recent metrics lines; null when there is no pace yet. */
export function etaFromPace(history: RunHistory, totalSteps: number | null, window = 20): number | null {
  const { t, step } = history.metrics;
  const n = step.length;
  if (totalSteps === null || n < 2) return null;
  const first = Math.max(0, n - window);
  const last = n - 1;
  const seconds = ((t[last] ?? Number.NaN) - (t[first] ?? Number.NaN)) / 1000;
  const steps = step[last] - step[first];
  if (!(seconds > 0) || steps <= 0) return null;
  return Math.max(0, ((totalSteps - step[last]) * seconds) / steps);
}

export function ProgressCard({ history, run }: { history: RunHistory; run: MonitorRun | null }) {
  const last = history.lastMetrics;
  const step = Math.max(run?.step ?? 0, last?.step ?? 0);
  const total = run?.totalSteps ?? history.totalSteps;
  const finished = run !== null && run.state !== 'running' && run.state !== 'starting';
  const eta = finished ? null : (run?.etaSeconds ?? etaFromPace(history, total));
  const share = total !== null && total > 0 ? Math.min(1, step / total) : null;
  return (
    <section className="br-card" aria-label="Progress">
      <div className="br-label">Progress</div>
      <div className="br-big" data-testid="step-counter">
        {formatCount(step)}
        {total !== null && <span className="br-muted"> / {formatCount(total)} steps</span>}
        {share !== null && <span className="br-muted"> · {Math.floor(share * 100)}%</span>}
      </div>
      {share !== null ? (
        <VscodeProgressBar value={share * 100} max={100} aria-label="Training progress" />
      ) : (
        !finished && <VscodeProgressBar indeterminate aria-label="Training progress" />
      )}
      <div className="br-meta">
        <span data-testid="eta">ETA {formatDuration(eta)}</span>
        {last !== undefined && <span>loss {formatMetric(last.loss)}</span>}
        {history.lastEval !== undefined && <span>eval {formatMetric(history.lastEval.eval_loss)}</span>}
        {last !== undefined && <span>{formatCount(last.tokens_per_s)} tok/s</span>}
        {last !== undefined && <span>epoch {last.epoch.toFixed(2)}</span>}
      </div>
    </section>
  );
}

export function CostCard({ run }: { run: MonitorRun | null }) {
  const cost = run?.cost;
  const budget = cost?.budgetUsd ?? null;
  const soFar = cost?.soFarUsd ?? null;
  const projected = cost?.projectedUsd ?? null;
  const over = budget !== null && projected !== null && projected > budget;
  const pct = (value: number) => `${Math.min(100, (value / (budget as number)) * 100)}%`;
  return (
    <section className="br-card" aria-label="Cost">
      <div className="br-label">Cost</div>
      <div className="br-big" data-testid="cost-so-far">
        {formatUsd(soFar)}
        {budget !== null && <span className="br-muted"> of {formatUsd(budget)} budget</span>}
      </div>
      {budget !== null && soFar !== null && (
        <div className="br-bar-track" role="img" aria-label={`Spent ${formatUsd(soFar)} of ${formatUsd(budget)}`}>
          <div className={`br-bar-fill${soFar >= budget ? ' br-over' : ''}`} style={{ width: pct(soFar) }} />
          {projected !== null && <div className="br-bar-marker" style={{ left: pct(projected) }} title="projected" />}
        </div>
      )}
      <div className="br-meta">
        <span data-testid="cost-projected" className={over ? 'br-warning-text' : undefined}>
          projected {formatUsd(projected)}
        </span>
        {cost?.pricePerGpuHour != null && <span>{formatUsd(cost.pricePerGpuHour)}/GPU-hour</span>}
        {cost?.pricePerGpuHour == null && <span>no GPU price set</span>}
      </div>
      {over && (
        <div className="br-warning-text" role="status">
          <span className="codicon codicon-warning" aria-hidden="true" /> Projected to pass the budget; the run stops with a checkpoint when it reaches it.
        </div>
      )}
    </section>
  );
}
