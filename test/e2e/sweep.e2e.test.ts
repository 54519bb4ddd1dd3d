// A sweep in the real editor: a two-run grid over the learning rate (the tiny model on this machine's CPU, a few
// steps each) launched from its config with "Launch Training from Config", its runs grouped under the sweep's node
// in the Runs view with its progress and best run, the notification that it finished, and its Compare action
// opening Compare with the best run starred.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, makeTinyModel, projectPython as python, useSession, workspaceWithSamples } from './harness';

function prepare() {
  const home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-home-'));
  const workspace = workspaceWithSamples();
  makeTinyModel(workspace);
  const config = {
    name: 'lr e2e',
    datasets: { train: 'chat-train.jsonl', validation: 'chat-val.jsonl' },
    baseModel: './models/tiny',
    hyperparameters: { maxSteps: 4, batchSize: 2, gradAccum: 1 },
    maxSeqLen: 128,
    evaluate: false,
    host: 'local',
    sweep: { parameters: { learningRate: [1e-6, 3e-3] } },
  };
  writeFileSync(join(workspace, 'lr.brightrun.json'), JSON.stringify(config, null, 2) + '\n');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': join(home, 'local') };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return { home, workspace };
}

describe('a sweep in the editor', () => {
  const { home, workspace } = prepare();
  const session = useSession(() => ({ workspace, brightrunHome: home, theme: 'Default Dark Modern' }));

  it('launches every run, groups them under the sweep with its best run, and compares them with the best starred', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.openViewContainer('Training');
    const runs = await workbench.view('Runs');
    await workbench.openFile('lr.brightrun.json');
    await workbench.runCommand('BrightRun: Launch Training from Config');

    const sweep = runs.locator('.monaco-list-row', { hasText: 'lr e2e' }).filter({ hasText: /done/ }).first();
    const label = await eventually(
      'the sweep node with both runs ended and its best run',
      () => sweep.getAttribute('aria-label'),
      (text) => /^Sweep lr e2e, 2\/2 done, best: lr=\S+ eval \S+$/.test(text ?? ''),
      300_000,
    );
    expect(label).toMatch(/best: lr=3e-3 /); // the learning rate that learns, against one that barely moves
    // Its two runs are listed under it, the best one starred.
    await runs.locator('.monaco-list-row', { hasText: 'lr e2e lr=1e-6' }).first().waitFor();
    const best = runs.locator('.monaco-list-row', { hasText: 'lr e2e lr=3e-3' }).first();
    await eventually(
      'the best run starred',
      () => best.innerText(),
      (text) => text.includes('★ best'),
    );
    await workbench.screenshot('sweep-runs-view-dark');

    // The node's context menu has Compare Sweep; the notification that the sweep finished offers Compare.
    await sweep.click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Compare Sweep' }).waitFor();
    await page.keyboard.press('Escape');
    const finished = page.locator('.notification-toast', { hasText: 'Sweep lr e2e finished' });
    await finished.waitFor({ timeout: 60_000 });
    expect(await finished.locator('.notification-list-item-message').innerText()).toMatch(/^Sweep lr e2e finished: 2\/2 done, best: lr=3e-3 eval \S+\.$/);
    await finished.getByRole('button', { name: 'Compare' }).click();
    const compare = await workbench.webviewFrame('Compare 2 runs');
    await compare.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    const legendBest = compare.locator('.br-legend-item', { hasText: 'lr e2e lr=3e-3' }).locator('[data-testid="best-mark"]');
    await legendBest.waitFor();
    expect(await legendBest.getAttribute('title')).toMatch(/^Best run of sweep lr e2e: lowest eval_loss \(\S+\)$/);
    expect(await compare.locator('.br-legend-item', { hasText: 'lr e2e lr=1e-6' }).locator('[data-testid="best-mark"]').count()).toBe(0);
    await compare.getByText('Sweep: eval_loss').waitFor();
    await workbench.screenshot('sweep-compare-dark');
  }, 600_000);
});
