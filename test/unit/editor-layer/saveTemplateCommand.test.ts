// Save as Template in the editor, against recording stand-ins of the editor on real files: the run's local copy
// (config.json, record.json) becomes NAME.brightrun.json beside the run's own config, named as the user says, never
// over an existing file without asking.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/core/config/resolveConfig';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { readRunForTemplate, templateFileText, writeTemplateFile } from '../../../src/platform/runTemplateFiles';
import { createSaveTemplateCommand } from '../../../src/vscode/runs/saveTemplateCommand';
import { RecordingCommands, RecordingLog, RecordingWindow } from './helpers/editorStandIns';
import { InMemoryRuns } from './helpers/inMemoryRuns';

describe('Save as Template', () => {
  let root: string;
  let runs: InMemoryRuns;
  let window: RecordingWindow;
  let opened: string[];
  let command: ReturnType<typeof createSaveTemplateCommand>;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'brightrun-save-template-'));
    mkdirSync(join(root, 'configs'));
    mkdirSync(join(root, 'mirror'));
    const parsed = validateRunConfig({ name: 'Tickets v2', datasets: { train: '../data/t.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', seed: 3 });
    if (!parsed.ok) throw new Error('bad fixture');
    const trainer = resolveConfig(parsed.config, { runId: 'r1', trainPathOnHost: join(root, 'data/t.jsonl'), validationPathOnHost: null });
    writeFileSync(join(root, 'mirror', 'config.json'), JSON.stringify(trainer));
    writeFileSync(join(root, 'mirror', 'record.json'), JSON.stringify({ recovery: { enabled: true, maxAttempts: 5 } }));
    runs = new InMemoryRuns();
    runs.add({
      id: 'r1',
      state: 'completed',
      mirrorDir: join(root, 'mirror'),
      configFile: join(root, 'configs', 'run.brightrun.json'),
      config: { name: 'Tickets v2' },
    });
    runs.add({ id: 'r2', state: 'failed' });
    window = new RecordingWindow();
    opened = [];
    command = createSaveTemplateCommand({
      runs,
      log: new RecordingLog(),
      window,
      commands: new RecordingCommands(),
      workspace: { rootPath: () => root },
      readRun: readRunForTemplate,
      writeFile: writeTemplateFile,
      fileText: templateFileText,
      openFile: (path) => opened.push(path),
    });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("asks for the name (the run's by default) and writes the template beside the run's config, then opens it", async () => {
    window.inputAnswers.push('Tickets v2');
    await command('r1');
    expect(window.inputBoxes[0].options.value).toBe('Tickets v2');
    const path = join(root, 'configs', 'tickets-v2.brightrun.json');
    expect(opened).toEqual([path]);
    const template = JSON.parse(readFileSync(path, 'utf8'));
    expect(template).toMatchObject({
      template: { name: 'Tickets v2', fromRun: 'r1', variables: { train: {} } },
      datasets: { train: '${train}' },
      seed: 3,
      recovery: { enabled: true, maxAttempts: 5 },
    });
    expect(readFileSync(path, 'utf8')).not.toContain(root);
    expect(window.texts('info')[0]).toContain('Saved template "Tickets v2" as tickets-v2.brightrun.json');
  });

  it('refuses an empty name, and writes nothing when the box is dismissed', async () => {
    window.inputAnswers.push('   ');
    await command('r1');
    expect(window.inputBoxes[0].answerProblem).toBe('Give the template a name.');
    expect(existsSync(join(root, 'configs', 'tickets-v2.brightrun.json'))).toBe(false);
    expect(opened).toEqual([]);
  });

  it('asks before replacing a file, and keeps it unless told to replace it', async () => {
    const path = join(root, 'configs', 'tickets-v2.brightrun.json');
    writeFileSync(path, 'mine\n');
    window.inputAnswers.push('Tickets v2');
    window.messageAnswers.push(undefined);
    await command('r1');
    expect(window.messages.find((m) => m.level === 'warning')).toMatchObject({
      text: 'tickets-v2.brightrun.json already exists. Replace it?',
      options: { modal: true },
    });
    expect(readFileSync(path, 'utf8')).toBe('mine\n');

    window.inputAnswers.push('Tickets v2');
    window.messageAnswers.push('Replace');
    await command('r1');
    expect(JSON.parse(readFileSync(path, 'utf8')).template.name).toBe('Tickets v2');
  });

  it('writes at the workspace root when the run config is gone, and offers only completed runs', async () => {
    rmSync(join(root, 'configs'), { recursive: true });
    window.inputAnswers.push('Tickets');
    await command('r1');
    expect(existsSync(join(root, 'tickets.brightrun.json'))).toBe(true);

    await command('r2');
    expect(window.texts('info').at(-1)).toBe('Run "r2" is failed: only a completed run is saved as a template.');
    window.pick = (items) => items[0];
    window.inputAnswers.push(undefined);
    await command();
    expect(window.quickPicks.items.at(-1)?.map((item) => (item as { run: { id: string } }).run.id)).toEqual(['r1']);
  });
});
