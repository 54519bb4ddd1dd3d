// A run waiting in this machine's queue, in the real editor: two real CPU runs of the tiny model started with
// `brightrun train` (this machine has no GPU, so one at a time), the second listed in the Runs view with its
// place in the queue and a Move Up in Queue action, its monitor saying it is queued, and both completing.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually, makeTinyModel, projectPython as python, repoRoot, useSession, workspaceWithSamples } from './harness';

const FIRST = 'queue e2e first';
const SECOND = 'queue e2e second';
const builtCli = join(repoRoot, 'dist', 'cli.js');

function prepare() {
  const home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-home-'));
  const workspace = workspaceWithSamples();
  makeTinyModel(workspace);
  const config = (name: string, maxSteps: number) =>
    JSON.stringify(
      {
        name,
        datasets: { train: 'chat-train.jsonl' },
        baseModel: './models/tiny',
        hyperparameters: { maxSteps, batchSize: 2, gradAccum: 1 },
        maxSeqLen: 128,
        evaluate: false,
        validationSplit: 0,
        host: 'local',
      },
      null,
      2,
    ) + '\n';
  writeFileSync(join(workspace, 'first.brightrun.json'), config(FIRST, 60));
  writeFileSync(join(workspace, 'second.brightrun.json'), config(SECOND, 4));
  // The editor and the CLI share the run list and this machine's run folder (the CLI's <home>/local), hence its queue.
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': join(home, 'local') };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return { home, workspace };
}

describe("this machine's run queue in the editor", () => {
  const { home, workspace } = prepare();
  const session = useSession(() => ({ workspace, brightrunHome: home, theme: 'Default Dark Modern' }));
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [builtCli, ...args], {
      cwd: workspace,
      env: { ...process.env, BRIGHTRUN_HOME: home, BRIGHTRUN_PYTHON: python },
      timeout: 120_000,
    });

  it('shows the second run queued with its place, in the Runs view and its monitor, then runs it', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    const runs = await workbench.view('Runs');
    await runs.getByText('No training runs yet.').waitFor();

    await cli(['train', 'first.brightrun.json']);
    await cli(['train', 'second.brightrun.json']);
    const second = runs.locator('.monaco-list-row', { hasText: SECOND }).first();
    const label = await eventually(
      'the second run listed as queued',
      () => second.getAttribute('aria-label'),
      (text) => /queued on local: waiting for a run to end \(1 of 1 running on this host\), position 1/.test(text ?? ''),
      120_000,
    );
    expect(label).toContain('starting');

    // Its context menu offers Move Up in Queue; the first run's does not.
    await second.click({ button: 'right' });
    await workbench.page.locator('.context-view .action-label', { hasText: 'Move Up in Queue' }).waitFor();
    await workbench.page.keyboard.press('Escape');

    await second.click(); // opens its monitor
    const monitor = await workbench.webviewFrame(`Monitor: ${SECOND}`);
    await monitor.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    const queued = await monitor.locator('[data-testid="run-queued"]').innerText();
    expect(queued).toMatch(/queued on local: .*position 1/);
    await workbench.screenshot('queue-run-waiting-dark');

    const first = runs.locator('.monaco-list-row', { hasText: FIRST }).first();
    for (const [row, what] of [
      [first, 'the first run'],
      [second, 'the second run'],
    ] as const) {
      await eventually(
        `${what} completed in the Runs view`,
        () => row.locator('.codicon-pass-filled').count(),
        (n) => n === 1,
        240_000,
      );
    }
    await eventually(
      'the monitor to leave the queue',
      () => monitor.locator('[data-testid="run-queued"]').count(),
      (n) => n === 0,
      30_000,
    );
    await workbench.screenshot('queue-run-completed-dark');
  }, 600_000);
});
