// Preference tuning in the real editor: a broken preference file's findings at the places the CLI reports, then a
// real local CPU DPO run of the tiny test model launched from the form (which shows the DPO settings), followed
// in the monitor until its preference charts (reward margin, preference accuracy, rewards) have drawn lines.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, makeTinyModel, makeWorkspace, projectPython as python, repoRoot, useSession } from './harness';

const RUN_NAME = 'e2e tiny dpo';

interface CliFinding {
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

function cliFindings(file: string): CliFinding[] {
  try {
    execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'validate', '--json', file], { encoding: 'utf8' });
    throw new Error(`brightrun validate found no errors in ${file}`);
  } catch (error) {
    // Exit 1 means "the file has errors", which is what the broken sample is for; the JSON is still on stdout.
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status !== 1 || !failed.stdout) throw error;
    return (JSON.parse(failed.stdout) as { files: { findings: CliFinding[] }[] }).files[0].findings;
  }
}

const key = (p: { line: number; column: number; code: string }) => `${p.line}:${p.column}:${p.code}`;

function prepareWorkspace(): string {
  const workspace = makeWorkspace({});
  for (const file of ['train.jsonl', 'val.jsonl', 'broken.jsonl']) cpSync(join(repoRoot, 'samples', 'preference', file), join(workspace, `prefs-${file}`));
  // The tiny model's tokenizer is trained on the chat sample (no download).
  cpSync(join(repoRoot, 'samples', 'chat-train.jsonl'), join(workspace, 'chat-train.jsonl'));
  makeTinyModel(workspace);
  const config = {
    name: RUN_NAME,
    datasets: { train: 'prefs-train.jsonl', validation: 'prefs-val.jsonl' },
    baseModel: './models/tiny',
    method: 'dpo',
    preference: { beta: 0.1 },
    preset: 'balanced',
    hyperparameters: { maxSteps: 12, batchSize: 8, gradAccum: 1, learningRate: 0.001 },
    maxSeqLen: 256,
    evalEvery: 4,
    host: 'local',
  };
  writeFileSync(join(workspace, 'dpo.brightrun.json'), JSON.stringify(config, null, 2) + '\n');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = { 'brightrun.pythonPath': python, 'brightrun.localWorkdir': mkdtempSync(join(tmpdir(), 'brightrun-e2e-runs-')) };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  return workspace;
}

describe('preference tuning in the editor', () => {
  const workspace = prepareWorkspace();
  const session = useSession(() => ({ workspace, theme: 'Default Dark Modern' }));

  it("shows a broken preference file's findings in the Problems panel at the places the CLI reports", async () => {
    const { workbench } = session();
    const expected = cliFindings(join(workspace, 'prefs-broken.jsonl'));
    expect(expected.length).toBeGreaterThan(5);
    await workbench.openFile('prefs-broken.jsonl');
    const problems = await eventually(
      'the findings of prefs-broken.jsonl in the Problems panel',
      async () => (await workbench.readProblems()).filter((p) => p.file === 'prefs-broken.jsonl'),
      (rows) => rows.length >= expected.length,
    );
    expect(problems.map(key).sort()).toEqual(expected.map(key).sort());
    for (const finding of expected) {
      const row = problems.find((p) => key(p) === key(finding))!;
      expect(row.message, `message of ${key(finding)}`).toBe(finding.message);
    }
    await workbench.screenshot('preference-problems-dark');
  });

  it('launches a real DPO run from the form and the monitor draws its preference charts', async () => {
    const { workbench } = session();
    await workbench.openFile('dpo.brightrun.json');
    await workbench.runCommand('BrightRun: Open Config in Form');
    const form = await workbench.webviewFrame('Run: dpo.brightrun.json');
    await form.locator('main[data-ready="true"]').waitFor({ timeout: 30_000 });
    await form.locator('[data-testid="dpo-settings"]').waitFor();
    expect(await form.locator('[data-testid="input-preference.beta"]').evaluate((el) => (el as HTMLInputElement).value)).toBe('0.1');
    const basis = await eventually(
      'an estimate',
      () => form.locator('[data-testid="estimate"]').innerText(),
      (t) => /reference forward pass/.test(t),
      60_000,
    );
    expect(basis).toContain('pairs');
    await workbench.screenshot('preference-launch-form-dark');
    await form.locator('vscode-button', { hasText: 'Launch' }).first().click();

    const monitor = await eventually(
      'the monitor to open',
      () => workbench.webviewFrame(`Monitor: ${RUN_NAME}`),
      () => true,
      120_000,
    );
    await monitor.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    await monitor.locator('[data-testid="run-done"]').waitFor({ timeout: 420_000 });
    for (const title of ['Reward margin', 'Preference accuracy', 'Rewards']) {
      const chart = monitor.locator('section.br-chart', { hasText: title }).first();
      await eventually(
        `a ${title} curve with points`,
        () => chart.locator('path.recharts-curve').first().getAttribute('d'),
        (d) => (d ?? '').split(/[LC]/).length > 2,
        60_000,
      );
    }
    // ORPO's own term is not drawn for a DPO run.
    expect(await monitor.locator('section.br-chart', { hasText: 'Odds-ratio loss' }).count()).toBe(0);
    await monitor.locator('section.br-chart', { hasText: 'Reward margin' }).first().scrollIntoViewIfNeeded();
    await workbench.screenshot('preference-monitor-done-dark');
  }, 600_000);
});
