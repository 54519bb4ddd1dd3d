// The monthly budget in the status bar and its notifications, against recording stand-ins: nothing without a
// budget, the spend with a warning background from 80% and an error one from 100%, one notification per
// threshold per month that a reload (a new watcher on the same stored state) does not repeat, and a new month
// that starts over.
import { beforeEach, describe, expect, it } from 'vitest';
import { BUDGET_ALERTS_KEY, BudgetWatch, CHANGE_BUDGET, SHOW_SPEND } from '../../../src/vscode/spend/budgetWatch';
import type { StatusItemApi, StatusItemState } from '../../../src/vscode/api/statusBar';
import type { SpendRun } from '../../../src/core/runs/spend';
import { COMMANDS } from '../../../src/vscode/commandIds';
import { readMonthlyBudgetUsd } from '../../../src/vscode/settings';
import { RecordingWindow, settle } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

class RecordingItem implements StatusItemApi {
  state: StatusItemState | null | undefined;
  disposed = false;
  show(state: StatusItemState | null): void {
    this.state = state;
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** A run on 1 GPU at $10/h from 00:00 on `day` of December 2026, still running. */
function runFrom(day: string): SpendRun {
  return {
    id: `r-${day}`,
    name: null,
    host: 'local',
    project: null,
    state: 'running',
    gpus: 1,
    pricePerGpuHour: 10,
    attempts: [{ startedAt: `${day}T00:00:00Z`, endedAt: null }],
  };
}

describe('budget watch', () => {
  let runs: InMemoryRuns;
  let window: RecordingWindow;
  let stored: Map<string, unknown>;
  let now: Date;
  let budget: number;
  let shown: string[];

  beforeEach(() => {
    runs = new InMemoryRuns();
    runs.spend = [runFrom('2026-12-03')];
    window = new RecordingWindow();
    stored = new Map();
    now = new Date('2026-12-03T05:00:00Z'); // $50 so far
    budget = 100;
    shown = [];
  });

  function watch(item = new RecordingItem()) {
    const watcher = new BudgetWatch({
      runs,
      budgetUsd: () => budget,
      state: { get: (key) => stored.get(key), update: (key, value) => Promise.resolve(void stored.set(key, value)) },
      window,
      item,
      showSpend: () => shown.push('spend'),
      openBudgetSetting: () => shown.push('setting'),
      now: () => now,
      every: () => ({ dispose: () => {} }),
      // Run changes refresh at once here; the folding itself is tested in coalesce.test.ts.
      coalesce: (refresh) => ({ request: refresh, dispose: () => {} }),
    });
    return { watcher, item };
  }

  it('shows nothing without a budget', () => {
    budget = 0;
    const { item } = watch();
    expect(item.state).toBeNull();
    expect(window.messages).toEqual([]);
  });

  it("shows the month's spend against the budget, warning from 80% and over at 100%", () => {
    const { watcher, item } = watch();
    expect(item.state).toEqual({
      text: '$(credit-card) $50.00 / $100.00',
      tooltip: expect.stringContaining('GPU spend this month: $50.00 of $100.00 (50%)') as string,
      command: COMMANDS.showSpend,
      background: null,
    });
    now = new Date('2026-12-03T08:00:00Z');
    watcher.refresh();
    expect(item.state).toMatchObject({ text: '$(credit-card) $80.00 / $100.00', background: 'warning' });
    now = new Date('2026-12-03T10:00:00Z');
    watcher.refresh();
    expect(item.state).toMatchObject({ background: 'error' });
    watcher.dispose();
    expect(item.disposed).toBe(true);
  });

  it('notifies once per threshold per month, also across a reload, and again in a new month', async () => {
    const first = watch().watcher;
    expect(window.messages).toEqual([]);
    now = new Date('2026-12-03T08:30:00Z');
    runs.setSpend(runs.spend); // a run change recomputes
    expect(window.texts('warning')).toEqual([
      expect.stringMatching(/^BrightRun: GPU spend for December 2026 has reached 80% of the monthly GPU budget: \$85\.00 of \$100\.00 \(85%\)/),
    ]);
    expect(window.messages[0].items).toEqual([SHOW_SPEND, CHANGE_BUDGET]);
    first.refresh();
    first.dispose();
    // A reload: a new watcher on the same stored state says nothing new at the same level.
    const second = watch().watcher;
    expect(window.messages).toHaveLength(1);
    now = new Date('2026-12-03T11:00:00Z');
    second.refresh();
    second.refresh();
    expect(window.texts('warning')).toHaveLength(2);
    expect(window.texts('warning')[1]).toMatch(/is over the monthly GPU budget: \$110\.00 of \$100\.00 \(110%\)/);
    expect(stored.get(BUDGET_ALERTS_KEY)).toEqual({ month: '2026-12', announced: ['warning', 'exceeded'] });
    // January: a run of its own passes 100% at once; only that is said.
    runs.spend = [runFrom('2027-01-01')];
    now = new Date('2027-01-01T12:00:00Z');
    second.refresh();
    expect(window.texts('warning')).toHaveLength(3);
    expect(window.texts('warning')[2]).toMatch(/January 2027 is over the monthly GPU budget/);
    expect(stored.get(BUDGET_ALERTS_KEY)).toEqual({ month: '2027-01', announced: ['warning', 'exceeded'] });
    await settle();
  });

  it("answers the notification's buttons", async () => {
    now = new Date('2026-12-03T09:00:00Z');
    window.messageAnswers.push(SHOW_SPEND);
    watch();
    await settle();
    stored.clear();
    window.messageAnswers.push(CHANGE_BUDGET);
    watch();
    await settle();
    expect(shown).toEqual(['spend', 'setting']);
  });
});

describe('the monthly budget setting', () => {
  const source = (value: unknown) => ({ get: <T>(key: string) => (key === 'spend.monthlyBudgetUsd' ? (value as T) : undefined) });

  it('reads a number of USD, 0 or unset as no budget, and reports a bad value once in words', () => {
    expect(readMonthlyBudgetUsd(source(250))).toEqual({ value: 250, problems: [] });
    expect(readMonthlyBudgetUsd(source(undefined))).toEqual({ value: 0, problems: [] });
    expect(readMonthlyBudgetUsd(source(-1))).toEqual({ value: 0, problems: [expect.stringMatching(/monthlyBudgetUsd must be a number of USD, 0 or more/)] });
    expect(readMonthlyBudgetUsd(source('500')).value).toBe(0);
  });
});
