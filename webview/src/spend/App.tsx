// What GPU time cost this month: the total, the budget bar, bars per day, totals per ISO week and per month, and
// tables per host, project and run (GPU-hours beside each cost). Runs without a price show "unknown", never $0.
// The host sends a fresh report whenever runs change; the month shown survives a reload.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { VscodeButton } from '@vscode-elements/react-elements';
import type { SpendBudget, SpendReport, SpendTotals } from '../../../src/contracts/spend';
import { parseSpendHostMessage, type SpendHostMessage, type SpendPersistedState, type SpendWebviewMessage } from '../../../src/shared/spendProtocol';
import { budgetText, budgetWarningText, costText, gpuHoursText, moneyText, monthTitle, projectText, unpricedNote } from '../../../src/shared/spendText';
import { useHostMessages } from '../common/messageBus';
import { useChartColors } from '../common/theme';
import type { VsCodeApi } from '../common/vscodeApi';
import { DailyBars } from './DailyBars';

/** "2026-11" -> "2026-10" (delta -1) or "2026-12" (delta +1). */
export function shiftMonth(month: string, delta: number): string {
  const date = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + delta, 1));
  return date.toISOString().slice(0, 7);
}

function Figures({ totals }: { totals: SpendTotals }) {
  return (
    <>
      <td className="br-num">{costText(totals)}</td>
      <td className="br-num">{gpuHoursText(totals.gpuHours)}</td>
    </>
  );
}

function Table(props: { title: string; label: string; head?: string[]; rows: { key: string; cells: ReactNode[]; totals: SpendTotals }[]; empty: string }) {
  return (
    <section aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.rows.length === 0 ? (
        <div className="br-muted">{props.empty}</div>
      ) : (
        <table className="br-table">
          <thead>
            <tr>
              <th>{props.label}</th>
              {(props.head ?? []).map((h) => (
                <th key={h}>{h}</th>
              ))}
              <th className="br-num">Cost</th>
              <th className="br-num">GPU-hours</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, i) => (
                  <td key={i}>{cell}</td>
                ))}
                <Figures totals={row.totals} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BudgetCard({ budget, month, onEdit }: { budget: SpendBudget | null; month: string; onEdit: () => void }) {
  if (!budget) {
    return (
      <div className="br-card" data-testid="budget">
        <div className="br-label">Monthly budget</div>
        <div className="br-muted">None set.</div>
        <VscodeButton secondary icon="settings-gear" onClick={onEdit}>
          Set a budget
        </VscodeButton>
      </div>
    );
  }
  const warning = budgetWarningText(budget, month);
  return (
    <div className="br-card br-spend-budget" data-testid="budget" data-level={budget.level}>
      <div className="br-label">Monthly budget</div>
      <div className="br-big">
        {Math.round(budget.share * 100)}% <span className="br-muted">of {moneyText(budget.budgetUsd)}</span>
      </div>
      <div
        className="br-bar-track"
        role="progressbar"
        aria-label="Budget used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(Math.min(1, budget.share) * 100)}
      >
        <div className="br-bar-fill" style={{ width: `${Math.min(1, budget.share) * 100}%` }} />
        <div className="br-bar-marker" style={{ left: '80%' }} title="80% of the budget" />
      </div>
      <div className="br-muted">{budgetText(budget)}</div>
      {warning !== null && (
        <div className={`br-callout ${budget.level === 'exceeded' ? 'br-error' : 'br-warning'}`} role="status">
          {warning}
        </div>
      )}
      <VscodeButton secondary icon="settings-gear" onClick={onEdit}>
        Change budget
      </VscodeButton>
    </div>
  );
}

