// The editor's sweep parts against recording stand-ins: the Runs view's grouping under a host, Compare Sweep
// (from a node, or picked), the notification when a sweep finishes, the best mark Compare sends, and the scores
// read from evaluation reports.
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../../src/core/runs/runInfo';
import type { SweepMembership } from '../../../src/core/sweeps/sweepMembership';
import type { EvalReport } from '../../../src/contracts/evalReport';
import { COMMANDS } from '../../../src/vscode/commandIds';
import { hostChildren } from '../../../src/vscode/runs/sweepGrouping';
import { createCompareSweepCommand, sweepIdOf } from '../../../src/vscode/runs/sweepCommands';
import { SweepNotifications } from '../../../src/vscode/runs/sweepNotifications';
import { SweepValues } from '../../../src/vscode/runs/sweepValues';
import { sweepMarks } from '../../../src/vscode/panels/sweepMarks';
import { ComparePanels } from '../../../src/vscode/panels/comparePanel';
import { CompareHostMessage } from '../../../src/shared/compareProtocol';
import { run, type RunOverrides } from '../editor-runs/helpers/runFixture';
import { FakePanels, RecordingCommands, RecordingLog, RecordingWindow, settle, until } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

function member(sweepId: string, index: number, overrides: Partial<SweepMembership> = {}): SweepMembership {
  return {
    id: sweepId,
    name: `tune ${sweepId}`,
    index,
    size: 3,
    parameters: { learningRate: (index + 1) * 1e-4 },
    metric: 'eval_loss',
    goal: 'min',
    earlyStop: null,
    ...overrides,
  };
}

function sweepRun(id: string, sweepId: string, index: number, overrides: RunOverrides = {}): RunInfo {
  return run({ id, state: 'completed', sweep: member(sweepId, index), ...overrides });
}

/** The runs as the notifier reads them, changed by the test the way the engine changes them. */
class ChangingRuns {
  private listener: (ids: string[]) => void = () => {};
  constructor(public runs: RunInfo[]) {}
  list = () => this.runs;
  onDidChange = (listener: (ids: string[]) => void) => {
    this.listener = listener;
    return { dispose: () => {} };
  };
  evalReport = async () => null;
  set(id: string, overrides: Partial<RunInfo>) {
    this.runs = this.runs.map((r) => (r.id === id ? { ...r, ...overrides } : r));
    this.listener([id]);
  }
}

describe('sweeps in the Runs view', () => {
  it('puts one node per sweep where its newest run stands, its runs inside in sweep order', () => {
    const newestFirst = [
      run({ id: 'solo-new' }),
      sweepRun('s2', 'sweep-b', 1),
      run({ id: 'solo-mid' }),
      sweepRun('s1', 'sweep-b', 0),
      sweepRun('t0', 'sweep-a', 0),
      run({ id: 'solo-old' }),
    ];
    const children = hostChildren(newestFirst);
    expect(children.map((c) => (c.kind === 'run' ? c.run.id : `${c.sweepId}: ${c.runs.map((r) => r.id).join(',')}`))).toEqual([
      'solo-new',
      'sweep-b: s1,s2',
      'solo-mid',
      'sweep-a: t0',
      'solo-old',
    ]);
  });
});

describe('Compare Sweep', () => {
  it("opens Compare with the sweep's runs in sweep order, from the sweep's node or its id", async () => {
    const runs = [sweepRun('c', 'sweep-a', 2), sweepRun('a', 'sweep-a', 0), run({ id: 'x' }), sweepRun('b', 'sweep-a', 1), sweepRun('z', 'sweep-b', 0)];
    const shown: string[][] = [];
    const command = createCompareSweepCommand({ runs: { list: () => runs }, window: new RecordingWindow(), showCompare: (ids) => shown.push(ids) });
    await command({ kind: 'sweep', sweepId: 'sweep-a', host: 'local' });
    await command('sweep-b');
    expect(shown).toEqual([['a', 'b', 'c'], ['z']]);
    expect(sweepIdOf({ kind: 'run', runId: 'a' })).toBeUndefined();
  });

  it('asks which sweep from the palette, newest first, and says so when there is none', async () => {
    const window = new RecordingWindow();
    window.pick = (items) => items[1];
    const shown: string[][] = [];
    const runs = [sweepRun('a', 'sweep-20261201-000000-aaaaaa', 0), sweepRun('b', 'sweep-20261202-000000-bbbbbb', 0)];
    await createCompareSweepCommand({ runs: { list: () => runs }, window, showCompare: (ids) => shown.push(ids) })();
    expect(window.quickPicks.titles).toEqual(['Compare the runs of a sweep']);
    expect((window.quickPicks.items[0] as { id: string }[]).map((item) => item.id)).toEqual(['sweep-20261202-000000-bbbbbb', 'sweep-20261201-000000-aaaaaa']);
    expect(shown).toEqual([['a']]);
    const empty = new RecordingWindow();
    await createCompareSweepCommand({ runs: { list: () => [run({})] }, window: empty, showCompare: (ids) => shown.push(ids) })();
    expect(empty.texts('info')).toEqual(['There are no sweeps yet: add a "sweep" block to a run config and launch it.']);
  });
});

