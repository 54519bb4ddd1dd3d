// @vitest-environment jsdom
// Automatic restarts on the loss chart: a marker at the step each attempt resumed from, saying why.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { MonitorApp, type MonitorViewState } from '../../webview/src/monitor/App';
import { compactHistory } from '../../src/shared/monitorHistory';
import type { RunEvent } from '../../src/contracts/events';
import { hostSends, recordingApi } from './helpers';
import { runSummary, sampleHistory } from './fixtures';

afterEach(cleanup);

/** The loss chart's marker lines, and the labels drawn for them. */
function lossMarkers(): { lines: number; labels: string[] } {
  const loss = screen.getByRole('region', { name: 'Loss' });
  const labels = [...loss.querySelectorAll('text')].map((t) => t.textContent ?? '').filter((t) => t.startsWith('attempt'));
  return { lines: loss.querySelectorAll('.recharts-reference-line').length, labels };
}

describe('monitor: automatic recovery', () => {
  it('marks where an out-of-memory restart resumed, and the curve goes on from there', () => {
    render(<MonitorApp api={recordingApi<MonitorViewState>()} />);
    const first = sampleHistory(8);
    let seq = first.at(-1)!.seq;
    const ts = '2026-01-01T10:04:00.000Z';
    first.push(
      { v: 1, seq: ++seq, ts, type: 'error', kind: 'oom', message: 'OutOfMemoryError: CUDA out of memory' },
      { v: 1, seq: ++seq, ts, type: 'done', state: 'failed', adapter: null, summary: { steps: 8, total_tokens: 0, wall_s: 1, tokens_per_s: 0 } },
    );
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(first), logTail: [] });
    expect(lossMarkers()).toEqual({ lines: 0, labels: [] });
    expect(screen.getByTestId('run-error').textContent).toContain('Out of memory');
    const restart: RunEvent = {
      v: 1,
      seq: seq + 1,
      ts: '2026-01-01T10:05:00.000Z',
      type: 'attempt',
      number: 2,
      reason: 'oom',
      message: 'Attempt 2: ran out of memory at micro-batch 4; restarted with micro-batch 2.',
      from_step: 4,
      changes: [{ setting: 'batch_size', from: 4, to: 2 }],
    };
    const resumed = sampleHistory(8, { startSeq: seq + 2 }).map((e) => (e.type === 'plan' ? { ...e, resumed_from_step: 4 } : e));
    hostSends({ type: 'events', runId: 'run-1', history: compactHistory([restart, ...resumed.filter((e) => e.type !== 'metrics' || e.step > 4)]) });
    expect(lossMarkers()).toEqual({ lines: 1, labels: ['attempt 2: out of memory'] });
    // The failed attempt's error is not the restarted run's outcome.
    expect(screen.queryByTestId('run-error')).toBeNull();
  });
});
