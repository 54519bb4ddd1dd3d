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
  let templateFiles: { path: string; text: string }[];
  let templatesChanged: Emitter<void>;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'brightrun-launch-'));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'train.jsonl'), '');
    runs = new InMemoryRuns();
    window = new RecordingWindow();
    log = new RecordingLog();
    panels = new FakePanels();
    monitors = [];
    templateFiles = [];
    const datasetsChanged = new Emitter<void>();
    templatesChanged = new Emitter<void>();
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
      templates: { list: async () => templateFiles, onDidChange: templatesChanged.event },
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

  describe('run templates', () => {
    const template = {
      template: { name: 'Tickets', variables: { train: { description: 'Training data' }, validation: { default: '../data/train.jsonl' } } },
      name: 'tickets',
      datasets: { train: '${train}', validation: '${validation}' },
      baseModel: 'HuggingFaceTB/SmolLM2-135M',
      preset: 'aggressive',
      hyperparameters: { learningRate: 0.0005 },
    };

    beforeEach(() => {
      mkdirSync(join(root, 'configs'));
      templateFiles = [
        { path: join(root, 'configs', 'tickets.brightrun.json'), text: JSON.stringify(template) },
        { path: join(root, 'plain.brightrun.json'), text: JSON.stringify(formConfig()) },
        { path: join(root, 'broken.brightrun.json'), text: '{"template": ' },
      ];
      for (const file of templateFiles) writeFileSync(file.path, file.text);
    });

    it("offers the workspace's templates after init, with defaults filled in as paths from the form's folder", async () => {
      launch.show();
      const [panel] = panels.created;
      panel.send({ type: 'ready' });
      await until(() => panel.ofType('templates').length > 0, 'templates');
      const [message] = answers(panel, 'templates') as { templates: Record<string, unknown>[] }[];
      expect(message.templates).toEqual([
        {
          path: join(root, 'configs', 'tickets.brightrun.json'),
          label: 'configs/tickets.brightrun.json',
          name: 'Tickets',
          description: null,
          variables: [
            { name: 'train', description: 'Training data', default: null },
            { name: 'validation', description: null, default: '../data/train.jsonl' },
          ],
          config: {
            name: 'tickets',
            datasets: { validation: 'data/train.jsonl' },
            baseModel: 'HuggingFaceTB/SmolLM2-135M',
            preset: 'aggressive',
            hyperparameters: { learningRate: 0.0005 },
          },
          unfilled: ['datasets.train'],
        },
      ]);

      // A template saved while the form is open is offered at once; one deleted goes away.
      templateFiles = templateFiles.filter((file) => !file.path.endsWith('tickets.brightrun.json'));
      templateFiles.push({
        path: join(root, 'later.brightrun.json'),
        text: JSON.stringify({ ...template, template: { ...template.template, name: 'Later' } }),
      });
      templatesChanged.fire();
      await until(() => panel.ofType('templates').length > 1, 'templates again');
      const [, again] = answers(panel, 'templates') as { templates: { name: string }[] }[];
      expect(again.templates.map((t) => t.name)).toEqual(['Later']);
    });

    it('opens a new run made from a template file, and saves a plain run config beside it, never over it', async () => {
      const templatePath = join(root, 'configs', 'tickets.brightrun.json');
      launch.show({ templatePath });
      const [panel] = panels.created;
      panel.send({ type: 'ready' });
      await until(() => panel.ofType('init').length > 0, 'init');
      const [init] = answers(panel, 'init');
      expect(panel.title).toBe('New Run: Tickets');
      expect(init).toMatchObject({
        configPath: null,
        fromTemplate: templatePath,
        config: { baseModel: 'HuggingFaceTB/SmolLM2-135M', datasets: { validation: 'data/train.jsonl' } },
      });

      writeFileSync(join(root, 'tickets.brightrun.json'), '{}');
      window.savePath = join(root, 'configs', 'tickets-run.brightrun.json');
      const filled = { ...(init.config as Record<string, unknown>), datasets: { train: 'data/train.jsonl' } };
      panel.send({ type: 'save', requestId: 's1', configPath: null, config: filled });
      await until(() => panel.ofType('saveResult').length > 0, 'saveResult');
      // The dialog proposes a name no file has yet.
      expect(window.saveDialogs[0].defaultPath).toBe(join(root, 'tickets-2.brightrun.json'));
      const written = JSON.parse(readFileSync(window.savePath, 'utf8'));
      expect(written.template).toBeUndefined();
      expect(written).toMatchObject({ datasets: { train: '../data/train.jsonl' }, preset: 'aggressive', hyperparameters: { learningRate: 0.0005 } });
      expect(JSON.parse(readFileSync(templatePath, 'utf8'))).toEqual(template);
    });
  });
});
