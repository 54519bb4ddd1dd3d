// Automatic recovery in the real editor: a real CPU run of the tiny model started with `brightrun train`, made to
// run out of memory at micro-batch 4 after two steps (the trainer's test hook, in the CLI's environment only), is
// restarted by the engine the editor runs with micro-batch 2 and completes; its monitor marks the restart on the
// loss curve. Screenshot of the monitor.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually, makeTinyModel, projectPython as python, repoRoot, useSession, workspaceWithSamples } from './harness';

const NAME = 'recovery e2e';
const builtCli = join(repoRoot, 'dist', 'cli.js');

function prepare() {
  const home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-home-'));
  const workspace = workspaceWithSamples();
  makeTinyModel(workspace);
  const config = {
    name: NAME,
    datasets: { train: 'chat-train.jsonl' },
    baseModel: './models/tiny',
    hyperparameters: { maxSteps: 8, batchSize: 4, gradAccum: 1 },
    checkpointEvery: 2,
    maxSeqLen: 128,
    evaluate: false,
    validationSplit: 0,
    host: 'local',
  };
  writeFileSync(join(workspace, 'oom.brightrun.json'), JSON.stringify(config, null, 2) + '\n');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': join(home, 'local') };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return { home, workspace };
}

describe('automatic recovery in the editor', () => {
  const { home, workspace } = prepare();
  const session = useSession(() => ({ workspace, brightrunHome: home, theme: 'Default Dark Modern' }));

  it('restarts a run that ran out of memory and marks the restart on its loss curve', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    const runs = await workbench.view('Runs');
    await runs.getByText('No training runs yet.').waitFor();

    // The first attempt starts from the CLI, whose environment arms the hook; the editor follows the run and
    // restarts it (with half the micro-batch, under the hook's limit).
    await promisify(execFile)(process.execPath, [builtCli, 'train', 'oom.brightrun.json'], {
      cwd: workspace,
      env: { ...process.env, BRIGHTRUN_HOME: home, BRIGHTRUN_PYTHON: python, BRIGHTRUN_TEST_OOM_BATCH_SIZE: '4', BRIGHTRUN_TEST_OOM_AFTER_STEP: '2' },
      timeout: 120_000,
    });
    const row = runs.locator('.monaco-list-row', { hasText: NAME }).first();
    await eventually(
      'the run completed in the Runs view',
      () => row.locator('.codicon-pass-filled').count(),
      (n) => n === 1,
      300_000,
    );
    await row.click(); // opens its monitor
    const monitor = await workbench.webviewFrame(`Monitor: ${NAME}`);
    await monitor.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    const loss = monitor.getByRole('region', { name: 'Loss' });
    await loss.getByText('attempt 2: out of memory').waitFor({ timeout: 30_000 });
    expect(await loss.locator('.recharts-reference-line').count()).toBe(1);
    expect(await monitor.locator('[data-testid="run-error"]').count()).toBe(0);
    expect(await monitor.locator('[data-testid="step-counter"]').innerText()).toContain('8');
    await workbench.screenshot('recovery-monitor-dark');
  }, 600_000);
});
