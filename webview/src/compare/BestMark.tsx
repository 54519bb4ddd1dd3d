// The star on a sweep's best run, in the legend and the table headers: best by the sweep's own metric (lowest eval
// loss, highest token F1...), among the compared runs of that sweep.
import type { CompareRun } from '../../../src/shared/compareProtocol';
import { formatMetric } from '../common/format';

const badge = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 3,
  padding: '0 6px',
  marginLeft: 4,
  borderRadius: 8,
  border: '1px solid currentColor',
  fontSize: '0.85em',
};

export function bestMarkTitle(run: CompareRun): string | null {
  const mark = run.sweep;
  if (!mark?.best || mark.value === null) return null;
  return `Best run of sweep ${mark.name}: ${mark.goal === 'min' ? 'lowest' : 'highest'} ${mark.metric} (${formatMetric(mark.value)})`;
}

export function BestMark({ run }: { run: CompareRun }) {
  const title = bestMarkTitle(run);
  if (title === null) return null;
  return (
    <span className="br-ok" style={badge} data-testid="best-mark" title={title} aria-label={title}>
      <span className="codicon codicon-star-full" aria-hidden="true" /> best
    </span>
  );
}

/** The sweep row of the results table: each run's value of its sweep's metric and its rank. */
export function sweepCell(run: CompareRun) {
  const mark = run.sweep;
  if (!mark) return '—';
  return (
    <span data-sweep-rank={mark.rank ?? ''}>
      {mark.value === null ? '—' : formatMetric(mark.value)} <span className="br-muted">{mark.rank === null ? `(${run.state})` : `#${mark.rank}`}</span>
    </span>
  );
}
