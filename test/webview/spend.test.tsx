// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { shiftMonth, SpendApp } from '../../webview/src/spend/App';
import type { SpendPersistedState } from '../../src/shared/spendProtocol';
import { spendMessage } from '../../webview/preview/spendScenario';
import { computeSpend } from '../../src/core/runs/spend';
import { hostSends, lastPosted, recordingApi } from './helpers';

afterEach(cleanup);

function mount(state?: SpendPersistedState) {
  const api = recordingApi<SpendPersistedState>(state);
  render(<SpendApp api={api} />);
  return api;
}

function rows(table: string): string[][] {
  const region = screen.getByRole('region', { name: table });
  return [...region.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
}

describe('spend panel', () => {
  it('asks for the month it showed before a reload, and this month otherwise', () => {
    expect(mount({ month: '2026-11' }).posted[0]).toEqual({ type: 'ready', month: '2026-11' });
    cleanup();
    expect(mount().posted[0]).toEqual({ type: 'ready', month: null });
  });

  it("shows the month's total, the budget bar at its share with the 80% warning, and days as bars", () => {
    mount();
    hostSends(spendMessage());
    expect(screen.getByTestId('total').textContent).toContain('$517.99 + unknown');
    expect(screen.getByTestId('total').textContent).toContain('201.83 GPU-hours · 35 runs');
    const budget = screen.getByTestId('budget');
    expect(budget.getAttribute('data-level')).toBe('warning');
    expect(within(budget).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('86');
    expect(within(budget).getByRole('status').textContent).toMatch(/has reached 80% of the monthly GPU budget: \$517\.99 of \$600\.00 \(86%\)/);
    expect(screen.getByTestId('unpriced').textContent).toMatch(/^20\.50 GPU-hours ran without a price/);
    // Two bars per day of the month so far (cost and GPU-hours), 18 days; days without runs draw none.
    const chart = screen.getByRole('region', { name: 'Spend per day' });
    expect(chart.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThan(0);
    expect(chart.querySelectorAll('.recharts-bar').length).toBe(2);
  });

  it('lists weeks, months, hosts, projects and runs with GPU-hours beside each cost, unknown cost said so', () => {
    mount();
    hostSends(spendMessage());
    expect(rows('Per ISO week')).toEqual([
      ['2026-W49', '12-01 – 12-06', '$169.97 + unknown', '67.00'],
      ['2026-W50', '12-07 – 12-13', '$181.62 + unknown', '69.00'],
      ['2026-W51', '12-14 – 12-18', '$166.41 + unknown', '65.83'],
    ]);
    expect(rows('Per month')).toEqual([
      ['December 2026', '$517.99 + unknown', '201.83'],
      ['November 2026', '$155.48', '52.00'],
    ]);
    expect(rows('Per host')).toEqual([
      ['h100-node', '12', '$476.41', '159.33'],
      ['a100-box', '12', '$41.58', '22.00'],
      ['local', '11', 'unknown', '20.50'],
    ]);
    expect(rows('Per project').map((r) => r[0])).toEqual(['support-bot', '(no project)', 'order-intent', 'code-review']);
    const runs = rows('Per run');
    expect(runs[0]).toEqual(['support-bot · Qwen2.5-7B · long context', 'h100-node', 'support-bot', '8', '$2.99', '$111.63', '37.33']);
    expect(runs.at(-1)).toEqual(['support-bot-7.1', 'local', 'support-bot', '1', 'none', 'unknown', '0.50']);
    expect(runs.find((r) => r[0].includes('(running)'))?.[0]).toBe('order-intent · DPO · Qwen2.5-1.5B(running)');
  });

  it('refreshes with each report the host sends (a running run grows)', () => {
    mount();
    hostSends(spendMessage());
    const later = spendMessage();
    later.report = computeSpend([], { now: new Date('2026-12-18T16:00:00Z'), budgetUsd: 600 });
    hostSends(later);
    expect(screen.getByTestId('total').textContent).toContain('$0.00');
    expect(screen.getByTestId('budget').getAttribute('data-level')).toBe('ok');
  });

  it('goes to the previous month and back, remembering the month shown', async () => {
    const api = mount();
    hostSends(spendMessage());
    fireEvent.click(await screen.findByRole('button', { name: 'Previous month' }));
    expect(lastPosted(api, 'showMonth')).toEqual({ type: 'showMonth', month: '2026-11' });
    expect(api.saved).toEqual({ month: '2026-11' });
    hostSends(spendMessage({ month: '2026-11' }));
    expect(screen.getByTestId('month').textContent).toBe('November 2026');
    expect(rows('Per run').map((r) => r[0])).toEqual(['support-bot baseline']);
    fireEvent.click(await screen.findByRole('button', { name: 'Next month' }));
    // The current month again: the panel follows the calendar from here on.
    expect(lastPosted(api, 'showMonth')).toEqual({ type: 'showMonth', month: null });
    expect(api.saved).toEqual({ month: null });
  });

  it('offers to set a budget when there is none, and opens a run monitor from its row', async () => {
    const api = mount();
    hostSends(spendMessage({ budgetUsd: 0 }));
    fireEvent.click(within(screen.getByTestId('budget')).getByText('Set a budget'));
    expect(lastPosted(api, 'editBudget')).toEqual({ type: 'editBudget' });
    fireEvent.click(await screen.findByRole('button', { name: 'Open monitor order-intent · DPO · Qwen2.5-1.5B' }));
    expect(lastPosted(api, 'openMonitor')).toEqual({ type: 'openMonitor', runId: '20261218-120000-feed01' });
  });

  it('shows a message it cannot read as a problem, not as a report', () => {
    mount();
    hostSends({ type: 'report', report: { v: 1 }, currentMonth: '2026-12' });
    expect(screen.getByText(/host->spend/)).toBeTruthy();
  });

  it('shifts months across years', () => {
    expect([shiftMonth('2026-01', -1), shiftMonth('2026-12', 1), shiftMonth('2026-06', 0)]).toEqual(['2025-12', '2027-01', '2026-06']);
  });
});