export function SpendApp({ api }: { api: VsCodeApi<SpendPersistedState> }) {
  const restored = useMemo(() => api.getState(), [api]);
  const [report, setReport] = useState<SpendReport | null>(null);
  const [currentMonth, setCurrentMonth] = useState<string | null>(null);
  const [month, setMonth] = useState<string | null>(restored?.month ?? null);
  const [problem, setProblem] = useState<string | null>(null);
  const post = useCallback((message: SpendWebviewMessage) => api.postMessage(message), [api]);
  const colors = useChartColors();

  useHostMessages(
    parseSpendHostMessage,
    (message: SpendHostMessage) => {
      setReport(message.report);
      setCurrentMonth(message.currentMonth);
    },
    setProblem,
  );
  useEffect(() => post({ type: 'ready', month: restored?.month ?? null }), [post, restored]);
  useEffect(() => {
    api.setState({ month });
  }, [api, month]);

  const show = (next: string | null) => {
    const following = next === currentMonth ? null : next;
    setMonth(following);
    post({ type: 'showMonth', month: following });
  };

  if (report === null) {
    return (
      <main className="br-page" data-ready="false">
        {problem !== null && <div className="br-banner">{problem}</div>}
        <div className="br-muted">Loading spend…</div>
      </main>
    );
  }
  const note = unpricedNote(report.total);
  const isCurrent = report.month === currentMonth;
  return (
    <main className="br-page" data-ready="true">
      {problem !== null && (
        <div className="br-banner" role="alert">
          {problem}
        </div>
      )}
      <header className="br-header">
        <h1 className="br-title">
          <span className="codicon codicon-credit-card" aria-hidden="true" /> GPU spend
        </h1>
        <div className="br-spend-month">
          <VscodeButton
            icon="chevron-left"
            secondary
            iconOnly
            title="Previous month"
            aria-label="Previous month"
            onClick={() => show(shiftMonth(report.month, -1))}
          />
          <span className="br-spend-month-title" data-testid="month">
            {monthTitle(report.month)}
          </span>
          <VscodeButton
            icon="chevron-right"
            secondary
            iconOnly
            title="Next month"
            aria-label="Next month"
            disabled={isCurrent}
            onClick={() => show(shiftMonth(report.month, 1))}
          />
          {!isCurrent && (
            <VscodeButton secondary onClick={() => show(null)}>
              This month
            </VscodeButton>
          )}
        </div>
        <div className="br-spacer" />
        <span className="br-muted">UTC · as of {report.now.slice(11, 16)}</span>
      </header>
      <div className="br-row">
        <div className="br-card" data-testid="total">
          <div className="br-label">{isCurrent ? 'This month' : monthTitle(report.month)}</div>
          <div className="br-big">{costText(report.total)}</div>
          <div className="br-muted">
            {gpuHoursText(report.total.gpuHours)} GPU-hours · {report.runs.length} run{report.runs.length === 1 ? '' : 's'}
          </div>
        </div>
        <BudgetCard budget={report.budget} month={report.month} onEdit={() => post({ type: 'editBudget' })} />
      </div>
      {note !== null && (
        <div className="br-callout br-warning" data-testid="unpriced">
          {note}
        </div>
      )}
      {report.days.length > 0 && <DailyBars days={report.days} colors={colors} />}
      <div className="br-spend-tables">
        <Table
          title="Per ISO week"
          label="Week"
          head={['Days']}
          rows={report.weeks.map((w) => ({ key: w.week, cells: [w.week, `${w.from.slice(5)} – ${w.to.slice(5)}`], totals: w }))}
          empty="No days of this month yet."
        />
        <Table
          title="Per month"
          label="Month"
          rows={[...report.months].reverse().map((m) => ({ key: m.month, cells: [monthTitle(m.month)], totals: m }))}
          empty="No GPU time recorded yet."
        />
        <Table
          title="Per host"
          label="Host"
          head={['Runs']}
          rows={report.hosts.map((h) => ({ key: h.host, cells: [h.host, h.runs], totals: h }))}
          empty="No GPU time this month."
        />
        <Table
          title="Per project"
          label="Project"
          head={['Runs']}
          rows={report.projects.map((p) => ({ key: p.project ?? '', cells: [projectText(p.project), p.runs], totals: p }))}
          empty="No GPU time this month."
        />
      </div>
      <div className="br-spend-runs">
        <Table
          title="Per run"
          label="Run"
          head={['Host', 'Project', 'GPUs', '$ / GPU-hour']}
          rows={report.runs.map((r) => ({
            key: r.id,
            cells: [
              <span key="run" className="br-toggle">
                <VscodeButton
                  icon="graph-line"
                  secondary
                  iconOnly
                  title={`Open the monitor of ${r.name ?? r.id}`}
                  aria-label={`Open monitor ${r.name ?? r.id}`}
                  onClick={() => post({ type: 'openMonitor', runId: r.id })}
                />
                <span>{r.name ?? r.id}</span>
                {r.state === 'running' && <span className="br-muted">(running)</span>}
              </span>,
              r.host,
              projectText(r.project),
              r.gpus,
              r.pricePerGpuHour === null ? 'none' : moneyText(r.pricePerGpuHour),
            ],
            totals: r,
          }))}
          empty="No GPU time this month."
        />
      </div>
    </main>
  );
}
