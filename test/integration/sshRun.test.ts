// Training over SSH end to end with the real trainer on a tiny model: a run to completion, a run whose SSH
// session is killed on the server side mid-run, and a trainer killed with SIGKILL. The local mirror must end
// up with every event exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { HOST, hostSettings, mirrorSeqs, openRegistry, PROJECT_PYTHON, range, runConfig, smallDatasets, sshOptions } from './helpers/sshRunFixture';
import { SshHost } from '../../src/platform/sshHost';
import type { RunInfo } from '../../src/core/runs';

let sshd: TestSshd;
let workdir: string;

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  // The remote work directory's name is hostile too: it is in every remote command of the run.
  workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-ssh-run-')), `work "dir" $(touch x) 'q'`);
});
afterAll(async () => {
  await sshd?.stop();
});

const waitUntil = async (check: () => boolean, what: string, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'training over SSH',
  { timeout: 240_000 },
  () => {
    it('runs to completion with datasets and folders whose names are hostile, mirroring every event once', async () => {
      const data = smallDatasets(`project $(touch pwned) \`id\` "q"`);
      const { config, configFile } = runConfig(data);
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const progress: string[] = [];
      const launched = await registry.launch({ config, configFile, onProgress: (m) => progress.push(m) });
      expect(launched.host).toBe(HOST);
      expect(launched.runDir.startsWith(workdir)).toBe(true);
      const done = await registry.waitForEnd(launched.id);
      expect(done.state).toBe('completed');
      expect(done.step).toBe(8);
      const seqs = mirrorSeqs(done.mirrorDir);
      expect(seqs).toEqual(range(seqs.length));
      expect(seqs.length).toBeGreaterThan(10);

      // The trainer read the uploaded copies, which are content-addressed in the work directory.
      const remoteConfig = JSON.parse(readFileSync(join(launched.runDir, 'config.json'), 'utf8'));
      expect(remoteConfig.train_file).toMatch(new RegExp(`^${workdir.replace(/[$()"'.]/g, '\\$&')}/datasets/[0-9a-f]{64}\\.jsonl$`));
      expect(readFileSync(remoteConfig.train_file, 'utf8')).toBe(readFileSync(data.train, 'utf8'));
      expect(existsSync(join(launched.runDir, 'adapter', 'adapter_model.safetensors'))).toBe(true);
      expect(progress.some((m) => /preflight/.test(m))).toBe(true);
      expect(existsSync(join(data.root, 'pwned')) || existsSync('pwned') || existsSync(join(workdir, '..', 'x'))).toBe(false);

      // A second launch finds the datasets already there and does not upload them again.
      const again: string[] = [];
      const second = await registry.launch({ config, configFile, onProgress: (m) => again.push(m) });
      expect(again.filter((m) => /not uploaded again/.test(m))).toHaveLength(2);
      await registry.cancel(second.id);
      registry.dispose();
      hosts.dispose();
    });

    it('finishes with every event exactly once across a killed SSH session, an sshd restart and an editor restart mid-run', async () => {
      const data = smallDatasets('cut');
      const { config, configFile } = runConfig(data, { hyperparameters: { maxSteps: 16, batchSize: 2, gradAccum: 1, learningRate: 0.001 } });
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const launched = await registry.launch({ config, configFile });
      let latest: RunInfo | undefined;
      registry.onDidChange((c) => c.run.id === launched.id && (latest = c.run));
      await waitUntil(() => (latest?.step ?? 0) >= 2, 'the first steps');
      expect(sshd.killSessions()).toBeGreaterThan(0);
      await waitUntil(() => (latest?.step ?? 0) >= 6, 'steps after the first cut');
      // Down for a while: the follower must back off and come back when the server does.
      await sshd.stop();
      await new Promise((r) => setTimeout(r, 1500));
      await sshd.start();
      await waitUntil(() => (latest?.step ?? 0) >= 9, 'steps after sshd came back');
      // Then the editor itself goes away mid-run and comes back: a new registry, a new SSH connection.
      registry.dispose();
      hosts.dispose();
      const reopened = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const done = await reopened.registry.waitForEnd(launched.id);
      expect(done.state).toBe('completed');
      expect(done.step).toBe(16);
      const seqs = mirrorSeqs(done.mirrorDir);
      expect(seqs).toEqual(range(seqs.length));
      const hostEvents = readFileSync(join(launched.runDir, 'events.jsonl'), 'utf8').trim().split('\n');
      expect(seqs.length).toBe(hostEvents.length);
      reopened.registry.dispose();
      reopened.hosts.dispose();
    });

    it('reports a trainer killed with SIGKILL as failed, with the reason', async () => {
      const data = smallDatasets('killed');
      // Recovery off: this is about how a death is reported (test/integration/recovery.test.ts restarts one).
      const { config, configFile } = runConfig(data, {
        recovery: { enabled: false },
        hyperparameters: { maxSteps: 200, batchSize: 2, gradAccum: 1, learningRate: 0.001 },
      });
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const settings = hostSettings(sshd, workdir);
      const { registry, hosts } = await openRegistry(sshd, settings, storage);
      const launched = await registry.launch({ config, configFile });
      let latest: RunInfo | undefined;
      registry.onDidChange((c) => c.run.id === launched.id && (latest = c.run));
      await waitUntil(() => (latest?.step ?? 0) >= 1, 'training to start');
      const launch = JSON.parse(readFileSync(join(launched.runDir, 'launch.json'), 'utf8')) as { attempts: { pgid: number }[] };
      const other = new SshHost(settings, sshOptions(sshd));
      expect(await other.signalGroup(launch.attempts[0].pgid, 'SIGKILL')).toBe(true);
      other.dispose();
      const done = await registry.waitForEnd(launched.id);
      expect(done.state).toBe('failed');
      expect(done.exitReason).toMatch(/kill|SIGKILL|signal/i);
      const seqs = mirrorSeqs(done.mirrorDir);
      expect(seqs).toEqual(range(seqs.length));
      registry.dispose();
      hosts.dispose();
    });
  },
);
