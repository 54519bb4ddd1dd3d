// The Spend panel against recording stand-ins of the editor: the report after `ready` (nothing before), a fresh
// one when runs change, the clock ticks or the budget changes, another month on request, one panel revealed
// again, the month restored after a reload, and the buttons' commands.
import { beforeEach, describe, expect, it } from 'vitest';
import { SpendHostMessage } from '../../../src/shared/spendProtocol';
import { COMMANDS } from '../../../src/vscode/commandIds';
import { SPEND_VIEW_TYPE, SpendPanels } from '../../../src/vscode/panels/spendPanel';
import type { SpendRun } from '../../../src/core/runs/spend';
import { FakePanel, FakePanels, RecordingCommands, RecordingLog, settle } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

const running: SpendRun = {
  id: 'r1',
  name: 'chat',
  host: 'gpu-box',
  project: 'support',
  state: 'running',
  gpus: 2,
  pricePerGpuHour: 3,
  attempts: [{ startedAt: '2026-12-03T10:00:00Z', endedAt: null }],
};
const november: SpendRun = { ...running, id: 'old', state: 'completed', attempts: [{ startedAt: '2026-11-10T00:00:00Z', endedAt: '2026-11-10T01:00:00Z' }] };

describe('spend panel', () => {
  let runs: InMemoryRuns;
  let panels: FakePanels;
  let commands: RecordingCommands;
  let now: Date;
  let budget: number;
  let tick: () => void;
  let budgetOpened: number;
  let spend: SpendPanels;
  /** Runs the refresh that run changes asked for (they are folded until then). */
  let flush: () => void;

  beforeEach(() => {
    runs = new InMemoryRuns();
    runs.spend = [running, november];
    panels = new FakePanels();
    commands = new RecordingCommands();
    now = new Date('2026-12-03T12:00:00Z');
    budget = 100;
    budgetOpened = 0;
    spend = new SpendPanels({
      runs,
      budgetUsd: () => budget,
      openBudgetSetting: () => void budgetOpened++,
      log: new RecordingLog(),
      commands,
      panels,
      now: () => now,
      every: (refresh) => {
        tick = refresh;
        return { dispose: () => (tick = () => {}) };
      },
      coalesce: (refresh) => {
        let requested = false;
        flush = () => {
          if (requested) refresh();
          requested = false;
        };
        return { request: () => void (requested = true), dispose: () => (flush = () => {}) };
      },
    });
  });

  const reports = (panel: FakePanel) => panel.ofType('report').map((m) => SpendHostMessage.parse(m));
  const lastReport = (panel: FakePanel) => reports(panel).at(-1)!.report;

  it("sends this month's report once the webview is ready, and again as runs and the clock go on", async () => {
    spend.show();
    const [panel] = panels.created;
    expect([panel.viewType, panel.bundle, panel.title]).toEqual([SPEND_VIEW_TYPE, 'spend', 'Spend']);
    runs.setSpend([running, november]);
    tick();
    expect(panel.posted).toEqual([]);
    panel.send({ type: 'ready', month: null });
    await settle();
    // 2 h on 2 GPUs at $3: $12 of a $100 budget.
    expect(reports(panel)[0].currentMonth).toBe('2026-12');
    expect(lastReport(panel)).toMatchObject({ month: '2026-12', total: { gpuHours: 4, costUsd: 12 }, budget: { share: 0.12, level: 'ok' } });
    now = new Date('2026-12-03T13:00:00Z');
    tick();
    expect(lastReport(panel).total.costUsd).toBe(18);
    // Run changes in a burst (events of a training run) are folded into one report.
    const sent = reports(panel).length;
    runs.setSpend([{ ...running, state: 'completed', attempts: [{ startedAt: '2026-12-03T10:00:00Z', endedAt: '2026-12-03T12:20:00Z' }] }, november]);
    runs.setSpend([{ ...running, state: 'completed', attempts: [{ startedAt: '2026-12-03T10:00:00Z', endedAt: '2026-12-03T12:30:00Z' }] }, november]);
    expect(reports(panel)).toHaveLength(sent);
    flush();
    expect(reports(panel)).toHaveLength(sent + 1);
    expect(lastReport(panel).total.costUsd).toBe(15);
    budget = 16;
    spend.refresh();
    expect(lastReport(panel).budget).toMatchObject({ level: 'warning' });
  });

  it('shows another month on request, and the month the webview kept after a reload', async () => {
    spend.show();
    const [panel] = panels.created;
    panel.send({ type: 'ready', month: null });
    panel.send({ type: 'showMonth', month: '2026-11' });
    await settle();
    expect(lastReport(panel)).toMatchObject({ month: '2026-11', total: { costUsd: 6 } });
    panel.dispose();

    const restored = new FakePanel(SPEND_VIEW_TYPE, 'Spend');
    await spend.deserializeWebviewPanel(restored, { month: '2026-11' });
    restored.send({ type: 'ready', month: '2026-11' });
    await settle();
    expect(panels.restored).toEqual([restored]);
    expect(lastReport(restored).month).toBe('2026-11');
    const broken = new FakePanel(SPEND_VIEW_TYPE, 'Spend');
    await spend.deserializeWebviewPanel(broken, { month: 'soon' });
    broken.send({ type: 'ready', month: null });
    await settle();
    expect(lastReport(broken).month).toBe('2026-12');
  });

  it('reveals the one panel instead of opening another, and runs the buttons', async () => {
    spend.show();
    spend.show();
    const [panel] = panels.created;
    expect(panels.created).toHaveLength(1);
    expect(panel.reveals).toBe(1);
    panel.send({ type: 'editBudget' });
    panel.send({ type: 'openMonitor', runId: 'r1' });
    panel.send({ type: 'showMonth', month: '2026-13' });
    await settle();
    expect(budgetOpened).toBe(1);
    expect(commands.executed).toEqual([{ command: COMMANDS.openMonitor, args: ['r1'] }]);
    // A malformed month is refused at the boundary: nothing is reported for it.
    expect(panel.ofType('report')).toEqual([]);
  });
});
