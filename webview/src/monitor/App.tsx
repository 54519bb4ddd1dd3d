// The live monitor of one run: the host streams events, status and log lines; this renders them and posts
// the user's actions. Everything in the history is kept; charts draw a downsampled copy.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  parseMonitorHostMessage,
  type MonitorAction,
  type MonitorHostMessage,
  type MonitorPersistedState,
  type MonitorRunSummary,
  type MonitorWebviewMessage,
} from '../../../src/shared/monitorProtocol';
import { requestIdFactory, useHostMessages } from '../common/messageBus';
import { RunHistory } from '../common/runHistory';
import { useChartColors } from '../common/theme';
import type { VsCodeApi } from '../common/vscodeApi';
import { MonitorCharts } from './MonitorCharts';
import { LogTail } from './LogTail';
import { ProgressCard, CostCard } from './StatusCards';
import { RunHeader } from './RunHeader';
import { Outcome } from './Outcome';
import { StageTimeline } from './StageTimeline';

/** Persisted across reloads: the run, the last summary (shown until the host replays) and view options. */
export interface MonitorViewState extends MonitorPersistedState {
  run: MonitorRunSummary | null;
  logScale: boolean;
}

const LOG_TAIL_LINES = 500;
const nextRequestId = requestIdFactory('monitor');

export function MonitorApp({ api }: { api: VsCodeApi<MonitorViewState> }) {
  const restored = useMemo(() => api.getState(), [api]);
  const history = useRef(new RunHistory());
  const [version, setVersion] = useState(0);
  const [run, setRun] = useState<MonitorRunSummary | null>(restored?.run ?? null);
  const [logScale, setLogScale] = useState(restored?.logScale ?? false);
  const [logLines, setLogLines] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [initialised, setInitialised] = useState(false);
  const [pending, setPending] = useState<Map<string, MonitorAction>>(new Map());
  const [actionError, setActionError] = useState<string | null>(null);
  const runId = run?.runId ?? restored?.runId ?? null;

  const post = useCallback((message: MonitorWebviewMessage) => api.postMessage(message), [api]);

  const onMessage = useCallback((message: MonitorHostMessage) => {
    switch (message.type) {
      case 'init':
        history.current = new RunHistory();
        history.current.add(message.events);
        setRun(message.run);
        setLogLines(message.logTail.slice(-LOG_TAIL_LINES));
        setInitialised(true);
        setVersion((v) => v + 1);
        break;
      case 'events':
        if (history.current.add(message.events) > 0) setVersion((v) => v + 1);
        break;
      case 'summary':
        setRun(message.run);
        break;
      case 'log':
        setLogLines((lines) => [...lines, ...message.lines].slice(-LOG_TAIL_LINES));
        break;
      case 'actionResult':
        setPending((map) => {
          const next = new Map(map);
          next.delete(message.requestId);
          return next;
        });
        setActionError(message.ok ? null : (message.error ?? 'The action failed.'));
        break;
    }
  }, []);
  useHostMessages(parseMonitorHostMessage, onMessage, setProblem);

  // The handshake: once listening, ask the host for the full state.
  useEffect(() => {
    post({ type: 'ready', runId: restored?.runId ?? null });
  }, [post, restored]);

  useEffect(() => {
    api.setState({ runId, run, logScale });
  }, [api, runId, run, logScale]);

  const act = (action: MonitorAction) => {
    if (runId === null) return;
    const requestId = nextRequestId();
    setPending((map) => new Map(map).set(requestId, action));
    setActionError(null);
    post({ type: 'action', requestId, action, runId });
  };
  const busy = new Set(pending.values());
  const colors = useChartColors();
  const h = history.current;

  return (
    <main className="br-page" data-version={version} data-ready={initialised ? 'true' : 'false'}>
      {problem !== null && <div className="br-banner" role="alert">{problem}</div>}
      <RunHeader run={run} onAction={act} busy={busy} />
      {actionError !== null && (
        <div className="br-callout br-error" role="alert">
          {actionError}
        </div>
      )}
      {run === null && h.size === 0 ? (
        <p className="br-muted">Waiting for the run…</p>
      ) : (
        <>
          <Outcome history={h} run={run} />
          <div className="br-row">
            <ProgressCard history={h} run={run} />
            <CostCard run={run} />
            <StageTimeline history={h} run={run} />
          </div>
          <MonitorCharts history={h} version={version} colors={colors} logScale={logScale} onLogScale={setLogScale} />
          <LogTail lines={logLines} history={h} />
        </>
      )}
    </main>
  );
}
