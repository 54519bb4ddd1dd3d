// The live monitor of one run: the host streams events, status and log lines; this renders them and posts
// the user's actions. Everything in the history is kept; charts draw a downsampled copy.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MonitorHistory, savedForm, type SavedMonitorHistory } from '../../../src/shared/monitorHistory';
import {
  parseMonitorHostMessage,
  type MonitorAction,
  type MonitorHostMessage,
  type MonitorPersistedState,
  type MonitorRun,
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
import { TrackerLinks } from './TrackerLinks';
import { StageTimeline } from './StageTimeline';

/** Persisted across reloads: the run, the last summary (shown until the host replays) and view options. */
export interface MonitorViewState extends MonitorPersistedState {
  run: MonitorRun | null;
  logScale: boolean;
}

const LOG_TAIL_LINES = 500;
/** The history is saved (compact) at most this often, not per event: a reload that misses the last seconds gets
 *  them from the host's replay anyway. */
const HISTORY_SAVE_MS = 5000;
/** Longer histories are not saved: setState serialises the whole state on every change (a status update too), and
 *  a 100k-step history is ~18 MB of JSON. The host replays them on reload (fast, compact). ~1.8 MB at the limit. */
const SAVED_HISTORY_MAX_ROWS = 10_000;
const nextRequestId = requestIdFactory('monitor');

/** The history saved before a reload, drawn until the host replays; a state of another shape is ignored. */
function savedHistory(state: MonitorViewState | undefined): { history: RunHistory; compact: SavedMonitorHistory | undefined } {
  const history = new RunHistory();
  const parsed = state?.history === undefined ? undefined : MonitorHistory.safeParse(state.history);
  if (!parsed?.success) return { history, compact: undefined };
  history.addCompact(parsed.data);
  return { history, compact: savedForm(history.compact()) };
}

export function MonitorApp({ api }: { api: VsCodeApi<MonitorViewState> }) {
  const restored = useMemo(() => api.getState(), [api]);
  const saved = useMemo(() => savedHistory(restored), [restored]);
  const history = useRef(saved.history);
  const [version, setVersion] = useState(0);
  const [run, setRun] = useState<MonitorRun | null>(restored?.run ?? null);
  const [logScale, setLogScale] = useState(restored?.logScale ?? false);
  const [logLines, setLogLines] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [initialised, setInitialised] = useState(false);
  const [pending, setPending] = useState<Map<string, MonitorAction>>(new Map());
  const [actionError, setActionError] = useState<string | null>(null);
  const runId = run?.runId ?? restored?.runId ?? null;

  // The history setState writes: rebuilt from the events on a timer (see below).
  const persisted = useRef<{ saved: SavedMonitorHistory | undefined }>({ saved: saved.compact });
  const post = useCallback((message: MonitorWebviewMessage) => api.postMessage(message), [api]);

  const onMessage = useCallback((message: MonitorHostMessage) => {
    switch (message.type) {
      case 'init':
        history.current = new RunHistory();
        // What is saved is built from the history on the timer.
        history.current.addCompact(message.history);
        setRun(message.run);
        setLogLines(message.logTail.slice(-LOG_TAIL_LINES));
        setInitialised(true);
        setVersion((v) => v + 1);
        break;
      case 'events':
        if (history.current.addCompact(message.history) > 0) setVersion((v) => v + 1);
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

  const view = useRef({ runId, run, logScale });
  view.current = { runId, run, logScale };
  const save = useCallback(() => {
    api.setState({ ...view.current, history: persisted.current.saved });
  }, [api]);
  // Not `useEffect(save)`: what an effect returns is its cleanup, and VS Code's setState returns the state object.
  useEffect(() => save(), [save, runId, run, logScale]);
  // The history changes with every event: saved on a timer, not per event.
  const historySave = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (version === 0 || historySave.current !== undefined) return;
    historySave.current = setTimeout(() => {
      historySave.current = undefined;
      const h = history.current;
      // A long history is not saved, nor copied to find out.
      persisted.current = { saved: h.metrics.seq.length > SAVED_HISTORY_MAX_ROWS ? undefined : savedForm(h.compact()) };
      save();
    }, HISTORY_SAVE_MS);
  }, [version, save]);
  useEffect(() => () => clearTimeout(historySave.current), []);

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
      {problem !== null && (
        <div className="br-banner" role="alert">
          {problem}
        </div>
      )}
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
          <TrackerLinks history={h} />
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
