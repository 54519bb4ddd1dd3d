// The compare panel against recording stand-ins of the editor: the selected runs with their configs and
// histories after `ready`, live events of runs still training, adding runs by picking them, opening a run's
// monitor, one panel whose selection is replaced, and the selection restored after a reload.
import { beforeEach, describe, expect, it } from 'vitest';
import { RunEvent } from '../../../src/contracts/events';
import { CompareHostMessage } from '../../../src/shared/compareProtocol';
import { COMMANDS } from '../../../src/vscode/commandIds';
import { COMPARE_VIEW_TYPE, ComparePanels } from '../../../src/vscode/panels/comparePanel';
import { FakePanel, FakePanels, RecordingCommands, RecordingLog, RecordingWindow, until } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

function metrics(seq: number): RunEvent {
  return RunEvent.parse({
    v: 1,
    seq,
    ts: '2026-11-01T08:00:00.000Z',
    type: 'metrics',
    step: seq,
    epoch: 0.1,
    loss: 2 / seq,
    learning_rate: 1e-4,
    tokens_per_s: 1000,
    samples_per_s: 10,
  });
}

type Shown = { runId: string; name: string | null; events: { seq: number }[] };
const shownRuns = (message: unknown) => (CompareHostMessage.parse(message) as unknown as { runs: Shown[] }).runs;

describe('compare panel', () => {
  let runs: InMemoryRuns;
  let window: RecordingWindow;
  let commands: RecordingCommands;
  let panels: FakePanels;
  let compare: ComparePanels;

  beforeEach(() => {
    runs = new InMemoryRuns();
    window = new RecordingWindow();
    commands = new RecordingCommands();
    panels = new FakePanels();
    compare = new ComparePanels({ runs, log: new RecordingLog(), window, commands, panels });
    runs.add({ id: 'a', config: { name: 'lr-1e-4' } }, [metrics(1), metrics(2)]);
    runs.add({ id: 'b', state: 'completed', config: { name: 'lr-3e-4' } }, [metrics(1)]);
    runs.add({ id: 'c', state: 'failed', config: { name: 'lr-1e-3' } });
  });

  async function ready(panel: FakePanel, runIds: string[] = []) {
    panel.send({ type: 'ready', runIds });
    await until(() => panel.ofType('init').length > 0, 'init');
    return shownRuns(panel.ofType('init')[0]);
  }

  it('shows the selected runs with their histories', async () => {
    compare.show(['a', 'b']);
    const [panel] = panels.created;
    expect(panel.viewType).toBe(COMPARE_VIEW_TYPE);
    expect(panel.bundle).toBe('compare');
    const shown = await ready(panel);
    expect(shown.map((run) => [run.runId, run.name, run.events.map((e) => e.seq)])).toEqual([
      ['a', 'lr-1e-4', [1, 2]],
      ['b', 'lr-3e-4', [1]],
    ]);
    expect(panel.title).toBe('Compare 2 runs');
  });

  it('streams new events of the compared runs', async () => {
    compare.show(['a', 'b']);
    const [panel] = panels.created;
    await ready(panel);
    runs.append('a', [metrics(3)]);
    const live = panel.ofType('events');
    expect(live).toHaveLength(1);
    expect(CompareHostMessage.safeParse(live[0]).success).toBe(true);
    expect(live[0]).toMatchObject({ runId: 'a' });
  });

  it('adds the runs the user picks, offering only those not shown', async () => {
    compare.show(['a', 'b']);
    const [panel] = panels.created;
    await ready(panel);
    window.pickMany = (items) => items;
    panel.send({ type: 'addRuns' });
    await until(() => panel.ofType('runs').length > 0, 'runs');
    expect((window.quickPicks.items[0] as { id: string }[]).map((item) => item.id)).toEqual(['c']);
    expect(shownRuns(panel.ofType('runs')[0]).map((run) => run.runId)).toEqual(['a', 'b', 'c']);
    expect(runs.followerCount('a')).toBe(1);
  });

  it('opens the monitor of a run shown', async () => {
    compare.show(['a', 'b']);
    const [panel] = panels.created;
    await ready(panel);
    panel.send({ type: 'openMonitor', runId: 'b' });
    await until(() => commands.executed.length > 0, 'a command');
    expect(commands.executed).toEqual([{ command: COMMANDS.openMonitor, args: ['b'] }]);
  });

  it('keeps one panel: comparing again replaces the selection', async () => {
    compare.show(['a', 'b']);
    const [panel] = panels.created;
    await ready(panel);
    compare.show(['b', 'c']);
    await until(() => panel.ofType('runs').length > 0, 'runs');
    expect(panels.created).toHaveLength(1);
    expect(panel.reveals).toBe(1);
    expect(shownRuns(panel.ofType('runs')[0]).map((run) => run.runId)).toEqual(['b', 'c']);
    expect(runs.followerCount('a')).toBe(0);
  });

  it('restores the selection after a window reload', async () => {
    const restored = new FakePanel(COMPARE_VIEW_TYPE, 'Compare');
    await compare.deserializeWebviewPanel(restored, { runIds: ['c', 'a', 42] });
    expect(panels.restored).toEqual([restored]);
    const shown = await ready(restored);
    expect(shown.map((run) => run.runId)).toEqual(['c', 'a']);
  });
});
