// Training over SSH from the real editor: a real OpenSSH server on loopback is configured as a `brightrun.hosts`
// entry, a run config targeting it is launched from its "Launch" CodeLens, the host key modal shows the
// server's fingerprint and is accepted, and the monitor follows the run on that host to completion; the Runs
// view lists it under the SSH host's group.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownHostsEntry, startSshd, type TestSshd } from '../integration/helpers/sshd';
import { eventually, makeTinyModel, projectPython as python, useSession, workspaceWithSamples } from './harness';

const HOST = 'loopback-gpu';
const RUN_NAME = 'e2e ssh run';
const MAX_STEPS = 30;

function prepareWorkspace(): { workspace: string; model: string } {
  const workspace = workspaceWithSamples();
  // The base model must already be on the host (model folders are not uploaded); on loopback, any local path is.
  const model = makeTinyModel(workspace);
  const config = {
    name: RUN_NAME,
    datasets: { train: 'chat-train.jsonl', validation: 'chat-val.jsonl' },
    baseModel: model,
    preset: 'balanced',
    hyperparameters: { maxSteps: MAX_STEPS, batchSize: 4, gradAccum: 1, learningRate: 0.001 },
    maxSeqLen: 128,
    evalEvery: 15,
    host: HOST,
  };
  writeFileSync(join(workspace, 'remote.brightrun.json'), JSON.stringify(config, null, 2) + '\n');
  return { workspace, model };
}

/** The SHA256 fingerprint of a public key line, as `ssh-keygen -lf` prints it (SHA256:...). */
function fingerprintOf(publicKeyLine: string, dir: string): string {
  const file = join(dir, 'host-key-copy.pub');
  writeFileSync(file, publicKeyLine);
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' });
  return /(SHA256:\S+)/.exec(printed)![1];
}

async function stepCounter(frame: Frame): Promise<number> {
  const text = (await frame.locator('[data-testid="step-counter"]').innerText()).replace(/,/g, '');
  return Number(/(\d+)/.exec(text)?.[1] ?? NaN);
}

describe('training over SSH from the editor', () => {
  const { workspace } = prepareWorkspace();
  let sshd: TestSshd;
  let remoteWorkdir: string;
  // The extension host inherits code-server's environment: a throwaway HOME keeps the accepted host key out of
  // the developer's ~/.ssh/known_hosts (and their ~/.ssh/config out of the test).
  let home: string;
  const realHome = process.env.HOME;
  beforeAll(async () => {
    sshd = await startSshd();
    remoteWorkdir = mkdtempSync(join(tmpdir(), 'brightrun-e2e-remote-'));
    home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-home-'));
    process.env.HOME = home;
  });
  afterAll(async () => {
    process.env.HOME = realHome;
    await sshd?.stop();
    for (const dir of [sshd?.dir, remoteWorkdir, home]) if (dir) rmSync(dir, { recursive: true, force: true });
  });
  // `brightrun.hosts` is machine-scoped (it names key files and interpreters of this machine), so it lives in
  // the server machine's settings, where "BrightRun: Add SSH Host" writes it in this (remote) window.
  const session = useSession(() => ({
    workspace,
    theme: 'Default Light Modern',
    machineSettings: {
      'brightrun.hosts': [
        { name: HOST, host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.clientKey, workdir: remoteWorkdir, python, manageEnv: false },
      ],
    },
  }));

  it('asks to trust the unknown host key, showing its fingerprint, when the config is launched', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.openFile('remote.brightrun.json');
    const launch = page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: 'Launch' });
    await launch.first().waitFor({ timeout: 60_000 });
    await launch.first().click();

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 90_000 });
    const message = await dialog.locator('.dialog-message-text').innerText();
    expect(message).toContain(`Trust the SSH host "${HOST}"?`);
    const detail = await dialog.locator('.dialog-message-detail').innerText();
    expect(detail).toContain(`127.0.0.1 (port ${sshd.port})`);
    expect(detail).toContain(`ssh-ed25519 key fingerprint: ${fingerprintOf(sshd.hostKeyPub, home)}`);
    await workbench.screenshot('ssh-host-key');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Trust and Connect' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('follows the run on the SSH host in the monitor until it completes', async () => {
    const { workbench } = session();
    const monitor = await eventually(
      'the monitor to open',
      () => workbench.webviewFrame(`Monitor: ${RUN_NAME}`),
      () => true,
      120_000,
    );
    await monitor.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await monitor.locator('.br-header .br-meta').innerText()).toContain(HOST);

    // Every step value the monitor shows on the way: the run advances in front of us, then completes.
    const seen = new Set<number>();
    await eventually(
      'the run to complete',
      async () => {
        const step = await stepCounter(monitor);
        if (Number.isFinite(step)) seen.add(step);
        return monitor.locator('[data-testid="run-done"]').count();
      },
      (count) => count > 0,
      240_000,
    );
    expect(await monitor.locator('[data-testid="run-state"]').innerText()).toBe('completed');
    expect(await stepCounter(monitor)).toBe(MAX_STEPS);
    expect([...seen].filter((step) => step > 0 && step < MAX_STEPS).length).toBeGreaterThan(0);
    expect(await monitor.locator('[data-testid="run-done"]').innerText()).toMatch(new RegExp(`${MAX_STEPS} steps`));

    // The accepted key was remembered, so the next connection does not ask again.
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8')).toContain(knownHostsEntry(sshd).trim());
  }, 300_000);

  it('lists the run under the SSH host in the Runs view', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Training');
    const runs = await workbench.view('Runs');
    const runRow = runs.locator('.monaco-list-row', { hasText: RUN_NAME }).first();
    await runRow.waitFor({ timeout: 60_000 });
    await runRow.locator('.codicon-pass-filled').waitFor();
    // The tree is flat in the DOM: the run belongs to the nearest level-1 row above it.
    const rows = await runs
      .locator('.monaco-list-row')
      .evaluateAll((elements) => elements.map((e) => ({ level: e.getAttribute('aria-level'), label: e.querySelector('.label-name')?.textContent ?? '' })));
    const runIndex = rows.findIndex((row) => row.label.includes(RUN_NAME));
    const group = rows
      .slice(0, runIndex)
      .reverse()
      .find((row) => row.level === '1');
    expect(rows[runIndex].level).toBe('2');
    expect(group?.label).toBe(HOST);
    await workbench.webviewFrame(`Monitor: ${RUN_NAME}`);
    await workbench.screenshot('ssh-monitor-runs');
  });
});
