// @vitest-environment jsdom
// Compare with the runs of a sweep: the best run by the sweep's metric is starred in the legend and the table
// headers, and the results table gives each run's value and rank.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { CompareApp, type CompareViewState } from '../../webview/src/compare/App';
import type { CompareRun, CompareSweepMark } from '../../src/shared/compareProtocol';
import { hostSends, recordingApi } from './helpers';
import { sampleHistory } from './fixtures';

afterEach(cleanup);

const mark = (overrides: Partial<CompareSweepMark>): CompareSweepMark => ({
  id: 'sweep-20261203-101500-abcdef',
  name: 'lr search',
  metric: 'eval_loss',
  goal: 'min',
  value: null,
  rank: null,
  best: false,
  ...overrides,
});

function sweepRun(runId: string, name: string, sweep: CompareSweepMark | null, state: CompareRun['state'] = 'completed'): CompareRun {
  return { runId, name, host: 'local', state, config: { learning_rate: 1e-4 }, events: sampleHistory(10), costUsd: null, sweep };
}

function mountWith(runs: CompareRun[]) {
  render(<CompareApp api={recordingApi<CompareViewState>()} />);
  hostSends({ type: 'init', runs });
}

describe('compare panel with the runs of a sweep', () => {
  it('stars the best run in the legend and in both table headers, naming the metric it is best by', () => {
    mountWith([
      sweepRun('a', 'lr search lr=1e-4', mark({ value: 1.42, rank: 2 })),
      sweepRun('b', 'lr search lr=3e-4', mark({ value: 1.2345, rank: 1, best: true })),
      sweepRun('c', 'lr search lr=1e-3', mark({}), 'cancelled'),
    ]);
    const marks = screen.getAllByTestId('best-mark');
    expect(marks).toHaveLength(3); // legend, results header, hyper-parameter header
    for (const star of marks) expect(star.getAttribute('title')).toBe('Best run of sweep lr search: lowest eval_loss (1.234)');
    expect(within(screen.getByTestId('run-b')).getByTestId('best-mark')).toBeTruthy();
    expect(within(screen.getByTestId('run-a')).queryByTestId('best-mark')).toBeNull();
    const header = within(screen.getByTestId('results')).getAllByRole('columnheader');
    expect(header.map((th) => th.textContent?.trim())).toEqual(['', 'lr search lr=1e-4', 'lr search lr=3e-4 best', 'lr search lr=1e-3']);
  });

  it("gives each run's value of the sweep's metric and its rank; a run that did not complete has none", () => {
    mountWith([
      sweepRun('a', 'x lr=1e-4', mark({ metric: 'token_f1', goal: 'max', value: 0.61, rank: 1, best: true })),
      sweepRun('b', 'x lr=3e-4', mark({ metric: 'token_f1', goal: 'max', value: 0.4, rank: 2 })),
      sweepRun('c', 'x lr=1e-3', mark({ metric: 'token_f1', goal: 'max' }), 'failed'),
      sweepRun('d', 'single run', null),
    ]);
    const row = within(screen.getByTestId('results')).getByRole('rowheader', { name: 'Sweep: token_f1' }).closest('tr')!;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['0.61 #1', '0.4 #2', '— (failed)', '—']);
    expect(screen.getAllByTestId('best-mark')[0].getAttribute('title')).toBe('Best run of sweep lr search: highest token_f1 (0.61)');
  });

  it('marks nothing for runs that are not of a sweep', () => {
    mountWith([sweepRun('a', 'one', null), sweepRun('b', 'two', null)]);
    expect(screen.queryAllByTestId('best-mark')).toEqual([]);
    expect(within(screen.getByTestId('results')).queryByRole('rowheader', { name: /^Sweep:/ })).toBeNull();
  });
});
