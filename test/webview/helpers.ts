// What a panel test needs around the real component: a recording stand-in for the VS Code api object (the only
// thing the panels get from the editor) and a way to deliver a host message as VS Code does (window message).
import { act } from '@testing-library/react';
import type { MetricField } from '../../src/contracts/events';
import type { Point } from '../../webview/src/common/lttb';
import type { RunHistory, XAxisKind } from '../../webview/src/common/runHistory';
import type { VsCodeApi } from '../../webview/src/common/vscodeApi';

export interface RecordingApi<S> extends VsCodeApi<S> {
  posted: Record<string, unknown>[];
  saved: S | undefined;
}

export function recordingApi<S>(initialState?: S): RecordingApi<S> {
  const api: RecordingApi<S> = {
    posted: [],
    saved: initialState,
    postMessage(message: unknown) {
      api.posted.push(message as Record<string, unknown>);
    },
    getState() {
      return api.saved;
    },
    // Returns the state as VS Code's does, so a component that leaks the result (e.g. as an effect cleanup) fails here.
    setState(state: S) {
      api.saved = state;
      return state;
    },
  };
  return api;
}

export function hostSends(data: unknown): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data }));
  });
}

/** Points drawn by a recharts line: its SVG path has one M and then one L per further point. */
export function pathPoints(path: Element | null): number {
  const d = path?.getAttribute('d') ?? '';
  return d === '' ? 0 : (d.match(/[ML]/g) ?? []).length;
}

export function lastPosted(api: RecordingApi<unknown>, type: string): Record<string, unknown> | undefined {
  return [...api.posted].reverse().find((m) => m.type === type);
}

/** The x pixel of the last point of a recharts line. */
export function pathEndX(path: Element | null): number {
  const d = path?.getAttribute('d') ?? '';
  const last =
    d
      .split(/[ML]/)
      .filter((part) => part !== '')
      .pop() ?? '';
  return Number(last.split(',')[0]);
}

/** One metric of a history as points (a copy of what the charts take as columns). */
export function metricSeries(history: RunHistory, key: MetricField, x: XAxisKind = 'step'): Point[] {
  const { xs, ys } = history.seriesColumns(key, x);
  return Array.from(ys, (y, i) => ({ x: xs[i], y }));
}
