// A launch whose SSH connection drops during the dataset upload and whose host stays unreachable for longer than
// the connection's own reconnect backoff: the launch waits and tries again, instead of giving up, and the run
// starts with the whole dataset on the host. The connection goes through a TCP proxy that cuts it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy';
import { hostSettings, openRegistry, PROJECT_PYTHON, runConfig, smallDatasets } from './helpers/sshRunFixture';

let sshd: TestSshd;
let proxy: TcpProxy;

beforeAll(async () => {
  sshd = await startSshd();
  proxy = await startTcpProxy(sshd.port);
  const [type, key] = sshd.hostKeyPub.trim().split(' ');
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd) + `[127.0.0.1]:${proxy.port} ${type} ${key}\n`);
  appendFileSync(sshd.sshConfig, `\nHost via-proxy\n  HostName 127.0.0.1\n  Port ${proxy.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.clientKey}\n`);
});
afterAll(async () => {
  await proxy?.close();
  await sshd?.stop();
});

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'launching over a connection that drops',
  { timeout: 240_000 },
  () => {
    it('retries with backoff when the connection is lost during the upload, then starts the run', async () => {
      const data = smallDatasets('dropped upload');
      // A training file big enough that the upload is still going when the connection is cut.
      const lines = readFileSync(data.train, 'utf8');
      writeFileSync(data.train, lines.repeat(Math.ceil((8 * 1024 * 1024) / lines.length)));
      const { config, configFile } = runConfig(data, { evaluate: false, hyperparameters: { maxSteps: 2, batchSize: 2, gradAccum: 1 } });
      const workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-launch-retry-')), 'work');
      const { registry, hosts } = await openRegistry(
        sshd,
        hostSettings(sshd, workdir, { sshAlias: 'via-proxy' }),
        mkdtempSync(join(tmpdir(), 'brightrun-storage-')),
      );
      const progress: string[] = [];
      const run = await registry.launch({
        config,
        configFile,
        onProgress: (message) => {
          progress.push(message);
          // Longer than the connection's reconnect backoff (about 8 s): only the launch's own retry gets past it.
          if (proxy.cuts === 0 && /^uploading .*: [1-9]\d?%$/.test(message)) proxy.cutFor(12_000);
        },
      });
      expect(proxy.cuts).toBe(1);
      expect(progress.some((m) => /Trying again in \d+ s/.test(m))).toBe(true);
      const remote = JSON.parse(readFileSync(join(run.runDir, 'config.json'), 'utf8'));
      expect(readFileSync(remote.train_file).equals(readFileSync(data.train))).toBe(true); // (toEqual on 8 MB is slow)
      expect(existsSync(join(run.runDir, 'launch.json'))).toBe(true);
      await registry.cancel(run.id);
      registry.dispose();
      hosts.dispose();
    });
  },
);
