// Which stage the run is in and how long each took: the answer to "is it stuck or just tokenizing?".
import type { MonitorRunSummary } from '../../../src/shared/monitorProtocol';
import { formatDuration } from '../common/format';
import type { RunHistory } from '../common/runHistory';

const LABEL: Record<string, string> = {
  preparing: 'Preparing',
  loading_model: 'Loading model',
  tokenizing: 'Tokenizing',
  training: 'Training',
  evaluating: 'Evaluating',
  saving: 'Saving',
  done: 'Done',
};

export function StageTimeline({ history, run }: { history: RunHistory; run: MonitorRunSummary | null }) {
  const stages = history.stages;
  const ended = run !== null && (run.state === 'completed' || run.state === 'failed' || run.state === 'cancelled');
  const endTs = history.done?.ts ?? run?.updatedAt ?? null;
  return (
    <section className="br-card" aria-label="Stages">
      <div className="br-label">Stages</div>
      {stages.length === 0 ? (
        <div className="br-muted">{run?.stage ? LABEL[run.stage] : 'Not started'}</div>
      ) : (
        <ol className="br-timeline">
          {stages.map((stage, i) => {
            const current = i === stages.length - 1 && !ended && stage.name !== 'done';
            const failedHere = i === stages.length - 1 && run?.state === 'failed';
            const until = stages[i + 1]?.ts ?? (current ? null : endTs);
            const seconds = until !== null ? (Date.parse(until) - Date.parse(stage.ts)) / 1000 : null;
            const icon = failedHere ? 'error' : current ? 'loading codicon-modifier-spin' : 'check';
            return (
              <li key={`${stage.name}-${i}`} className={current ? 'br-current' : undefined} data-stage={stage.name}>
                <span className={`codicon codicon-${icon}`} aria-hidden="true" /> {LABEL[stage.name] ?? stage.name}
                {stage.name !== 'done' && seconds !== null && <span className="br-muted"> {formatDuration(seconds)}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
