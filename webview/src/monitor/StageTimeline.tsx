// Which stage the run is in and how long each took: the answer to "is it stuck or just tokenizing?".
// Training and evaluation alternate many times in a run, so each stage is listed once with its total time.
import type { StageName } from '../../../src/contracts/events';
import type { MonitorRun } from '../../../src/shared/monitorProtocol';
import { formatDuration } from '../common/format';
import type { RunHistory, StageMark } from '../common/runHistory';

const LABEL: Record<StageName, string> = {
  preparing: 'Preparing',
  loading_model: 'Loading model',
  tokenizing: 'Tokenizing',
  training: 'Training',
  evaluating: 'Evaluating',
  saving: 'Saving',
  done: 'Done',
};

export interface StageTotal {
  name: StageName;
  seconds: number;
  times: number;
}

/** Time spent per stage, in order of first appearance; the open stage counts up to `now` (ISO) when given. */
export function stageTotals(stages: readonly StageMark[], now: string | null): StageTotal[] {
  const totals = new Map<StageName, StageTotal>();
  stages.forEach((stage, i) => {
    const until = stages[i + 1]?.ts ?? now;
    const seconds = until !== null ? Math.max(0, (Date.parse(until) - Date.parse(stage.ts)) / 1000) : 0;
    const total = totals.get(stage.name) ?? { name: stage.name, seconds: 0, times: 0 };
    total.seconds += Number.isFinite(seconds) ? seconds : 0;
    total.times += 1;
    totals.set(stage.name, total);
  });
  return [...totals.values()];
}

export function StageTimeline({ history, run }: { history: RunHistory; run: MonitorRun | null }) {
  const stages = history.stages;
  const ended = run !== null && (run.state === 'completed' || run.state === 'failed' || run.state === 'cancelled');
  const current = ended ? null : (stages[stages.length - 1]?.name ?? null);
  const now = history.done?.ts ?? run?.updatedAt ?? null;
  const totals = stageTotals(stages, now);
  return (
    <section className="br-card" aria-label="Stages">
      <div className="br-label">Stages</div>
      {totals.length === 0 ? (
        <div className="br-muted">{run?.stage ? LABEL[run.stage] : 'Not started'}</div>
      ) : (
        <ol className="br-timeline">
          {totals.map((total) => {
            const isCurrent = total.name === current;
            const failedHere = run?.state === 'failed' && total.name === stages[stages.length - 1]?.name;
            const icon = failedHere ? 'error' : isCurrent ? 'loading codicon-modifier-spin' : 'check';
            return (
              <li key={total.name} className={isCurrent ? 'br-current' : undefined} data-stage={total.name}>
                <span className={`codicon codicon-${icon}`} aria-hidden="true" /> {LABEL[total.name]}
                {total.name !== 'done' && <span className="br-muted"> {formatDuration(total.seconds)}</span>}
                {total.times > 1 && <span className="br-muted"> · {total.times}×</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
