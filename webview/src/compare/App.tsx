// Two or more runs side by side: loss curves overlaid (by step or by tokens seen), the hyper-parameters that
// differ, and final metrics against cost.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { VscodeButton, VscodeCheckbox } from '@vscode-elements/react-elements';
import {
  parseCompareHostMessage,
  type CompareHostMessage,
  type ComparePersistedState,
  type CompareRun,
  type CompareWebviewMessage,
} from '../../../src/shared/compareProtocol';
import { useHostMessages } from '../common/messageBus';
import { MetricChart } from '../common/MetricChart';
import { CHARTS } from '../common/charts';
import { fieldSeries, hasFieldValues, RunHistory, type XAxisKind } from '../common/runHistory';
import { useChartColors } from '../common/theme';
import type { VsCodeApi } from '../common/vscodeApi';
import type { ShownRun } from './shownRun';
import { DiffTable, ResultsTable } from './tables';
import { BestMark } from './BestMark';

export interface CompareViewState extends ComparePersistedState {
  logScale: boolean;
  onlyDifferences: boolean;
}

export function CompareApp({ api }: { api: VsCodeApi<CompareViewState> }) {
  const restored = useMemo(() => api.getState(), [api]);
  const [runs, setRuns] = useState<CompareRun[]>([]);
  const histories = useRef(new Map<string, RunHistory>());
  const [version, setVersion] = useState(0);
  const [initialised, setInitialised] = useState(false);
  const [xAxis, setXAxis] = useState<XAxisKind>(restored?.xAxis ?? 'step');
  const [logScale, setLogScale] = useState(restored?.logScale ?? false);
  const [onlyDifferences, setOnlyDifferences] = useState(restored?.onlyDifferences ?? false);
  const [problem, setProblem] = useState<string | null>(null);
  const post = useCallback((message: CompareWebviewMessage) => api.postMessage(message), [api]);

  const replaceRuns = (next: CompareRun[]) => {
    const map = new Map<string, RunHistory>();
    for (const run of next) {
      const history = new RunHistory();
      history.add(run.events);
      map.set(run.runId, history);
    }
    histories.current = map;
    setRuns(next);
    setVersion((v) => v + 1);
  };

  const onMessage = (message: CompareHostMessage) => {
    switch (message.type) {
      case 'init':
        replaceRuns(message.runs);
        setInitialised(true);
        break;
      case 'runs':
        replaceRuns(message.runs);
        break;
      case 'events': {
        const history = histories.current.get(message.runId);
        if (history !== undefined && history.add(message.events) > 0) setVersion((v) => v + 1);
        break;
      }
    }
  };
  useHostMessages(parseCompareHostMessage, onMessage, setProblem);

  useEffect(() => {
    post({ type: 'ready', runIds: restored?.runIds ?? [] });
  }, [post, restored]);

  const runIds = runs.map((r) => r.runId);
  const runIdsKey = runIds.join('\n');
  useEffect(() => {
    api.setState({ runIds: runIdsKey === '' ? [] : runIdsKey.split('\n'), xAxis, logScale, onlyDifferences });
  }, [api, runIdsKey, xAxis, logScale, onlyDifferences]);

  const colors = useChartColors();
  // replaceRuns swaps the histories before it sets the runs, so a new runs list always finds its own histories.
  const shown: ShownRun[] = useMemo(
    () =>
      runs.map((run, i) => ({
        run,
        history: histories.current.get(run.runId) ?? new RunHistory(),
        color: colors.series[i % colors.series.length],
        label: run.name ?? run.runId,
      })),
    [runs, colors],
  );
  const xLabel = xAxis === 'step' ? 'step' : 'tokens';
  // One chart per compared series of the chart list (common/charts.ts), one line per run; a chart no run has a
  // value for is not shown.
  const charts = useMemo(
    () =>
      CHARTS.filter((spec) => spec.compare === true).flatMap((spec) =>
        spec.series.map((s) => ({
          title: s.compareTitle ?? spec.title,
          logScalable: spec.logScalable === true,
          shown: spec.alwaysShown === true || shown.some((run) => hasFieldValues(run.history, s.of)),
          series: shown.map((run) => ({ name: run.label, color: run.color, points: fieldSeries(run.history, s.of, xAxis), dots: s.of.source === 'eval' })),
        })),
      ),
    // `version` signals that a (mutable) history changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a dependency the hook cannot see
    [shown, version, xAxis],
  );
  // The loss charts lead, above the tables; the others follow them.
  const lossCharts = charts.slice(0, CHARTS[0].series.length);
  const otherCharts = charts.slice(lossCharts.length).filter((c) => c.shown);

  return (
    <main className="br-page" data-ready={initialised ? 'true' : 'false'}>
      {problem !== null && (
        <div className="br-banner" role="alert">
          {problem}
        </div>
      )}
      <header className="br-header">
        <h1 className="br-title">
          <span className="codicon codicon-git-compare" aria-hidden="true" /> Compare runs
        </h1>
        <div className="br-spacer" />
        <div className="br-actions">
          <VscodeButton icon="add" secondary onClick={() => post({ type: 'addRuns' })}>
            Add runs
          </VscodeButton>
        </div>
      </header>
      {runs.length < 2 && initialised && <div className="br-callout">Pick at least two runs to compare: use Add runs, or select runs in the Runs view.</div>}
      <div className="br-legend">
        {shown.map((s) => (
          <span key={s.run.runId} className="br-legend-item" data-testid={`run-${s.run.runId}`}>
            <span className="br-swatch" style={{ background: s.color }} />
            <span>{s.label}</span>
            <BestMark run={s.run} />
            <span className="br-muted">{s.run.host}</span>
            <VscodeButton
              icon="graph-line"
              secondary
              iconOnly
              title={`Open the monitor of ${s.label}`}
              aria-label={`Open monitor ${s.label}`}
              onClick={() => post({ type: 'openMonitor', runId: s.run.runId })}
            />
            <VscodeButton
              icon="close"
              secondary
              iconOnly
              title={`Remove ${s.label} from the comparison`}
              aria-label={`Remove ${s.label}`}
              onClick={() => post({ type: 'removeRun', runId: s.run.runId })}
            />
          </span>
        ))}
      </div>
      <div className="br-toolbar">
        <span className="br-muted">x axis</span>
        <VscodeButton secondary={xAxis !== 'step'} icon={xAxis === 'step' ? 'check' : ''} onClick={() => setXAxis('step')} aria-pressed={xAxis === 'step'}>
          Steps
        </VscodeButton>
        <VscodeButton
          secondary={xAxis !== 'tokens'}
          icon={xAxis === 'tokens' ? 'check' : ''}
          onClick={() => setXAxis('tokens')}
          aria-pressed={xAxis === 'tokens'}
        >
          Tokens seen
        </VscodeButton>
        <VscodeCheckbox checked={logScale} label="Log scale" data-testid="log-scale" onChange={(e) => setLogScale((e.target as HTMLInputElement).checked)} />
      </div>
      <div className="br-grid">
        {lossCharts.map((c) => (
          <MetricChart key={c.title} title={c.title} colors={colors} logScale={logScale && c.logScalable} height={280} xLabel={xLabel} series={c.series} />
        ))}
      </div>
      <ResultsTable runs={shown} />
      <DiffTable runs={shown} onlyDifferences={onlyDifferences} onOnlyDifferences={setOnlyDifferences} />
      <div className="br-grid">
        {otherCharts.map((c) => (
          <MetricChart key={c.title} title={c.title} colors={colors} logScale={logScale && c.logScalable} height={200} xLabel={xLabel} series={c.series} />
        ))}
      </div>
    </main>
  );
}