describe('the notification when a sweep finishes', () => {
  it('tells once, with the best run, and Compare opens the sweep', async () => {
    const runs = new ChangingRuns([
      sweepRun('a', 'sweep-a', 0, { evalLoss: 1.5 }),
      sweepRun('b', 'sweep-a', 1, { state: 'running', evalLoss: 1.1 }),
      sweepRun('c', 'sweep-a', 2, { state: 'running' }),
      sweepRun('old', 'sweep-old', 0, { sweep: member('sweep-old', 0, { size: 1 }) }),
    ]);
    const window = new RecordingWindow();
    window.messageAnswers.push('Compare');
    const commands = new RecordingCommands();
    new SweepNotifications(runs, window, commands);
    runs.set('b', { state: 'completed', evalLoss: 1.2 });
    expect(window.messages).toEqual([]);
    runs.set('c', { state: 'cancelled', stopReason: 'stopped early: ...' });
    runs.set('c', { evalLoss: 3 });
    await settle();
    expect(window.messages).toEqual([{ level: 'info', text: 'Sweep tune sweep-a finished: 3/3 done, best: lr=2e-4 eval 1.2.', items: ['Compare'] }]);
    expect(commands.executed).toEqual([{ command: COMMANDS.compareSweep, args: ['sweep-a'] }]);
  });

  it('waits for every run the sweep launched to be recorded', () => {
    const runs = new ChangingRuns([sweepRun('a', 'sweep-a', 0, { state: 'running' })]);
    const window = new RecordingWindow();
    new SweepNotifications(runs, window, new RecordingCommands());
    runs.set('a', { state: 'completed' }); // 1 of 3 launched so far
    expect(window.messages).toEqual([]);
  });
});

describe('the best mark Compare sends', () => {
  it("ranks each sweep's compared runs by its metric, stars the best, and leaves other runs unmarked", () => {
    const report = (f1: number) => ({ metrics: { token_f1: { base: 0, adapter: f1 } } }) as unknown as EvalReport;
    const byF1 = (index: number) => member('sweep-f1', index, { metric: 'token_f1', goal: 'max' });
    const marks = sweepMarks([
      { info: sweepRun('a', 'sweep-a', 0, { evalLoss: 1.3 }), evaluation: null },
      { info: sweepRun('b', 'sweep-a', 1, { evalLoss: 1.1 }), evaluation: null },
      { info: sweepRun('f', 'sweep-f1', 0, { sweep: byF1(0) }), evaluation: report(0.3) },
      { info: sweepRun('g', 'sweep-f1', 1, { sweep: byF1(1) }), evaluation: report(0.6) },
      { info: sweepRun('h', 'sweep-f1', 2, { sweep: byF1(2), state: 'failed' }), evaluation: null },
      { info: run({ id: 'solo' }), evaluation: null },
    ]);
    expect([...marks].map(([id, m]) => [id, m.value, m.rank, m.best])).toEqual([
      ['b', 1.1, 1, true],
      ['a', 1.3, 2, false],
      ['g', 0.6, 1, true],
      ['f', 0.3, 2, false],
      ['h', null, null, false],
    ]);
    expect(marks.get('g')).toMatchObject({ id: 'sweep-f1', metric: 'token_f1', goal: 'max' });
  });

  it('reaches the webview with the compared runs', async () => {
    const runs = new InMemoryRuns();
    runs.add({ id: 'a', state: 'completed', evalLoss: 2, sweep: member('sweep-a', 0) });
    runs.add({ id: 'b', state: 'completed', evalLoss: 1, sweep: member('sweep-a', 1) });
    const panels = new FakePanels();
    new ComparePanels({ runs, log: new RecordingLog(), window: new RecordingWindow(), commands: new RecordingCommands(), panels }).show(['a', 'b']);
    const [panel] = panels.created;
    panel.send({ type: 'ready', runIds: [] });
    await until(() => panel.ofType('init').length > 0, 'init');
    const init = CompareHostMessage.parse(panel.ofType('init')[0]);
    expect(init.type === 'init' && init.runs.map((r) => [r.runId, r.sweep?.best, r.sweep?.rank])).toEqual([
      ['a', false, 2],
      ['b', true, 1],
    ]);
  });
});

describe("a sweep's scores from evaluation reports", () => {
  it('reads each completed run once, then announces the sweep so its line can show the best', async () => {
    const reads: string[] = [];
    const announced: string[] = [];
    const values = new SweepValues(
      {
        evalReport: async (id: string) => {
          reads.push(id);
          return { metrics: { rouge_l: { base: 0.1, adapter: id === 'a' ? 0.5 : 0.4 } } } as unknown as EvalReport;
        },
      },
      (sweepId) => announced.push(sweepId),
    );
    const byRouge = (index: number) => member('sweep-r', index, { metric: 'rouge_l', goal: 'max' });
    const members = [sweepRun('a', 'sweep-r', 0, { sweep: byRouge(0) }), sweepRun('b', 'sweep-r', 1, { sweep: byRouge(1), state: 'running' })];
    expect(values.summary(members).best).toBeNull();
    await settle();
    expect(values.summary(members).best?.runId).toBe('a');
    expect(values.summary(members).best?.value).toBe(0.5);
    expect(reads).toEqual(['a']); // once, and never for a run still going
    expect(announced).toEqual(['sweep-r']);
  });
});
