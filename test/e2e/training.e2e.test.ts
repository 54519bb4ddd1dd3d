// Training in the real editor: the Training container with its three views, the launch form, a real local CPU
// run of the tiny test model launched from the form, the live monitor, the adapter under Models, and the monitor
// coming back after a window reload. Screenshots of each panel in a light and a dark theme.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../unit/editor-runs/helpers/fakeHub';
import { eventually, makeTinyModel, projectPython as python, useSession, workspaceWithSamples } from './harness';

const RUN_NAME = 'e2e tiny run';
const HUB_TOKEN = 'hf_e2e_token_0123456789';

function prepareWorkspace(): string {
  const workspace = workspaceWithSamples();
  // The trainer's own tiny model: random weights, a tokenizer trained on the samples; no download.
  makeTinyModel(workspace);
  const config = {
    name: RUN_NAME,
    datasets: { train: 'chat-train.jsonl', validation: 'chat-val.jsonl' },
    baseModel: './models/tiny',
    preset: 'balanced',
    hyperparameters: { epochs: 1, batchSize: 8, gradAccum: 1, learningRate: 0.001 },
    maxSeqLen: 256,
    evalEvery: 10,
    host: 'local',
    pricePerGpuHour: 0.5,
  };
  writeFileSync(join(workspace, 'tiny.brightrun.json'), JSON.stringify(config, null, 2) + '\n');
  // The project pins its interpreter and run folder in workspace settings, as a team would in its repository.
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': mkdtempSync(join(tmpdir(), 'brightrun-e2e-runs-')) };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return workspace;
}

async function stepCounter(frame: Frame): Promise<number> {
  const text = (await frame.locator('[data-testid="step-counter"]').innerText()).replace(/,/g, '');
  return Number(/(\d+)/.exec(text)?.[1] ?? NaN);
}

