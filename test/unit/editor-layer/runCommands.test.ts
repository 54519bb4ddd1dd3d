// The run commands against recording stand-ins of the editor: each acts on the run it was given (tree item,
// monitor button) or the one the user picks, asks before anything destructive, and reports failures as messages.
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/vscode/commandIds';
import {
  createCancelRunCommand,
  createCompareRunsCommand,
  createDeleteRunCommand,
  createOpenMonitorCommand,
  createResumeRunCommand,
  type RunCommandDeps,
} from '../../../src/vscode/runs/runCommands';
import { RecordingCommands, RecordingLog, RecordingWindow } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

describe('run commands', () => {
  let runs: InMemoryRuns;
  let window: RecordingWindow;
  let commands: RecordingCommands;
  let log: RecordingLog;
  let deps: RunCommandDeps;

  beforeEach(() => {
    runs = new InMemoryRuns();
    window = new RecordingWindow();
    commands = new RecordingCommands();
    log = new RecordingLog();
    deps = { runs, window, commands, log };
    runs.add({ id: 'live', config: { name: 'live-run' }, state: 'running' });
    runs.add({ id: 'stopped', config: { name: 'stopped-run' }, state: 'cancelled' });
    runs.add({ id: 'done', config: { name: 'done-run' }, state: 'completed' });
  });

  describe('cancel', () => {
    it('cancels the given run after the user confirms', async () => {
      window.messageAnswers.push('Cancel Run');
      await createCancelRunCommand(deps)({ runId: 'live' });
      expect(window.messages[0]).toMatchObject({ level: 'warning', text: 'Cancel run "live-run" on local?', options: { modal: true }, items: ['Cancel Run'] });
      expect(runs.actions).toEqual([{ action: 'cancel', arg: 'live' }]);
      expect(window.progress[0].title).toContain('Cancelling live-run');
    });

    it('does nothing when the user dismisses the confirmation', async () => {
      await createCancelRunCommand(deps)('live');
      expect(runs.actions).toEqual([]);
    });

    it('offers only active runs when none was given', async () => {
      window.pick = (items) => items[0];
      window.messageAnswers.push('Cancel Run');
      await createCancelRunCommand(deps)();
      expect(window.quickPicks.titles).toEqual(['Cancel which run?']);
      expect((window.quickPicks.items[0] as { run: { id: string } }[]).map((item) => item.run.id)).toEqual(['live']);
      expect(runs.actions).toEqual([{ action: 'cancel', arg: 'live' }]);
    });

    it('says so when the run already ended', async () => {
      await createCancelRunCommand(deps)('done');
      expect(window.texts('info')).toEqual(['Run "done-run" is already completed.']);
      expect(runs.actions).toEqual([]);
    });

    it('shows and logs a failed cancel', async () => {
      runs.failing.set('cancel', new Error('ssh: connection refused'));
      window.messageAnswers.push('Cancel Run');
      await createCancelRunCommand(deps)('live');
      expect(window.texts('error')).toEqual(['Cancelling run live-run failed: ssh: connection refused']);
      expect(log.lines).toEqual(['error Cancelling run live-run failed: ssh: connection refused']);
    });
  });

  describe('resume', () => {
    it('resumes the run and opens its monitor', async () => {
      await createResumeRunCommand(deps)('stopped');
      expect(runs.actions).toEqual([{ action: 'resume', arg: 'stopped' }]);
      expect(commands.executed).toEqual([{ command: COMMANDS.openMonitor, args: ['stopped'] }]);
    });

    it('shows a failed resume and opens no monitor', async () => {
      runs.failing.set('resume', new Error('no checkpoint to resume from'));
      await createResumeRunCommand(deps)('stopped');
      expect(window.texts('error')).toEqual(['Resuming run stopped-run failed: no checkpoint to resume from']);
      expect(commands.executed).toEqual([]);
    });

    it('offers only failed or cancelled runs', async () => {
      await createResumeRunCommand(deps)();
      expect((window.quickPicks.items[0] as { run: { id: string } }[]).map((item) => item.run.id)).toEqual(['stopped']);
      expect(runs.actions).toEqual([]);
    });
  });

  describe('remove', () => {
    it('removes the selected ended runs after confirmation and keeps the active ones', async () => {
      window.messageAnswers.push('Remove');
      await createDeleteRunCommand(deps)('stopped', ['stopped', 'done', 'live']);
      expect(window.messages[0].text).toBe('Remove "stopped-run", "done-run" from the Runs list?');
      expect(runs.actions).toEqual([
        { action: 'remove', arg: 'stopped' },
        { action: 'remove', arg: 'done' },
      ]);
      expect(runs.get('live')).toBeDefined();
    });

    it('refuses to remove an active run', async () => {
      await createDeleteRunCommand(deps)('live');
      expect(window.texts('info')).toEqual(['Active runs cannot be removed from the list: cancel them first.']);
      expect(runs.actions).toEqual([]);
    });

    it('reports each failed removal and goes on with the others', async () => {
      window.messageAnswers.push('Remove');
      runs.failing.set('remove', new Error('permission denied'));
      await createDeleteRunCommand(deps)(undefined, ['stopped', 'done']);
      expect(window.texts('error')).toEqual(['Removing run stopped-run failed: permission denied', 'Removing run done-run failed: permission denied']);
    });
  });

  describe('open monitor', () => {
    it('opens the monitor of the given or picked run', async () => {
      const shown: string[] = [];
      const open = createOpenMonitorCommand({ ...deps, showMonitor: (id) => shown.push(id) });
      await open({ runId: 'done' });
      window.pick = (items) => items.find((item) => item.label === 'live-run');
      await open();
      expect(shown).toEqual(['done', 'live']);
    });

    it('warns about a run no longer listed', async () => {
      const shown: string[] = [];
      await createOpenMonitorCommand({ ...deps, showMonitor: (id) => shown.push(id) })('vanished');
      expect(window.texts('warning')).toEqual(['Run vanished is no longer in the Runs list.']);
      expect(shown).toEqual([]);
    });

    it('tells the user how to start when there is no run to pick', async () => {
      const empty = new InMemoryRuns();
      await createOpenMonitorCommand({ ...deps, runs: empty, showMonitor: () => {} })();
      expect(window.texts('info')).toEqual(['No run to pick for this action. Start one with "BrightRun: New Training Run".']);
    });
  });

  describe('compare', () => {
    it('compares the selected runs, or asks for two or more', async () => {
      const compared: string[][] = [];
      const compare = createCompareRunsCommand({ ...deps, showCompare: (ids) => compared.push(ids) });
      await compare('live', ['live', 'done']);
      window.pickMany = (items) => items.filter((item) => item.label !== 'live-run');
      await compare('live');
      expect(compared).toEqual([
        ['live', 'done'],
        ['stopped', 'done'],
      ]);
    });
  });
});
