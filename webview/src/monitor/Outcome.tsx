// How the run ended, or what went wrong: the error's kind, message and hint (e.g. lower batchSize on OOM).
import type { MonitorRun } from '../../../src/shared/monitorProtocol';
import { formatCount, formatDuration, formatMetric, formatPercent } from '../common/format';
import type { RunHistory } from '../common/runHistory';

export function Outcome({ history, run }: { history: RunHistory; run: MonitorRun | null }) {
  const error = history.errors[history.errors.length - 1];
  const done = history.done;
  return (
    <>
      {error !== undefined && (
        <div className="br-callout br-error" role="alert" data-testid="run-error">
          <strong>
            <span className="codicon codicon-error" aria-hidden="true" /> {error.kind === 'oom' ? 'Out of memory' : `Error (${error.kind})`}
          </strong>
          : {error.message}
          {error.file !== undefined && (
            <div className="br-mono">
              {error.file}
              {error.line !== undefined && `:${error.line}`}
            </div>
          )}
          {error.hint !== undefined && <div>{error.hint}</div>}
        </div>
      )}
      {error === undefined && run?.state === 'failed' && run.exitReason !== null && (
        <div className="br-callout br-error" role="alert" data-testid="run-error">
          {run.exitReason}
        </div>
      )}
      {done !== null && done.state === 'completed' && (
        <div className="br-callout br-success" data-testid="run-done">
          <strong>
            <span className="codicon codicon-pass" aria-hidden="true" /> Completed
          </strong>{' '}
          in {formatDuration(done.summary.wall_s)} · {formatCount(done.summary.steps)} steps · final loss {formatMetric(done.summary.final_loss)} · eval loss{' '}
          {formatMetric(done.summary.final_eval_loss)} · {formatCount(done.summary.tokens_per_s)} tok/s
          {done.summary.mfu != null && <> · MFU {formatPercent(done.summary.mfu)}</>}
          {done.adapter !== null && <div className="br-mono br-muted">{done.adapter}</div>}
        </div>
      )}
      {done !== null && done.state === 'cancelled' && (
        <div className="br-callout br-warning" data-testid="run-done">
          Cancelled at step {formatCount(done.summary.steps)}
          {history.lastCheckpointStep !== null && <> · checkpoint at step {formatCount(history.lastCheckpointStep)}: Resume continues from it</>}
        </div>
      )}
    </>
  );
}
