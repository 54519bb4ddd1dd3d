// The Spend panel in the real editor, over real runs: two CPU runs of the tiny model made with `brightrun train`
// (one at $3 per GPU-hour in a project, one without a price), a monthly budget so small that both thresholds are
// crossed, then BrightRun: Show Spend. Checks the status-bar item, the budget notification and the panel's figures,
// and takes screenshots in dark and light.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually, makeTinyModel, projectPython as python, repoRoot, useSession, workspaceWithSamples } from './harness';

const builtCli = join(repoRoot, 'dist', 'cli.js');

function prepare() {
  const home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-home-'));
  const workspace = workspaceWithSamples();
  makeTinyModel(workspace);
  const config = (name: string, extra: Record<string, unknown>) =>
    JSON.stringify(
      {
        name,
        datasets: { train: 'chat-train.jsonl' },
        baseModel: './models/tiny',
        hyperparameters: { maxSteps: 3, batchSize: 2, gradAccum: 1 },
        maxSeqLen: 128,
        evaluate: false,
        validationSplit: 0,
        host: 'local',
        ...extra,
      },
      null,
      2,
    ) + '\n';
  writeFileSync(join(workspace, 'priced.brightrun.json'), config('spend e2e priced', { project: 'support-bot', pricePerGpuHour: 3 }));
  writeFileSync(join(workspace, 'unpriced.brightrun.json'), config('spend e2e unpriced', {}));
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  // A budget a few seconds of CPU at $3/h passes: the 100% notification and the error background.
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': join(home, 'local'), 'brightrun.spend.monthlyBudgetUsd': 0.0001 };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return { home, workspace };
}

describe('the Spend panel in the editor', () => {
  const { home, workspace } = prepare();
  const session = useSession(() => ({ workspace, brightrunHome: home, theme: 'Default Dark Modern' }));
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [builtCli, ...args], {
      cwd: workspace,
      env: { ...process.env, BRIGHTRUN_HOME: home, BRIGHTRUN_PYTHON: python },
      timeout: 300_000,
    });

  it('shows the month over real runs, with the budget in the status bar and a notification past it', async () => {
    await cli(['train', 'priced.brightrun.json', '--follow']);
    await cli(['train', 'unpriced.brightrun.json', '--follow']);
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    const runs = await workbench.view('Runs');
    await runs.locator('.monaco-list-row', { hasText: 'spend e2e unpriced' }).first().waitFor({ timeout: 60_000 });

    const status = await eventually(
      'the spend in the status bar',
      () => workbench.statusBarTexts(),
      (texts) => texts.some((t) => /\$0\.\d+ \/ \$0\.0001/.test(t)),
    );
    expect(status.join(' ')).toMatch(/\$0\.\d+ \/ \$0\.0001/);
    // The notification came while the runs trained (its toast may have timed out since): the notification
    // centre keeps it, once.
    await workbench.runCommand('Notifications: Show Notifications');
    const centre = workbench.page.locator('.notifications-center .notification-list-item-message');
    const notices = await eventually(
      'the budget notification',
      () => centre.allInnerTexts(),
      (texts) => texts.some((t) => /is over the monthly GPU budget/.test(t)),
    );
    expect(notices.filter((t) => /monthly GPU budget/.test(t))).toHaveLength(1);
    await workbench.screenshot('spend-budget-notification-dark');
    await workbench.runCommand('Notifications: Hide Notifications');

    await workbench.runCommand('BrightRun: Show Spend');
    const panel = await workbench.webviewFrame('Spend');
    await panel.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await panel.locator('[data-testid="total"]').innerText()).toMatch(/\$0\.\d+ \+ unknown/);
    expect(await panel.locator('[data-testid="budget"]').getAttribute('data-level')).toBe('exceeded');
    const projects = await panel.locator('section[aria-label="Per project"] tbody tr').allInnerTexts();
    expect(projects.map((row) => row.split('\t')[0])).toEqual(['support-bot', '(no project)']);
    const runRows = await panel.locator('section[aria-label="Per run"] tbody tr').allInnerTexts();
    expect(runRows.join('\n')).toMatch(/spend e2e unpriced[\s\S]*none\s+unknown/);
    await panel.locator('.recharts-bar-rectangle').first().waitFor();
    await workbench.screenshot('spend-panel-dark');
    await workbench.setTheme('Default Light Modern');
    await workbench.webviewFrame('Spend');
    await workbench.screenshot('spend-panel-light');
  }, 600_000);
});
