// The two tables of the compare panel: outcomes (final and best losses, speed, time, cost, evaluation) and the
// hyper-parameter diff.
import type { ReactNode } from 'react';
import { FilterHeader } from '../common/FilterHeader';
import { formatCount, formatDuration, formatMetric, formatUsd } from '../common/format';
import type { ShownRun } from './shownRun';
import { BestMark, sweepCell } from './BestMark';
import { configDiff } from './configDiff';
import { betterSide, formatScore, gatesSummary, scorecardRows, type ScorecardRow } from '../../../src/shared/evaluationProtocol';

function bestEval(run: ShownRun): number | null {
  const evals = run.history.evals;
  return evals.length === 0 ? null : Math.min(...evals.map((e) => e.eval_loss));
}

function Header({ runs }: { runs: ShownRun[] }) {
  return (
    <thead>
      <tr>
        <th />
        {runs.map((r) => (
          <th key={r.run.runId}>
            <span className="br-swatch" style={{ background: r.color }} /> {r.label}
            <BestMark run={r.run} />
          </th>
        ))}
      </tr>
    </thead>
  );
}

type Row = { label: string; cells: (r: ShownRun, i: number) => ReactNode };

/** The evaluation numbers of the runs that have a report: the adapter's value, the base model's beside it. */
function evaluationRows(runs: ShownRun[]): Row[] {
  if (!runs.some((r) => r.run.evaluation)) return [];
  const metric = (key: ScorecardRow['key']) => (r: ShownRun) => {
    const report = r.run.evaluation;
    const row = report ? scorecardRows(report).find((x) => x.key === key) : undefined;
    if (!row) return '—';
    const better = betterSide(row);
    return (
      <span data-eval={key}>
        {formatScore(row.adapter, row.unit)} <span className="br-muted">(base {formatScore(row.base, row.unit)})</span>
        {better === 'adapter' && <span className="codicon codicon-arrow-up br-ok" title="better than the base model" aria-label="better than base" />}
        {better === 'base' && <span className="codicon codicon-arrow-down br-error-text" title="worse than the base model" aria-label="worse than base" />}
      </span>
    );
  };
  return [
    { label: 'Eval: validation perplexity', cells: metric('val_perplexity') },
    { label: 'Eval: general-text perplexity', cells: metric('retention_perplexity') },
    { label: 'Eval: exact match', cells: metric('exact_match') },
    { label: 'Eval: token F1', cells: metric('token_f1') },
    { label: 'Eval: ROUGE-L', cells: metric('rouge_l') },
    {
      label: 'Eval: quality gates',
      cells: (r) => {
        const report = r.run.evaluation;
        if (!report) return '—';
        const failed = report.gates.filter((g) => !g.passed).length;
        return (
          <span data-eval="gates" className={failed ? 'br-error-text' : 'br-ok'} title={gatesSummary(report)}>
            {failed ? `${failed} of ${report.gates.length} failed` : `${report.gates.length} passed`}
          </span>
        );
      },
    },
  ];
}

/** One row per sweep metric among the runs: its value and rank for the runs of a sweep. */
function sweepRows(runs: ShownRun[]): Row[] {
  const metrics = [...new Set(runs.flatMap((r) => (r.run.sweep ? [r.run.sweep.metric] : [])))];
  return metrics.map((metric) => ({ label: `Sweep: ${metric}`, cells: (r) => (r.run.sweep?.metric === metric ? sweepCell(r.run) : '—') }));
}

export function ResultsTable({ runs }: { runs: ShownRun[] }) {
  const best = runs.map(bestEval);
  const lowest = Math.min(...best.filter((b): b is number => b !== null));
  const rows: Row[] = [
    { label: 'State', cells: (r) => r.run.state },
    { label: 'Steps', cells: (r) => formatCount(r.history.done?.summary.steps ?? r.history.lastMetrics?.step ?? 0) },
    { label: 'Final train loss', cells: (r) => formatMetric(r.history.done?.summary.final_loss ?? r.history.lastMetrics?.loss) },
    { label: 'Final eval loss', cells: (r) => formatMetric(r.history.done?.summary.final_eval_loss ?? r.history.lastEval?.eval_loss) },
    {
      label: 'Best eval loss',
      cells: (_r, i) => (
        <>
          {formatMetric(best[i])}
          {best[i] !== null && best[i] === lowest && runs.length > 1 && (
            <span className="codicon codicon-star-full br-ok" title="lowest of these runs" aria-label="best" />
          )}
        </>
      ),
    },
    { label: 'Tokens / s', cells: (r) => formatCount(r.history.done?.summary.tokens_per_s ?? r.history.lastMetrics?.tokens_per_s) },
    { label: 'Wall time', cells: (r) => formatDuration(r.history.done?.summary.wall_s) },
    { label: 'Cost', cells: (r) => formatUsd(r.run.costUsd) },
    ...sweepRows(runs),
    ...evaluationRows(runs),
  ];
  return (
    <section className="br-card" style={{ marginBottom: 12 }} aria-label="Results">
      <div className="br-label">Results</div>
      <table className="br-table" data-testid="results">
        <Header runs={runs} />
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {runs.map((r, i) => (
                <td key={r.run.runId}>{row.cells(r, i)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DiffTable(props: { runs: ShownRun[]; onlyDifferences: boolean; onOnlyDifferences: (on: boolean) => void }) {
  const rows = configDiff(props.runs.map((r) => r.run.config));
  const differing = rows.filter((r) => r.differs).length;
  const shown = props.onlyDifferences ? rows.filter((r) => r.differs) : rows;
  return (
    <section className="br-card" style={{ marginBottom: 12 }} aria-label="Hyper-parameters">
      <FilterHeader
        title={`Hyper-parameters · ${differing} of ${rows.length} differ`}
        filterLabel="Only differences"
        testId="only-differences"
        checked={props.onlyDifferences}
        onChange={props.onOnlyDifferences}
        marginBottom={4}
      />
      <table className="br-table" data-testid="diff">
        <Header runs={props.runs} />
        <tbody>
          {shown.map((row) => (
            <tr key={row.key} className={row.differs ? 'br-differs' : undefined} data-key={row.key}>
              <th scope="row" className="br-mono">
                {row.key}
              </th>
              {row.values.map((value, i) => (
                <td key={props.runs[i].run.runId} className="br-mono">
                  {value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
