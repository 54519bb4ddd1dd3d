// Evaluation in the real editor: a real local CPU run of the tiny test model, then *Evaluate Adapter* from the
// Models view's context menu on a prompt set of the workspace; the trainer measures base against adapter on the
// host and the Evaluation panel shows the scorecard, the gates and the answers; the report is saved as JSON.
// The same adapter is then exported to Ollama from the Models view.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, makeTinyModel, projectPython as python, useSession, workspaceWithSamples } from './harness';

const RUN_NAME = 'e2e eval run';
const runsRoot = mkdtempSync(join(tmpdir(), 'brightrun-e2e-eval-runs-'));

const PROMPTS = [
  { prompt: 'How do I clean the Ember heater?', reference: 'Wipe the Ember heater with a damp cloth once it is cold and unplugged.' },
  { prompt: 'My Pulse grinder stopped working, what should I do?', reference: 'Unplug the Pulse grinder for a minute, then plug it in again.' },
  { prompt: 'Reply with the product and the problem as JSON: my Glow lamp flickers.', reference: '{"product": "Glow lamp", "problem": "flickers"}' },
];

function prepareWorkspace(): string {
  const workspace = workspaceWithSamples();
  makeTinyModel(workspace);
  const config = {
    name: RUN_NAME,
    datasets: { train: 'chat-train.jsonl', validation: 'chat-val.jsonl' },
    baseModel: './models/tiny',
    preset: 'balanced',
    hyperparameters: { maxSteps: 12, batchSize: 8, gradAccum: 1, learningRate: 0.003 },
    maxSeqLen: 256,
    host: 'local',
    // The adapter is evaluated on request below, not at the end of training.
    evaluate: false,
  };
  writeFileSync(join(workspace, 'eval.brightrun.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(join(workspace, 'support.prompts.jsonl'), PROMPTS.map((p) => JSON.stringify(p)).join('\n') + '\n');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': runsRoot };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return workspace;
}

function adapterDir(): string {
  const [runId] = readdirSync(join(runsRoot, 'runs'));
  return join(runsRoot, 'runs', runId, 'adapter');
}

describe('evaluating an adapter from the editor', () => {
  const workspace = prepareWorkspace();
  const session = useSession(() => ({ workspace, theme: 'Default Light Modern' }));

  it('trains the tiny model to completion', async () => {
    const { workbench } = session();
    await workbench.openFile('eval.brightrun.json');
    await workbench.runCommand('BrightRun: Launch Training from Config');
    const monitor = await eventually(
      'the monitor to open',
      () => workbench.webviewFrame(`Monitor: ${RUN_NAME}`),
      () => true,
      120_000,
    );
    await monitor.locator('[data-testid="run-done"]').waitFor({ timeout: 400_000 });
    expect(existsSync(join(adapterDir(), 'adapter_config.json'))).toBe(true);
    expect(existsSync(join(adapterDir(), 'eval.json'))).toBe(false);
  }, 600_000);

  it('runs Evaluate from the Models view and shows the report in the Evaluation panel', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.openViewContainer('Training');
    const models = await workbench.view('Models');
    const row = models.locator('.monaco-list-row', { hasText: RUN_NAME }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click({ button: 'right' });
    const evaluate = page.locator('.monaco-menu .action-label', { hasText: /^Evaluate Adapter$/ }).first();
    await evaluate.click();
    // The context menu can drop a click that lands while it is still opening on a busy machine; the item stays
    // highlighted, and Enter runs it. A click that worked closes the menu at once.
    await evaluate.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => page.keyboard.press('Enter'));
    // Which prompts: the validation set, the workspace's prompt sets, or another file.
    const promptSet = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'support.prompts.jsonl' });
    await promptSet.first().click();

    const panel = await eventually(
      'the Evaluation panel',
      () => workbench.webviewFrame(`Evaluation: ${RUN_NAME}`),
      () => true,
      60_000,
    );
    await panel.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    const scorecard = panel.locator('[data-testid="scorecard"]');
    await scorecard.waitFor({ timeout: 300_000 });
    await eventually(
      'the evaluation to end',
      () => panel.locator('[data-testid="busy"]').count(),
      (n) => n === 0,
      60_000,
    );

    const cells = async (key: string) => scorecard.locator(`tr[data-key="${key}"] td`).allInnerTexts();
    const validation = await cells('val_perplexity');
    expect(validation).toHaveLength(3);
    expect(Number(validation[0])).toBeGreaterThan(1);
    expect(Number(validation[1])).toBeGreaterThan(1);
    expect((await cells('retention_perplexity'))[2]).toMatch(/^[+-]\d+\.\d%/);
    expect(await scorecard.locator('tr[data-key="valid_json_rate"]').count()).toBe(1);
    expect(await panel.locator('[data-testid="gates"] li').count()).toBeGreaterThanOrEqual(2);
    expect(await panel.locator('[data-testid^="answer-"]').count()).toBe(PROMPTS.length);
    expect(await panel.locator('[data-testid="answer-0"]').innerText()).toContain(PROMPTS[0].prompt);

    // The same report is beside the adapter on the host, with its Markdown and the model card's section.
    const report = JSON.parse(readFileSync(join(adapterDir(), 'eval.json'), 'utf8'));
    expect(report.prompts.source).toBe(join(workspace, 'support.prompts.jsonl'));
    expect(Number(validation[1])).toBeCloseTo(report.adapter.perplexity, 1);
    expect(readFileSync(join(adapterDir(), 'EVAL.md'), 'utf8')).toContain('## Scorecard');
    expect(readFileSync(join(adapterDir(), 'README.md'), 'utf8')).toContain('## Evaluation');
    await workbench.screenshot('evaluation-panel-light');
  }, 420_000);

  it('saves the report as JSON from the panel', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const panel = await workbench.webviewFrame(`Evaluation: ${RUN_NAME}`);
    await panel.locator('vscode-button', { hasText: 'Save as JSON' }).first().click();
    // code-server's save dialog is a quick input holding the suggested path: accept it.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await eventually(
      'the save dialog',
      () => input.inputValue(),
      (value) => value.endsWith('-eval.json'),
    );
    await page.keyboard.press('Enter');
    const saved = await eventually(
      'the saved report',
      async () => readdirSync(workspace).filter((name) => name.endsWith('-eval.json')),
      (names) => names.length === 1,
      30_000,
    );
    const report = JSON.parse(readFileSync(join(workspace, saved[0]), 'utf8'));
    expect(report.v).toBe(1);
    expect(report.prompts.count).toBe(PROMPTS.length);
    await panel.getByText(`Saved to ${join(workspace, saved[0])}`).waitFor();
  });

  // On the same finished run: Ollama is not installed in the test machine, so the export writes the folder and
  // the notification offers the command to copy.
  it('exports the adapter to Ollama from the Models view', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.openViewContainer('Training');
    const models = await workbench.view('Models');
    const row = models.locator('.monaco-list-row', { hasText: RUN_NAME }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click({ button: 'right' });
    const exportItem = page.locator('.monaco-menu .action-label', { hasText: /^Export to Ollama$/ }).first();
    await exportItem.click();
    await exportItem.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => page.keyboard.press('Enter'));
    const form = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Adapter as it is (safetensors)' });
    await form.first().click();
    const name = page.locator('.quick-input-widget .quick-input-box input');
    await eventually(
      'the model name box',
      () => name.inputValue(),
      (value) => value === 'e2e-eval-run',
    );
    await page.keyboard.press('Enter');
    const notification = await eventually(
      'the export notification',
      () => workbench.notifications(),
      (texts) => texts.some((text) => text.includes('Ollama is not installed here')),
      120_000,
    );
    const modelfile = join(adapterDir(), '..', 'ollama', 'Modelfile');
    expect(notification.join('\n')).toContain(`ollama create e2e-eval-run -f ${modelfile}`);
    await page.locator('.notification-toast a.monaco-button', { hasText: 'Copy Command' }).first().waitFor();
    const text = readFileSync(modelfile, 'utf8');
    expect(text).toContain(`FROM ${join(workspace, 'models', 'tiny')}\n`);
    expect(text).toContain(`ADAPTER ${adapterDir()}\n`);
    expect(text).toContain('PARAMETER stop "<|im_end|>"');
    await workbench.screenshot('export-to-ollama-notification');
  }, 180_000);

  it('looks like part of VS Code in a dark theme', async () => {
    const { workbench } = session();
    await workbench.setTheme('Default Dark Modern');
    const panel = await workbench.webviewFrame(`Evaluation: ${RUN_NAME}`);
    await panel.locator('[data-testid="scorecard"]').waitFor();
    await workbench.screenshot('evaluation-panel-dark');
  });
});
