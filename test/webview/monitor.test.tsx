// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MonitorApp, type MonitorViewState } from '../../webview/src/monitor/App';
import { displayPoints, pointsForWidth } from '../../webview/src/common/MetricChart';
import { RunHistory } from '../../webview/src/common/runHistory';
import { compactHistory, savedForm } from '../../src/shared/monitorHistory';
import { hostSends, lastPosted, metricSeries, pathPoints, recordingApi } from './helpers';
import { runSummary, sampleHistory } from './fixtures';

afterEach(cleanup);

function chart(title: string): HTMLElement {
  return screen.getByRole('region', { name: title });
}

function linePaths(title: string): Element[] {
  return [...chart(title).querySelectorAll('path.recharts-line-curve')];
}

function mount(state?: MonitorViewState) {
  const api = recordingApi<MonitorViewState>(state);
  render(<MonitorApp api={api} />);
  return api;
}

describe('monitor panel', () => {
  it('asks the host for the run on mount (ready handshake)', () => {
    const api = mount();
    expect(api.posted[0]).toEqual({ type: 'ready', runId: null });
  });

  it('draws train and eval loss, learning rate and grad norm from the replayed history', () => {
    mount();
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(50)), logTail: ['step 50 loss=0.3'] });
    const [train, evalLine] = linePaths('Loss');
    expect(pathPoints(train)).toBe(50);
    expect(pathPoints(evalLine)).toBe(5);
    expect(pathPoints(linePaths('Learning rate')[0])).toBe(50);
    expect(pathPoints(linePaths('Grad norm')[0])).toBe(50);
    expect(screen.getByTestId('step-counter').textContent).toContain('50');
    expect(screen.getByTestId('log-tail').textContent).toContain('step 50 loss=0.3');
  });

  it('labels the axes with formatted tick values', () => {
    mount();
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(50)), logTail: [] });
    const ticks = (title: string) => [...chart(title).querySelectorAll('text.recharts-cartesian-axis-tick-value')].map((t) => t.textContent);
    // Steps below (from the first to the last), metric values and counts (1,003 tokens/s) beside.
    expect(ticks('Loss')).toEqual(expect.arrayContaining(['1', '50']));
    expect(ticks('Tokens / s').some((t) => /^1,00\d$/.test(t ?? ''))).toBe(true);
    expect(ticks('Learning rate').some((t) => /e-|^0\.0/.test(t ?? ''))).toBe(true);
  });

  it('downsamples a 3k-step history to one drawn point per pixel of the plot but keeps every point in state', { timeout: 30_000 }, () => {
    mount();
    hostSends({ type: 'init', run: runSummary({ step: 3000, totalSteps: 3000 }), history: compactHistory(sampleHistory(3000)), logTail: [] });
    // The test DOM does not lay out: charts take the default width, 640 px, of which 564 are plot.
    const drawn = pathPoints(linePaths('Loss')[0]);
    expect(drawn).toBeGreaterThanOrEqual(pointsForWidth(640));
    expect(drawn).toBeLessThanOrEqual(pointsForWidth(640) + 2);
    expect(pointsForWidth(640)).toBe(564);
    const history = new RunHistory();
    history.add(sampleHistory(3000));
    expect(metricSeries(history, 'loss')).toHaveLength(3000);
  });

  it('adds live batches and ignores events it already has', () => {
    mount();
    const all = sampleHistory(30);
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(all.slice(0, 20)), logTail: [] });
    const before = pathPoints(linePaths('Loss')[0]);
    hostSends({ type: 'events', runId: 'run-1', history: compactHistory(all.slice(10)) });
    hostSends({ type: 'events', runId: 'run-1', history: compactHistory(all.slice(10)) });
    const after = pathPoints(linePaths('Loss')[0]);
    expect(after).toBe(30);
    expect(after).toBeGreaterThan(before);
  });

  it('draws a new point on the loss chart at once and brings the other charts up to date shortly after', async () => {
    mount();
    const all = sampleHistory(30);
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(all.slice(0, 20)), logTail: [] });
    hostSends({ type: 'events', runId: 'run-1', history: compactHistory(all.slice(20, 24)) });
    hostSends({ type: 'events', runId: 'run-1', history: compactHistory(all.slice(24)) });
    expect(pathPoints(linePaths('Loss')[0])).toBe(30);
    await waitFor(() => expect(pathPoints(linePaths('Learning rate')[0])).toBe(30), { timeout: 3000 });
    expect(pathPoints(linePaths('Tokens / s')[0])).toBe(30);
  });

  it('switches the loss chart to a log scale and remembers it', () => {
    const api = mount();
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(20)), logTail: [] });
    expect(chart('Loss').dataset.logScale).toBe('false');
    const box = screen.getByTestId('log-scale') as HTMLInputElement;
    box.checked = true;
    fireEvent(box, new Event('change', { bubbles: true }));
    expect(chart('Loss').dataset.logScale).toBe('true');
    expect(api.saved?.logScale).toBe(true);
  });

  it('drops non-positive values on a log axis only', () => {
    const points = [
      { x: 1, y: 0 },
      { x: 2, y: 0.5 },
      { x: 3, y: -1 },
    ];
    expect(displayPoints(points, true)).toEqual([{ x: 2, y: 0.5 }]);
    expect(displayPoints(points, false)).toHaveLength(3);
  });

  it('posts cancel, open-folder and show-log actions with request ids; resume only when allowed', async () => {
    const api = mount();
    hostSends({ type: 'init', run: runSummary({ canCancel: true, canResume: false }), history: compactHistory(sampleHistory(5)), logTail: [] });
    // The web components set their role once Lit has rendered them (a microtask later).
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open folder' }));
    fireEvent.click(screen.getByRole('button', { name: 'Show log' }));
    const actions = api.posted.filter((m) => m.type === 'action');
    expect(actions.map((m) => m.action)).toEqual(['cancel', 'openFolder', 'showLog']);
    expect(actions.every((m) => m.runId === 'run-1' && typeof m.requestId === 'string')).toBe(true);
    expect(new Set(actions.map((m) => m.requestId)).size).toBe(3);
  });

  it('shows an action the host could not carry out', async () => {
    const api = mount();
    hostSends({ type: 'init', run: runSummary(), history: compactHistory([]), logTail: [] });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    const request = lastPosted(api, 'action');
    hostSends({ type: 'actionResult', requestId: request?.requestId, ok: false, error: 'The host gpu-box is unreachable.' });
    expect(screen.getByRole('alert').textContent).toContain('gpu-box is unreachable');
  });

  it('restores the last run from getState after a reload and asks for that run', () => {
    const api = mount({ runId: 'run-1', run: runSummary({ name: 'restored run', step: 77 }), logScale: true });
    expect(api.posted[0]).toEqual({ type: 'ready', runId: 'run-1' });
    expect(screen.getByTestId('run-title').textContent).toBe('restored run');
    expect(screen.getByTestId('step-counter').textContent).toContain('77');
    expect((screen.getByTestId('log-scale') as HTMLInputElement).checked).toBe(true);
  });

  it('draws the compact history saved before a reload until the host replays it', () => {
    mount({ runId: 'run-1', run: runSummary(), logScale: false, history: savedForm(compactHistory(sampleHistory(40))) });
    expect(pathPoints(linePaths('Loss')[0])).toBe(40);
    expect(pathPoints(linePaths('Loss')[1])).toBe(4);
  });

  it('ignores a saved history of the wrong shape', () => {
    const broken = { ...compactHistory(sampleHistory(5)), metrics: { seq: [1], loss: ['x'] } };
    mount({ runId: 'run-1', run: runSummary(), logScale: false, history: broken as never });
    expect(screen.getByRole('region', { name: 'Loss' }).textContent).toContain('No data yet');
  });

  it('saves the history in its compact form, live events included, on a timer', () => {
    vi.useFakeTimers();
    try {
      const api = mount();
      const all = sampleHistory(30);
      hostSends({ type: 'init', run: runSummary(), history: compactHistory(all.slice(0, 20)), logTail: [] });
      hostSends({ type: 'events', runId: 'run-1', history: compactHistory(all.slice(20)) });
      expect(api.saved?.history).toBeUndefined();
      act(() => {
        vi.advanceTimersByTime(6000);
      });
      // The saved form (arrays), which setState's JSON keeps as it is.
      expect(JSON.parse(JSON.stringify(api.saved?.history))).toEqual(savedForm(compactHistory(all)));
      expect(api.saved?.runId).toBe('run-1');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows GPU charts only when the trainer reports GPU metrics', () => {
    mount();
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(10)), logTail: [] });
    expect(screen.queryByRole('region', { name: 'GPU utilisation (%)' })).toBeNull();
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(10, { gpu: true })), logTail: [] });
    expect(pathPoints(linePaths('GPU utilisation (%)')[0])).toBe(10);
    expect(pathPoints(linePaths('GPU memory (GB)')[0])).toBe(10);
  });

  it('shows the charts of preference metrics only for a run that reports them', { timeout: 30_000 }, () => {
    mount();
    const all = sampleHistory(30, { preference: true });
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(10)), logTail: [] });
    for (const title of ['Reward margin', 'Preference accuracy', 'Rewards', 'Log-probabilities', 'Log odds ratio (ORPO)']) {
      expect(screen.queryByRole('region', { name: title })).toBeNull();
    }
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(all.slice(0, 20)), logTail: [] });
    expect(pathPoints(linePaths('Reward margin')[0])).toBeGreaterThan(10);
    expect(linePaths('Rewards')).toHaveLength(2);
    // No ORPO fields in this (DPO-like) run: its charts stay hidden.
    expect(screen.queryByRole('region', { name: 'Log odds ratio (ORPO)' })).toBeNull();
  });

  it('reports a message that does not match the protocol instead of acting on it', () => {
    mount();
    hostSends({ type: 'events', runId: 'run-1', history: { ...compactHistory([]), others: [{ type: 'metrics', step: 'one' }] } });
    expect(screen.getByRole('alert').textContent).toMatch(/Invalid host->monitor message 'events'/);
  });

  it('warns when the projected cost passes the budget and shows the error hint of a failed run', () => {
    mount();
    const events = sampleHistory(3);
    events.push({ v: 1, seq: 100, ts: '2026-01-01T10:10:00Z', type: 'error', kind: 'oom', message: 'CUDA out of memory', hint: 'Lower batchSize to 2.' });
    hostSends({
      type: 'init',
      run: runSummary({ state: 'failed', cost: { soFarUsd: 0.9, projectedUsd: 1.4, budgetUsd: 1, pricePerGpuHour: 2 } }),
      history: compactHistory(events),
      logTail: [],
    });
    expect(screen.getByTestId('cost-projected').className).toContain('br-warning-text');
    expect(screen.getByTestId('run-error').textContent).toContain('Lower batchSize to 2.');
  });

  it('calls a run that waits in a queue queued, with the time it was submitted, and started once it leaves', () => {
    mount();
    const queued = 'queued on local: waiting for a run to end (1 of 1 running on this host), position 1';
    hostSends({ type: 'init', run: runSummary({ state: 'starting', queued }), history: compactHistory([]), logTail: [] });
    expect(screen.getByTestId('run-state').textContent).toBe('queued');
    expect(screen.getByTestId('run-queued').textContent).toContain('position 1');
    expect(screen.getByText(/^submitted /)).toBeTruthy();
    hostSends({ type: 'init', run: runSummary({ state: 'running', queued: null }), history: compactHistory([]), logTail: [] });
    expect(screen.getByTestId('run-state').textContent).toBe('running');
    expect(screen.queryByText(/^submitted /)).toBeNull();
    expect(screen.getByText(/^started /)).toBeTruthy();
  });
});
