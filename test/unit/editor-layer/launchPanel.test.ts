// The launch form's host side against recording stand-ins of the editor, on a real temporary workspace: the
// form's config is checked and written as a *.brightrun.json, problems go back to the form, and Launch starts
// the run with the written file and opens its monitor.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LaunchHostMessage, type HostEntry } from '../../../src/shared/launchProtocol';
import { Emitter } from '../../../src/vscode/api/events';
import { LAUNCH_VIEW_TYPE, LaunchPanels, type DatasetsSource, type HostsSource } from '../../../src/vscode/panels/launchPanel';
import { FakePanel, FakePanels, RecordingLog, RecordingWindow, until } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

const LOCAL: HostEntry = { name: 'local', kind: 'local', detail: 'this machine', pricePerGpuHour: null, gpu: null, preflight: null } as unknown as HostEntry;

function formConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny',
    datasets: { train: 'data/train.jsonl' },
    baseModel: 'HuggingFaceTB/SmolLM2-135M',
    preset: 'balanced',
    host: 'local',
    gpus: 1,
    maxSeqLen: 2048,
    ...overrides,
  };
}

describe('launch panel', () => {
  let root: string;
  let runs: InMemoryRuns;
  let window: RecordingWindow;
  let log: RecordingLog;
  let panels: FakePanels;
  let monitors: string[];
  let launch: LaunchPanels;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'brightrun-launch-'));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'train.jsonl'), '');
    runs = new InMemoryRuns();
    window = new RecordingWindow();
    log = new RecordingLog();
    panels = new FakePanels();
    monitors = [];
    const datasetsChanged = new Emitter<void>();
    const datasets: DatasetsSource = {
      start: async () => {},
      list: () => [{ uri: { fsPath: join(root, 'data', 'train.jsonl') } as never }],
      onDidChange: datasetsChanged.event,
    };
    const hosts: HostsSource = {
      list: () => [LOCAL],
      preflight: async () => {
        throw new Error('not used');
      },
      gpuOf: () => undefined,
      listModels: async () => ({ code: 0, stdout: '[]', stderr: '' }),
    };
    launch = new LaunchPanels({
      runs,
      datasets,
      hosts,
      log,
      window,
      panels,
      workspace: { rootPath: () => root },
      throughputHistory: () => [],
      showMonitor: (runId) => monitors.push(runId),
    });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function answers(panel: FakePanel, type: string) {
    return panel.ofType(type).map((message) => LaunchHostMessage.parse(message) as Record<string, unknown>);
  }

  it('opens a new form that starts from the defaults and the workspace datasets', async () => {
    launch.show({ trainFile: join(root, 'data', 'train.jsonl') });
    const [panel] = panels.created;
    expect(panel.viewType).toBe(LAUNCH_VIEW_TYPE);
    expect(panel.bundle).toBe('launch');
    panel.send({ type: 'ready' });
    await until(() => panel.ofType('models').length > 0, 'models');
    const [init] = answers(panel, 'init');
    expect(init.configPath).toBeNull();
    expect((init.config as { datasets: unknown }).datasets).toEqual({ train: 'data/train.jsonl' });
    expect((init.datasets as { path: string }[]).map((d) => d.path)).toEqual(['data/train.jsonl']);
    expect(answers(panel, 'models')).toHaveLength(1);
  });

  it('writes the form as a run config file where the user chose, and edits that file from then on', async () => {
    launch.show();
    const [panel] = panels.created;
    window.savePath = join(root, 'runs', 'tiny');
    mkdirSync(join(root, 'runs'));
    panel.send({ type: 'save', requestId: 's1', configPath: null, config: formConfig() });
    await until(() => panel.ofType('saveResult').length > 0, 'saveResult');
    const written = join(root, 'runs', 'tiny.brightrun.json');
    expect(answers(panel, 'saveResult')).toEqual([{ type: 'saveResult', requestId: 's1', ok: true, configPath: written }]);
    expect(window.saveDialogs[0].defaultPath).toBe(join(root, 'tiny.brightrun.json'));
    // Dataset paths stay relative, now to the config's own folder.
    expect(JSON.parse(readFileSync(written, 'utf8'))).toEqual(formConfig({ datasets: { train: '../data/train.jsonl' } }));
    expect(panel.title).toBe('Run: tiny.brightrun.json');

    panel.send({ type: 'save', requestId: 's2', configPath: written, config: formConfig({ name: 'tiny-2', datasets: { train: '../data/train.jsonl' } }) });
    await until(() => panel.ofType('saveResult').length > 1, 'saveResult');
    expect(window.saveDialogs).toHaveLength(1);
    expect(JSON.parse(readFileSync(written, 'utf8')).name).toBe('tiny-2');
  });

  it('sends the problems of an invalid config back to the form and writes nothing', async () => {
    launch.show();
    const [panel] = panels.created;
    window.savePath = join(root, 'bad.brightrun.json');
    panel.send({ type: 'save', requestId: 's1', configPath: null, config: formConfig({ baseModel: '', gpus: 0 }) });
    await until(() => panel.ofType('saveResult').length > 0, 'saveResult');
    const [result] = answers(panel, 'saveResult');
    expect(result.ok).toBe(false);
    expect((result.problems as { path: string }[]).map((p) => p.path)).toEqual(expect.arrayContaining(['$.baseModel', '$.gpus']));
    expect(window.saveDialogs).toEqual([]);
    expect(existsSync(join(root, 'bad.brightrun.json'))).toBe(false);
  });

  it('refuses to write a file other than its own', async () => {
    const own = join(root, 'own.brightrun.json');
    writeFileSync(own, JSON.stringify(formConfig()));
    launch.show({ configPath: own });
    const [panel] = panels.created;
    const other = join(root, 'other.brightrun.json');
    panel.send({ type: 'save', requestId: 's1', configPath: other, config: formConfig() });
    await until(() => panel.ofType('saveResult').length > 0, 'saveResult');
    expect(answers(panel, 'saveResult')[0]).toMatchObject({ ok: false, error: expect.stringContaining('not its config file') });
    expect(existsSync(other)).toBe(false);
  });

  it('launches the written config and opens the monitor of the new run', async () => {
    const own = join(root, 'tiny.brightrun.json');
    writeFileSync(own, JSON.stringify(formConfig()));
    launch.show({ configPath: own });
    const [panel] = panels.created;
    panel.send({ type: 'launch', requestId: 'l1', configPath: own, config: formConfig({ preset: 'aggressive' }) });
    await until(() => panel.ofType('launchResult').length > 0, 'launchResult');
    expect(runs.actions).toEqual([{ action: 'launch', arg: own }]);
    expect(JSON.parse(readFileSync(own, 'utf8')).preset).toBe('aggressive');
    expect(window.progress).toEqual([{ title: 'Launching tiny.brightrun.json' }]);
    expect(answers(panel, 'launchResult')).toEqual([{ type: 'launchResult', requestId: 'l1', ok: true, runId: 'launched-1', configPath: own }]);
    expect(monitors).toEqual(['launched-1']);
  });

  it('reports a failed launch in the form and the log, without a monitor', async () => {
    const own = join(root, 'tiny.brightrun.json');
    writeFileSync(own, JSON.stringify(formConfig()));
    runs.failing.set('launch', new Error('preflight: CUDA driver too old'));
    launch.show({ configPath: own });
    const [panel] = panels.created;
    panel.send({ type: 'launch', requestId: 'l1', configPath: own, config: formConfig() });
    await until(() => panel.ofType('launchResult').length > 0, 'launchResult');
    expect(answers(panel, 'launchResult')[0]).toMatchObject({ ok: false, error: 'preflight: CUDA driver too old' });
    expect(log.lines).toContain(`error Launch of ${own} failed: preflight: CUDA driver too old`);
    expect(monitors).toEqual([]);
  });

  it('does not launch an invalid config', async () => {
    const own = join(root, 'tiny.brightrun.json');
    writeFileSync(own, JSON.stringify(formConfig()));
    launch.show({ configPath: own });
    const [panel] = panels.created;
    panel.send({ type: 'launch', requestId: 'l1', configPath: own, config: formConfig({ gpus: 0 }) });
    await until(() => panel.ofType('launchResult').length > 0, 'launchResult');
    expect(answers(panel, 'launchResult')[0]).toMatchObject({ ok: false });
    expect(runs.actions).toEqual([]);
  });

  it('restores a form after a reload on the config file it edited', async () => {
    const own = join(root, 'tiny.brightrun.json');
    writeFileSync(own, JSON.stringify(formConfig({ name: 'restored' })));
    const restored = new FakePanel(LAUNCH_VIEW_TYPE, 'Run');
    await launch.deserializeWebviewPanel(restored, { configPath: own });
    expect(panels.restored).toEqual([restored]);
    restored.send({ type: 'ready' });
    await until(() => restored.ofType('models').length > 0, 'models');
    const [init] = answers(restored, 'init');
    expect(init.configPath).toBe(own);
    expect((init.config as { name: string }).name).toBe('restored');
    expect(restored.title).toBe('Run: tiny.brightrun.json');
    launch.show({ configPath: own });
    expect(restored.reveals).toBe(1);
  });
});
