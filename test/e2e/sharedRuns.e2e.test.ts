// One run list for the editor and the command line: a run started with `brightrun train` (a child process with
// the editor's BRIGHTRUN_HOME) shows up live in the Runs view, and a run launched in the editor is listed by
// `brightrun runs --json`. The trainer is the engine tests' stand-in (a fast, scripted trainer speaking the same
// files), for both faces: the real trainer is covered by training.e2e.test.ts.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { eventually, makeWorkspace, repoRoot, useSession } from './harness';

const CLI_RUN = 'started in a terminal';
const EDITOR_RUN = 'started in the editor';
const builtCli = join(repoRoot, 'dist', 'cli.js');

/** A "python" that is the stand-in trainer, slow enough (40 steps of 150 ms) to be seen running. */
function standInPython(): string {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-e2e-python-'));
  const path = join(dir, 'python');
  const trainer = join(repoRoot, 'test', 'unit', 'runs', 'helpers', 'stubTrainer.mjs');
  writeFileSync(path, `#!/bin/sh\nSTUB_TOTAL_STEPS=40 STUB_STEP_MS=150 exec "${process.execPath}" "${trainer}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

function prepare() {
  const home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-home-'));
  const python = standInPython();
  const train = readFileSync(join(repoRoot, 'samples', 'chat-train.jsonl'), 'utf8');
  const config = (name: string) => JSON.stringify({ name, datasets: { train: 'chat-train.jsonl' }, baseModel: 'tiny', host: 'local' }, null, 2) + '\n';
  const workspace = makeWorkspace({
    'chat-train.jsonl': train,
    'cli.brightrun.json': config(CLI_RUN),
    'editor.brightrun.json': config(EDITOR_RUN),
    '.vscode/settings.json': JSON.stringify({ 'brightrun.pythonPath': python, 'brightrun.localWorkdir': join(home, 'local') }),
  });
  return { home, python, workspace };
}

interface ListedRun {
  id: string;
  state: string;
  config: { name: string | null };
}

describe('one run list for the editor and the command line', () => {
  const { home, python, workspace } = prepare();
  const session = useSession(() => ({ workspace, brightrunHome: home, theme: 'Default Light Modern' }));
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [builtCli, ...args], {
      cwd: workspace,
      env: { ...process.env, BRIGHTRUN_HOME: home, BRIGHTRUN_PYTHON: python },
      timeout: 60_000,
    });

  it('shows a run started with the CLI live in the Runs view', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    const runs = await workbench.view('Runs');
    await runs.getByText('No training runs yet.').waitFor();

    const started = await cli(['train', 'cli.brightrun.json']);
    const runId = /Run (\S+) started on local/.exec(started.stdout)?.[1];
    expect(runId).toBeTruthy();
    const row = runs.locator('.monaco-list-row', { hasText: CLI_RUN }).first();
    // Listed while it runs, with its step moving, then finished: the editor follows the run itself.
    await eventually(
      'the CLI run listed as running',
      () => row.getAttribute('aria-label'),
      (label) => /running/.test(label ?? ''),
      30_000,
    );
    await workbench.screenshot('shared-runs-cli-run-live-light');
    await eventually(
      'the CLI run completed in the Runs view',
      () => row.locator('.codicon-pass-filled').count(),
      (n) => n === 1,
      60_000,
    );
  }, 120_000);

  it('lists a run launched in the editor in `brightrun runs --json`', async () => {
    const { workbench } = session();
    await workbench.openFile('editor.brightrun.json');
    await workbench.runCommand('BrightRun: Launch Training from Config');
    const runs = await workbench.view('Runs');
    await runs.locator('.monaco-list-row', { hasText: EDITOR_RUN }).first().waitFor({ timeout: 60_000 });

    const listed = await eventually(
      'the editor run in brightrun runs --json',
      async () => JSON.parse((await cli(['runs', '--json'])).stdout) as ListedRun[],
      (list) => list.some((run) => run.config.name === EDITOR_RUN),
      30_000,
    );
    expect(listed.map((run) => run.config.name).sort()).toEqual([EDITOR_RUN, CLI_RUN].sort());
    expect(listed.find((run) => run.config.name === CLI_RUN)?.state).toBe('completed');
    const text = await cli(['runs']);
    expect(text.stdout).toContain(EDITOR_RUN);
  }, 120_000);
});
