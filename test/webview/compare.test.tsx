// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { CompareApp, type CompareViewState } from '../../webview/src/compare/App';
import { configDiff } from '../../webview/src/compare/configDiff';
import { compareRuns } from '../../webview/preview/scenarios';
import { hostSends, pathEndX, pathPoints, recordingApi } from './helpers';
import { sampleHistory } from './fixtures';
import { failingReport, sampleReport } from '../unit/evaluation/sampleReport';

afterEach(cleanup);

function mount(state?: CompareViewState) {
  const api = recordingApi<CompareViewState>(state);
  render(<CompareApp api={api} />);
  return api;
}

function lines(title: string): Element[] {
  return [...screen.getByRole('region', { name: title }).querySelectorAll('path.recharts-line-curve')];
}

describe('compare panel', () => {
  it('asks for the runs it showed before a reload', () => {
    const api = mount({ runIds: ['a', 'b'], xAxis: 'tokens', logScale: false, onlyDifferences: false });
    expect(api.posted[0]).toEqual({ type: 'ready', runIds: ['a', 'b'] });
  });

  it('overlays one train and one eval curve per run', () => {
    mount();
    hostSends({ type: 'init', runs: compareRuns() });
    expect(lines('Train loss').map(pathPoints)).toEqual([400, 400, 400]);
    expect(lines('Eval loss').map(pathPoints)).toEqual([10, 10, 10]);
  });

  it('overlays the preference metrics of the runs that report them, and shows no such chart otherwise', { timeout: 30_000 }, () => {
    mount();
    const base = { name: null, host: 'local', state: 'completed', config: {}, costUsd: null };
    hostSends({
      type: 'init',
      runs: [
        { ...base, runId: 'sft', events: sampleHistory(20) },
        { ...base, runId: 'dpo', events: sampleHistory(20, { preference: true }) },
      ],
    });
    expect(lines('Reward margin').map(pathPoints)).toEqual([20]);
    expect(lines('Preference accuracy').map(pathPoints)).toEqual([20]);
    hostSends({
      type: 'init',
      runs: [
        { ...base, runId: 'sft', events: sampleHistory(20) },
        { ...base, runId: 'sft2', events: sampleHistory(20) },
      ],
    });
    expect(screen.queryByRole('region', { name: 'Reward margin' })).toBeNull();
    expect(lines('Learning rate').map(pathPoints)).toEqual([20, 20]);
  });

  it('aligns the curves by tokens seen on request and remembers the choice', async () => {
    const api = mount();
    // Same steps, but the second run sees twice the tokens per step (longer examples).
    const base = { name: null, host: 'local', state: 'completed', config: {}, costUsd: null };
    hostSends({
      type: 'init',
      runs: [
        { ...base, runId: 'short', events: sampleHistory(50, { tokensPerStep: 500 }) },
        { ...base, runId: 'long', events: sampleHistory(50, { tokensPerStep: 1000 }) },
      ],
    });
    const [short, long] = lines('Train loss').map(pathEndX);
    expect(short).toBeCloseTo(long, 0);
    fireEvent.click(await screen.findByRole('button', { name: /Tokens seen/ }));
    const [shortByTokens, longByTokens] = lines('Train loss').map(pathEndX);
    expect(shortByTokens).toBeLessThan(longByTokens * 0.6);
    expect(api.saved?.xAxis).toBe('tokens');
  });

  it('highlights the hyper-parameters that differ and can hide the rest', () => {
    mount();
    hostSends({ type: 'init', runs: compareRuns() });
    const diff = screen.getByTestId('diff');
    const row = (key: string) => diff.querySelector(`tr[data-key="${key}"]`);
    expect(row('lora.r')?.className).toBe('br-differs');
    expect(row('learning_rate')?.className).toBe('br-differs');
    expect(row('seed')?.className).toBe('');
    expect(row('run_id')).toBeNull();
    const box = screen.getByTestId('only-differences') as HTMLInputElement;
    box.checked = true;
    fireEvent(box, new Event('change', { bubbles: true }));
    expect(row('seed')).toBeNull();
    expect(row('lora.alpha')).not.toBeNull();
  });

  it('shows final metrics and cost side by side and marks the best eval loss', () => {
    mount();
    hostSends({ type: 'init', runs: compareRuns() });
    const results = screen.getByTestId('results');
    const costRow = within(results).getByText('Cost').closest('tr');
    expect([...(costRow?.querySelectorAll('td') ?? [])].map((td) => td.textContent)).toEqual(['$0.61', '$0.78', '$0.52']);
    expect(results.querySelectorAll('[aria-label="best"]')).toHaveLength(1);
  });

  it('shows the evaluation numbers of the runs that have a report', () => {
    mount();
    const [a, b, c] = compareRuns();
    hostSends({ type: 'init', runs: [{ ...a, evaluation: sampleReport() }, { ...b, evaluation: failingReport() }, c] });
    const results = screen.getByTestId('results');
    const cells = (label: string) => [...(within(results).getByText(label).closest('tr')?.querySelectorAll('td') ?? [])].map((td) => td.textContent);
    expect(cells('Eval: validation perplexity')).toEqual(['23.94 (base 559.08)', '23.94 (base 559.08)', '—']);
    expect(cells('Eval: general-text perplexity')).toEqual(['568.76 (base 591.80)', '710.20 (base 591.80)', '—']);
    expect(cells('Eval: token F1')).toEqual(['100.0% (base 25.0%)', '100.0% (base 25.0%)', '—']);
    expect(cells('Eval: quality gates')).toEqual(['2 passed', '1 of 2 failed', '—']);
    expect(results.querySelectorAll('[data-eval="retention_perplexity"] [aria-label="worse than base"]')).toHaveLength(1);
  });

  it('has no evaluation rows when no run has a report', () => {
    mount();
    hostSends({ type: 'init', runs: compareRuns() });
    expect(within(screen.getByTestId('results')).queryByText('Eval: token F1')).toBeNull();
  });

  it('posts open-monitor, remove and add requests', async () => {
    const api = mount();
    hostSends({ type: 'init', runs: compareRuns() });
    fireEvent.click(await screen.findByRole('button', { name: 'Open monitor support-r64-lr3e-4' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove support-r8-lr1e-4' }));
    fireEvent.click(screen.getByRole('button', { name: /Add runs/ }));
    expect(api.posted.slice(1)).toEqual([
      { type: 'openMonitor', runId: 'support-r64-lr3e-4' },
      { type: 'removeRun', runId: 'support-r8-lr1e-4' },
      { type: 'addRuns' },
    ]);
  });

  it('extends a run that is still training', () => {
    mount();
    const history = sampleHistory(40);
    const base = { name: null, host: 'local', config: {}, costUsd: null };
    hostSends({
      type: 'init',
      runs: [
        { ...base, runId: 'live', state: 'running', events: history.slice(0, 20) },
        { ...base, runId: 'done', state: 'completed', events: sampleHistory(10) },
      ],
    });
    expect(pathPoints(lines('Train loss')[0])).toBeLessThan(20);
    hostSends({ type: 'events', runId: 'live', events: history.slice(20) });
    expect(pathPoints(lines('Train loss')[0])).toBe(40);
  });
});

describe('config diff', () => {
  it('flattens nested settings and marks keys missing in one run', () => {
    const rows = configDiff([{ lora: { r: 8, target_modules: ['q', 'v'] } }, { lora: { r: 8 }, packing: true }]);
    expect(rows).toEqual([
      { key: 'lora.r', values: ['8', '8'], differs: false },
      { key: 'lora.target_modules', values: ['q, v', '(not set)'], differs: true },
      { key: 'packing', values: ['(not set)', 'true'], differs: true },
    ]);
  });
});
