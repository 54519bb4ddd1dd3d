// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { EvaluationApp } from '../../webview/src/evaluation/App';
import { MAX_DIFF_CELLS, wordDiff } from '../../webview/src/evaluation/wordDiff';
import { parseEvaluationHostMessage, type EvaluationPersistedState } from '../../src/shared/evaluationProtocol';
import { failingReport, sampleReport } from '../unit/evaluation/sampleReport';
import { hostSends, lastPosted, recordingApi } from './helpers';

afterEach(cleanup);

const run = { runId: '20260101-120000-abcdef', label: 'addition', host: 'local' };

function mount(state?: EvaluationPersistedState) {
  const api = recordingApi<EvaluationPersistedState>(state);
  render(<EvaluationApp api={api} />);
  return api;
}

describe('evaluation panel', () => {
  it('asks for the run it showed before a reload and remembers it', () => {
    const api = mount({ runId: 'r-1', onlyDifferent: true });
    expect(api.posted[0]).toEqual({ type: 'ready', runId: 'r-1' });
    hostSends({ type: 'init', run: { ...run, runId: 'r-2' }, report: null });
    expect(api.saved).toEqual({ runId: 'r-2', onlyDifferent: true });
    expect(screen.getByText(/has no evaluation yet/)).toBeTruthy();
  });

  it('shows the scorecard with the better side of each number marked', () => {
    mount();
    hostSends({ type: 'init', run, report: sampleReport() });
    const card = screen.getByTestId('scorecard');
    const row = (key: string) => card.querySelector(`tr[data-key="${key}"]`) as HTMLElement;
    expect(
      within(row('val_perplexity'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['559.08', '23.94', '-95.7%']);
    expect(row('val_perplexity').dataset.better).toBe('adapter');
    expect(
      within(row('token_f1'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['25.0%', '100.0%', '+75.0 pts']);
    expect(row('answer_length').dataset.better).toBe('none');
    expect(card.querySelector('tr[data-key="retention_perplexity"] th')?.textContent).toBe('General-text perplexity (42 paragraphs)');
  });

  it("shows a preference run's held-out accuracy and margin for base and adapter", () => {
    mount();
    const preference = {
      pairs: 8,
      base: { accuracy: 0.5, margin: -1.25 },
      adapter: { accuracy: 0.875, margin: 4.5 },
      reward: { accuracy: 0.875, margin: 5.75 },
    };
    hostSends({ type: 'init', run, report: { ...sampleReport(), preference } });
    const card = screen.getByTestId('scorecard');
    const cells = (key: string) =>
      within(card.querySelector(`tr[data-key="${key}"]`) as HTMLElement)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(card.querySelector('tr[data-key="preference_accuracy"] th')?.textContent).toBe('Preference accuracy (8 pairs)');
    expect(cells('preference_accuracy')).toEqual(['50.0%', '87.5%', '+37.5 pts']);
    expect(cells('preference_margin').slice(0, 2)).toEqual(['-1.25', '4.50']);
    expect(card.querySelector('tr[data-key="preference_margin"]')?.getAttribute('data-better')).toBe('adapter');
    expect(cells('reward_margin')[1]).toBe('5.75');
  });

  it('lists each gate with its outcome and says which failed', () => {
    mount();
    hostSends({ type: 'init', run, report: failingReport() });
    expect(screen.getByTestId('gates-summary').textContent).toContain('1 of 2 quality gates failed: maxRetentionIncreasePct.');
    const gate = screen.getByTestId('gates').querySelector('[data-gate="maxRetentionIncreasePct"]') as HTMLElement;
    expect(gate.dataset.passed).toBe('false');
    expect(gate.textContent).toContain('20.01 > 10.00');
    expect(screen.getByTestId('scorecard').querySelector('tr[data-key="retention_perplexity"]')?.getAttribute('data-better')).toBe('base');
  });

  it('puts the answers side by side with the words that differ highlighted', () => {
    mount();
    hostSends({ type: 'init', run, report: sampleReport() });
    const first = screen.getByTestId('answer-0');
    expect(first.textContent).toContain('What is 2 plus 3?');
    expect(first.textContent).toContain('System: You add numbers.');
    expect(within(first).getByTestId('adapter-answer').textContent).toBe('2 plus 3 is 5.');
    expect([...within(first).getByTestId('adapter-answer').querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['2 plus 3 is 5.']);
    expect(first.textContent).toContain('F1 100%');
    const json = screen.getByTestId('answer-1');
    expect(json.textContent).toContain('valid JSON');
    expect(json.textContent).toContain('invalid JSON');
  });

  it('can show only the prompts answered differently, and keeps that choice', async () => {
    const report = sampleReport();
    const same = { ...report.prompts.items[2], base: 'hello', adapter: 'hello' };
    const api = mount();
    hostSends({ type: 'init', run, report: { ...report, prompts: { ...report.prompts, items: [report.prompts.items[0], same] } } });
    expect(screen.getByTestId('answer-1').dataset.same).toBe('true');
    (screen.getByTestId('only-different') as HTMLInputElement).checked = true;
    fireEvent(screen.getByTestId('only-different'), new Event('change', { bubbles: true }));
    expect(screen.queryByTestId('answer-1')).toBeNull();
    expect(screen.getByTestId('answer-0')).toBeTruthy();
    expect(api.saved?.onlyDifferent).toBe(true);
  });

  it('asks the host to save the report and to evaluate again, and shows progress and failures', async () => {
    const api = mount();
    hostSends({ type: 'init', run, report: sampleReport() });
    fireEvent.click(await screen.findByRole('button', { name: /Save as JSON/ }));
    expect(lastPosted(api, 'export')).toEqual({ type: 'export', format: 'json' });
    fireEvent.click(await screen.findByRole('button', { name: /Save as Markdown/ }));
    expect(lastPosted(api, 'export')).toEqual({ type: 'export', format: 'markdown' });
    fireEvent.click(await screen.findByRole('button', { name: /Evaluate again/ }));
    expect(lastPosted(api, 'evaluateAgain')).toEqual({ type: 'evaluateAgain' });
    hostSends({ type: 'evaluating', message: 'answering prompts' });
    expect(screen.getByTestId('busy').textContent).toContain('Evaluating on local: answering prompts');
    hostSends({ type: 'failed', error: 'out of memory' });
    expect(screen.queryByTestId('busy')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('The evaluation failed: out of memory');
    hostSends({ type: 'exported', path: '/work/r-eval.json' });
    expect(screen.getByText('Saved to /work/r-eval.json')).toBeTruthy();
    hostSends({ type: 'evaluating', message: 'answering prompts' });
    hostSends({ type: 'init', run, report: sampleReport({ wall_s: 9 }) });
    expect(screen.queryByTestId('busy')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reports a malformed host message instead of acting on it', () => {
    mount();
    hostSends({ type: 'init', run, report: { ...sampleReport(), base: { loss: 'low' } } });
    expect(screen.getByRole('alert').textContent).toMatch(/Invalid host->evaluation message 'init': report\.base/);
    expect(parseEvaluationHostMessage({ type: 'report', report: sampleReport() }).ok).toBe(true);
  });
});

describe('word diff of two answers', () => {
  it('marks the words only one side has, keeping the text intact', () => {
    const { left, right } = wordDiff('the sum is 7', 'the sum is 8 exactly');
    expect(left.map((p) => p.text).join('')).toBe('the sum is 7');
    expect(right.map((p) => p.text).join('')).toBe('the sum is 8 exactly');
    expect(left.filter((p) => p.kind === 'changed').map((p) => p.text)).toEqual(['7']);
    expect(right.filter((p) => p.kind === 'changed').map((p) => p.text)).toEqual(['8 exactly']);
  });

  it('treats equal answers as the same and empty ones as nothing', () => {
    expect(wordDiff('a b', 'a b').right).toEqual([{ text: 'a b', kind: 'same' }]);
    expect(wordDiff('', 'x')).toEqual({ left: [], right: [{ text: 'x', kind: 'changed' }] });
  });

  it('shows very long answers whole rather than building a huge table', () => {
    const long = Array.from({ length: Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) + 1 }, (_, i) => `w${i}`).join(' ');
    expect(wordDiff(long, `${long} more`).right).toEqual([{ text: `${long} more`, kind: 'same' }]);
  });
});