describe('training from the editor', () => {
  const workspace = prepareWorkspace();
  // The Hub cannot be reached from here: a local server speaking its upload API stands in, through HF_ENDPOINT
  // (which the extension host inherits from code-server).
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub({ token: HUB_TOKEN, user: 'tester' });
    process.env.HF_ENDPOINT = hub.url;
  });
  afterAll(async () => {
    delete process.env.HF_ENDPOINT;
    await hub?.close();
  });
  const session = useSession(() => ({ workspace, theme: 'Default Light Modern' }));

  it('shows the Training container with Datasets, Runs and Models', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    for (const title of ['Datasets', 'Runs', 'Models']) expect(await (await workbench.view(title)).count()).toBe(1);
    // Empty views say what to do first.
    const runs = await workbench.view('Runs');
    await runs.getByText('No training runs yet.').waitFor();
    await workbench.screenshot('training-views-light');
  });

  it('marks the broken dataset with its error badge', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const datasets = await workbench.view('Datasets');
    const broken = datasets.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^broken\.jsonl$/ }) });
    await eventually(
      'the broken dataset validated',
      () => broken.first().getAttribute('aria-label'),
      (label) => /error/.test(label ?? ''),
    );
    expect(await broken.first().locator('.codicon-error').count()).toBe(1);
  });

  it('opens the launch form from New Training Run', async () => {
    const { workbench } = session();
    await workbench.runCommand('BrightRun: New Training Run');
    const form = await workbench.webviewFrame('New Training Run');
    await form.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    await form.getByText('Training file').first().waitFor();
    await workbench.screenshot('launch-form-light');
  });

  it('launches a real local CPU run from the form and follows it live in the monitor', async () => {
    const { workbench } = session();
    await workbench.openFile('tiny.brightrun.json');
    await workbench.runCommand('BrightRun: Open Config in Form');
    const form = await workbench.webviewFrame('Run: tiny.brightrun.json');
    await form.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    // The estimate comes from the same schema and estimator the engine uses.
    await eventually(
      'an estimate',
      () => form.locator('[data-testid="estimate-steps"]').innerText(),
      (t) => /\d/.test(t),
      60_000,
    );
    // The run also writes TensorBoard event files (the project's Python has the tensorboard package).
    await form.locator('[data-testid="input-tracking.tensorboard"]').click();
    await form.locator('vscode-button', { hasText: 'Launch' }).first().click();

    const monitor = await eventually(
      'the monitor to open',
      () => workbench.webviewFrame(`Monitor: ${RUN_NAME}`),
      () => true,
      120_000,
    );
    await monitor.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    const first = await eventually(
      'a first training step',
      () => stepCounter(monitor),
      (step) => step >= 1,
      180_000,
    );
    const later = await eventually(
      'the step counter to advance',
      () => stepCounter(monitor),
      (step) => step > first,
      120_000,
    );
    expect(later).toBeGreaterThan(first);
    // The loss chart draws a line through the points received so far.
    const lossChart = monitor.locator('section.br-chart').first();
    await eventually(
      'a loss curve with points',
      () => lossChart.locator('path.recharts-curve').first().getAttribute('d'),
      (d) => (d ?? '').split(/[LC]/).length > 2,
      60_000,
    );
    await workbench.screenshot('monitor-live-light');
    // Where the metrics also go, as the trainer reported it: the run folder's tensorboard/ and the command to open it.
    const tensorboard = await eventually(
      'the TensorBoard line',
      () => monitor.locator('[data-testid="tracker-tensorboard"]').innerText(),
      (t) => /tensorboard/.test(t),
      60_000,
    );
    expect(tensorboard).toMatch(/runs\/[^/\s]+\/tensorboard/);
    expect(tensorboard).toMatch(/--logdir/);

    await monitor.locator('[data-testid="run-done"]').waitFor({ timeout: 300_000 });
    await workbench.screenshot('monitor-done-light');
  }, 600_000);

  it('lists the finished adapter under Models', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    const models = await workbench.view('Models');
    const row = models.locator('.monaco-list-row', { hasText: RUN_NAME });
    await row.first().waitFor({ timeout: 60_000 });
    expect(await row.first().innerText()).toMatch(/eval loss \d/);
    const runs = await workbench.view('Runs');
    expect(await runs.locator('.monaco-list-row', { hasText: RUN_NAME }).first().locator('.codicon-pass-filled').count()).toBe(1);
    await workbench.screenshot('models-view-light');
  });

  it('pushes the adapter to the Hub with the token kept in secret storage', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await workbench.runCommand('BrightRun: Push Adapter to Hugging Face Hub');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: RUN_NAME }).first().click();
    // Token (password box), then the repository id the extension suggests, then the visibility (private first).
    await eventually(
      'the token box',
      () => input.getAttribute('type'),
      (type) => type === 'password',
    );
    await input.fill(HUB_TOKEN);
    await page.keyboard.press('Enter');
    await eventually(
      'the repository id box',
      () => input.inputValue(),
      (value) => value.startsWith('tester/'),
    );
    const repoId = await input.inputValue();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Private' }).first().click();
    await eventually(
      'the pushed notification',
      () => workbench.notifications(),
      (texts) => texts.some((t) => t.includes(`Adapter pushed to ${repoId}`)),
      60_000,
    );
    const repo = hub.repos.get(repoId)!;
    expect(repo.private).toBe(true);
    expect([...repo.files.keys()]).toEqual(expect.arrayContaining(['adapter_model.safetensors', 'adapter_config.json', 'README.md']));
    expect(repo.files.get('adapter_model.safetensors')!.length).toBeGreaterThan(1000);
    await workbench.screenshot('hub-pushed-light');
  });

  it('tries the adapter with a prompt: base and adapter answers side by side', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.runCommand('BrightRun: Try Adapter with a Prompt');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: RUN_NAME }).first().waitFor();
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await eventually(
      'the prompt box',
      () => input.getAttribute('placeholder'),
      (text) => /How do I/.test(text ?? ''),
    );
    await input.fill('How do I reset the Glow lamp?');
    await page.keyboard.press('Enter');
    // The trainer's `generate` runs on the host; its two answers open in a diff editor.
    const tab = page.locator('.tabs-container .tab', { hasText: `Base ↔ Adapter (${RUN_NAME})` });
    await tab.first().waitFor({ timeout: 120_000 });
    await page.locator('.monaco-diff-editor').first().waitFor();
    // The editor renders spaces as no-break spaces: compare words, not bytes.
    const shown = await eventually(
      'both answers rendered',
      async () => (await page.locator('.monaco-diff-editor').first().innerText()).replace(/\s+/g, ' '),
      (text) => text.includes(`With the adapter of ${RUN_NAME}`),
    );
    expect(shown).toContain('Prompt: How do I reset the Glow lamp?');
    await workbench.screenshot('try-adapter-light');
  }, 180_000);

  it('compares runs in the compare panel', async () => {
    const { workbench } = session();
    await workbench.runCommand('BrightRun: Compare Runs');
    const page = workbench.page;
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: RUN_NAME }).first();
    await row.waitFor();
    const checkbox = row.locator('.quick-input-list-checkbox');
    if (await checkbox.count()) await checkbox.first().click();
    else await row.click();
    await page.keyboard.press('Enter');
    const compare = await workbench.webviewFrame('Compare 1 run');
    await compare.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    await compare.getByText(RUN_NAME).first().waitFor();
    await workbench.screenshot('compare-light');
  });

  it('saves the finished run as a template, which the launch form offers with the data left to pick', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.runCommand('BrightRun: Save as Template');
    // The Compare Runs pick (many at once) stays in the page, hidden, with a row of the same run: take the shown one.
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: RUN_NAME }).filter({ visible: true }).first().click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await eventually(
      "the name box with the run's name",
      () => input.inputValue(),
      (value) => value === RUN_NAME,
    );
    await input.fill('E2E template');
    await page.keyboard.press('Enter');
    // Written beside the run's config and opened, with nothing of this machine in it.
    const path = join(workspace, 'e2e-template.brightrun.json');
    await eventually(
      'the template file',
      async () => existsSync(path),
      (written) => written,
    );
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(workspace);
    expect(JSON.parse(text)).toMatchObject({
      template: { name: 'E2E template', variables: { train: {}, validation: {} } },
      name: RUN_NAME,
      datasets: { train: '${train}', validation: '${validation}' },
      baseModel: './models/tiny',
      hyperparameters: { epochs: 1, batchSize: 8, gradAccum: 1, learningRate: 0.001 },
      pricePerGpuHour: 0.5,
    });
    await eventually(
      "the template's CodeLens",
      () => workbench.codeLensTexts(),
      (texts) => texts.some((t) => t.includes('New run from this template')),
    );
    await workbench.screenshot('template-saved-light');

    // The lens opens a new run made from it: its settings filled in, its variables (the data) for the user.
    await page.locator('.codelens-decoration a', { hasText: 'New run from this template' }).first().click();
    const form = await workbench.webviewFrame('New Run: E2E template');
    await form.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    const note = form.locator('[data-testid="template-note"]');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.innerText()).toMatch(/train\s+Training data/);
    const valueOf = (field: string) => form.locator(`[data-testid="input-${field}"]`).evaluate((el) => (el as HTMLInputElement).value);
    expect(await valueOf('baseModel')).toBe('./models/tiny');
    expect(await valueOf('hyperparameters.learningRate')).toBe('0.001');
    expect(await valueOf('datasets.train')).toBe('');
    await eventually(
      'the template chosen in the picker',
      () => valueOf('template'),
      (value) => value === path,
    );
    await workbench.screenshot('template-form-light');
  });

  it('restores the monitor with its history after a window reload', async () => {
    const { workbench } = session();
    // The harness knows the window is back when the Explorer lists the folder.
    await workbench.openViewContainer('Explorer');
    await workbench.reloadWindow();
    const monitor = await eventually(
      'the restored monitor',
      () => workbench.webviewFrame(`Monitor: ${RUN_NAME}`),
      () => true,
      90_000,
    );
    await monitor.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    await monitor.locator('[data-testid="run-done"]').waitFor({ timeout: 60_000 });
    expect(await stepCounter(monitor)).toBeGreaterThan(1);
    await eventually(
      'the replayed loss curve',
      () => monitor.locator('section.br-chart path.recharts-curve').first().getAttribute('d'),
      (d) => (d ?? '').split(/[LC]/).length > 2,
      60_000,
    );
    await workbench.screenshot('monitor-restored-light');
  }, 240_000);

  it('looks like part of VS Code in a dark theme', async () => {
    const { workbench } = session();
    await workbench.setTheme('Default Dark Modern');
    const monitor = await workbench.webviewFrame(`Monitor: ${RUN_NAME}`);
    await monitor.locator('[data-testid="run-done"]').waitFor();
    await workbench.screenshot('monitor-restored-dark');
    await workbench.openViewContainer('Training');
    await (await workbench.view('Runs')).locator('.monaco-list-row', { hasText: RUN_NAME }).first().waitFor();
    await (await workbench.view('Datasets')).locator('.monaco-list-row', { hasText: 'chat-train.jsonl' }).first().waitFor();
    await workbench.screenshot('training-views-dark');
    await workbench.runCommand('BrightRun: New Training Run');
    const form = await workbench.webviewFrame('New Training Run');
    await form.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    await workbench.screenshot('launch-form-dark');
    await workbench.webviewFrame('Compare 1 run');
    await workbench.screenshot('compare-dark');
  });
});
