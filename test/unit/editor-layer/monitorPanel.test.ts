// The monitor panel against recording stand-ins of the editor: opening a monitor, the history sent after
// `ready`, live events after it, re-attaching after a reload through the serializer, and no event twice.
import { beforeEach, describe, expect, it } from 'vitest';
import { RunEvent } from '../../../src/contracts/events';
import { MonitorHostMessage } from '../../../src/shared/monitorProtocol';
import { COMMANDS } from '../../../src/vscode/commandIds';
import { MONITOR_VIEW_TYPE, MonitorPanels } from '../../../src/vscode/panels/monitorPanel';
import { FakePanel, FakePanels, RecordingCommands, RecordingLog, RecordingWindow, settle } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

function metrics(seq: number): RunEvent {
  return RunEvent.parse({
    v: 1,
    seq,
    ts: new Date(Date.UTC(2026, 10, 1, 8, 0, seq)).toISOString(),
    type: 'metrics',
    step: seq,
    epoch: seq / 100,
    loss: 2 / seq,
    learning_rate: 1e-4,
    tokens_per_s: 1000,
    samples_per_s: 10,
  });
}
function logEvent(seq: number): RunEvent {
  return RunEvent.parse({ v: 1, seq, ts: new Date(Date.UTC(2026, 10, 1, 8, 0, seq)).toISOString(), type: 'log', level: 'info', message: `line ${seq}` });
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The seqs a history (compact columns, or a plain event list) carries. */
function seqsOfHistory(history: { metrics: { seq: number[] }; evals: { seq: number[] }; others: { seq: number }[] }): number[] {
  return [...history.metrics.seq, ...history.evals.seq, ...history.others.map((e) => e.seq)];
}
function seqsOf(message: unknown): number[] {
  const m = message as { events?: { seq: number }[]; history?: Parameters<typeof seqsOfHistory>[0] };
  return m.events ? m.events.map((e) => e.seq) : seqsOfHistory(m.history!);
}
/** Every seq the panel received, in order: init's history, then each events batch. */
function delivered(panel: FakePanel): number[] {
  return panel.posted
    .filter((m) => ['init', 'events'].includes((m as { type: string }).type))
    .flatMap(seqsOf)
    .sort((a, b) => a - b);
}

describe('monitor panel', () => {
  let runs: InMemoryRuns;
  let window: RecordingWindow;
  let commands: RecordingCommands;
  let log: RecordingLog;
  let panels: FakePanels;
  let monitors: MonitorPanels;

  beforeEach(() => {
    runs = new InMemoryRuns();
    window = new RecordingWindow();
    commands = new RecordingCommands();
    log = new RecordingLog();
    panels = new FakePanels();
    monitors = new MonitorPanels({ runs, log, window, commands, panels });
    runs.add({ id: 'r1', config: { name: 'tiny-sft' } }, [...range(1, 3).map(metrics), logEvent(4)]);
    runs.logs.set('r1', ['starting', 'step 3']);
  });

  it('opens a panel on the monitor bundle and sends nothing before the webview is ready', () => {
    monitors.show('r1');
    expect(panels.created).toHaveLength(1);
    const [panel] = panels.created;
    expect(panel.viewType).toBe(MONITOR_VIEW_TYPE);
    expect(panel.bundle).toBe('monitor');
    expect(panel.title).toBe('Monitor: tiny-sft');
    expect(panel.posted).toEqual([]);
  });

  it('answers ready with the summary, the whole history and the log tail, then streams new events', async () => {
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'ready', runId: null });
    await settle();
    expect(panel.posted).toHaveLength(1);
    const init = MonitorHostMessage.parse(panel.posted[0]);
    if (init.type !== 'init') throw new Error(`expected init, got ${init.type}`);
    expect(init.run.runId).toBe('r1');
    expect(seqsOf(init)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(seqsOf(init)).toHaveLength(4);
    expect(init.logTail).toEqual(['starting', 'step 3']);

    runs.append('r1', [metrics(5), metrics(6)]);
    const live = panel.ofType('events');
    expect(live).toHaveLength(1);
    expect(MonitorHostMessage.safeParse(live[0]).success).toBe(true);
    expect(seqsOf(live[0])).toEqual([5, 6]);
  });

  it('sends events that arrive while the history is read once, after init', async () => {
    let release!: () => void;
    runs.historyGate = new Promise((resolve) => (release = resolve));
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'ready', runId: null });
    await settle();
    runs.append('r1', [metrics(5)]);
    expect(panel.posted).toEqual([]);
    release();
    await settle();
    expect(panel.posted.map((m) => (m as { type: string }).type)).toEqual(['init', 'events']);
    expect(delivered(panel)).toEqual(range(1, 5));
  });

  it('does not send an event twice when the history read already has it', async () => {
    let release!: () => void;
    runs.historyGate = new Promise((resolve) => (release = resolve));
    runs.historyReadsLate = true;
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'ready', runId: null });
    await settle();
    // Delivered live while the read is pending, and also in the history the read returns.
    runs.append('r1', [metrics(5)]);
    release();
    await settle();
    expect(delivered(panel)).toEqual(range(1, 5));
  });

  it('replays the full history on a second ready (webview reloaded) and keeps one follower', async () => {
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'ready', runId: null });
    await settle();
    runs.append('r1', [metrics(5)]);
    panel.send({ type: 'ready', runId: 'r1' });
    await settle();
    const inits = panel.ofType('init');
    expect(inits).toHaveLength(2);
    expect(seqsOf(inits[1]).sort((a, b) => a - b)).toEqual(range(1, 5));
    expect(runs.followerCount('r1')).toBe(1);
    runs.append('r1', [metrics(6)]);
    expect(panel.ofType('events').flatMap(seqsOf)).toEqual([5, 6]);
  });

  it('re-attaches a panel restored after a window reload to the run it showed, without duplicates', async () => {
    monitors.show('r1');
    const [before] = panels.created;
    before.send({ type: 'ready', runId: null });
    await settle();
    before.dispose();
    expect(runs.followerCount('r1')).toBe(0);

    const restored = new FakePanel(MONITOR_VIEW_TYPE, 'Monitor');
    const reloaded = new MonitorPanels({ runs, log, window, commands, panels });
    await reloaded.deserializeWebviewPanel(restored, { runId: 'r1' });
    expect(panels.restored).toEqual([restored]);
    expect(restored.bundle).toBe('monitor');
    runs.append('r1', [metrics(5)]);
    restored.send({ type: 'ready', runId: 'r1' });
    await settle();
    runs.append('r1', [metrics(6)]);
    const init = MonitorHostMessage.parse(restored.ofType('init')[0]);
    if (init.type !== 'init') throw new Error('expected init');
    expect(init.run.runId).toBe('r1');
    expect(delivered(restored)).toEqual(range(1, 6));
    expect(restored.title).toBe('Monitor: tiny-sft');
    // The restored panel is the run's monitor: opening it again reveals it.
    reloaded.show('r1');
    expect(restored.reveals).toBe(1);
    expect(panels.created).toHaveLength(1);
  });

  it('shows the run the webview saved when the serializer state has none', async () => {
    const restored = new FakePanel(MONITOR_VIEW_TYPE, 'Monitor');
    await monitors.deserializeWebviewPanel(restored, undefined);
    restored.send({ type: 'ready', runId: 'r1' });
    await settle();
    expect(restored.ofType<{ type: string; run: { runId: string } }>('init')[0].run.runId).toBe('r1');
  });

  it('reveals the existing monitor of a run instead of opening a second', () => {
    monitors.show('r1');
    monitors.show('r1');
    expect(panels.created).toHaveLength(1);
    expect(panels.created[0].reveals).toBe(1);
  });

  it('closes the panel with a warning when the run is no longer listed', async () => {
    monitors.show('gone');
    const [panel] = panels.created;
    panel.send({ type: 'ready', runId: null });
    await settle();
    expect(panel.isDisposed).toBe(true);
    expect(window.texts('warning')).toEqual(['Run gone is no longer in the Runs list; its monitor was closed.']);
  });

  it('runs the command behind a button and answers with its outcome', async () => {
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'action', requestId: 'a1', action: 'cancel', runId: 'r1' });
    await settle();
    expect(commands.executed).toEqual([{ command: COMMANDS.cancelRun, args: ['r1'] }]);
    expect(panel.ofType('actionResult')).toEqual([{ type: 'actionResult', requestId: 'a1', ok: true }]);

    commands.failing.set(COMMANDS.resumeRun, new Error('no checkpoint to resume from'));
    panel.send({ type: 'action', requestId: 'a2', action: 'resume', runId: 'r1' });
    await settle();
    expect(panel.ofType('actionResult')[1]).toEqual({ type: 'actionResult', requestId: 'a2', ok: false, error: 'no checkpoint to resume from' });
  });

  it('drops a malformed message from the webview and logs it', async () => {
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'action', action: 'rm -rf', runId: 'r1' });
    await settle();
    expect(commands.executed).toEqual([]);
    expect(log.lines.some((line) => line.startsWith('warn [monitor] Ignored a malformed webview message (action)'))).toBe(true);
  });

  it('stops following the run when the panel closes', async () => {
    monitors.show('r1');
    const [panel] = panels.created;
    panel.send({ type: 'ready', runId: null });
    await settle();
    expect(runs.followerCount('r1')).toBe(1);
    panel.dispose();
    expect(runs.followerCount('r1')).toBe(0);
    runs.append('r1', [metrics(5)]);
    expect(panel.ofType('events')).toEqual([]);
  });
});
