// The W&B API key reaches the trainer's environment without a command line or a file: over a real sshd it goes on
// the exec channel's stdin (read by the remote shell), locally in the child's environment. While the process runs,
// no command line on the machine (`ps`) and no file in its folder holds the key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import type { Host } from '../../src/core/hosts/host';
import { SshHost } from '../../src/platform/sshHost';
import { LocalHost } from '../../src/platform/localHost';
import { createLocalSession } from '../../src/platform/localSession';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';

const KEY = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9';
// Prints a digest of the variable, not the variable: the log is a file too.
const SCRIPT = 'printf "key %s\\n" "$(printf %s "$WANDB_API_KEY" | sha256sum | cut -c1-16)"; printf "other %s\\n" "$OTHER"; exec sleep 30';
const digest = execFileSync('sh', ['-c', `printf %s ${KEY} | sha256sum | cut -c1-16`], { encoding: 'utf8' }).trim();

let sshd: TestSshd;
let ssh: SshHost;
let remote: string;

beforeAll(async () => {
  if (!sshdAvailable) return;
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  remote = mkdtempSync(join(tmpdir(), 'brightrun-secret-'));
  ssh = new SshHost(HostSettings.parse({ name: 'box', sshAlias: sshd.alias, workdir: remote }), {
    sshConfigPath: sshd.sshConfig,
    knownHostsFiles: [sshd.knownHosts],
    agentSocket: null,
  });
});
afterAll(async () => {
  ssh?.dispose();
  await sshd?.stop();
});

async function startAndCheck(host: Host, dir: string): Promise<void> {
  const log = join(dir, 'trainer.log');
  const proc = await host.spawnDetached(['sh', '-c', SCRIPT], { cwd: dir, logFile: log, env: { OTHER: 'plain' }, secretEnv: { WANDB_API_KEY: KEY } });
  try {
    const end = Date.now() + 15_000;
    while (!(existsSync(log) && readFileSync(log, 'utf8').includes('other '))) {
      if (Date.now() > end) throw new Error(`no output from the process: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no log'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(readFileSync(log, 'utf8')).toBe(`key ${digest}\nother plain\n`);
    expect(execFileSync('ps', ['-eww', '-o', 'args='], { encoding: 'utf8' })).not.toContain(KEY);
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name), 'utf8')).not.toContain(KEY);
  } finally {
    await host.signalGroup(proc.pgid, 'SIGKILL');
  }
}

describe('the trainer secret environment', { timeout: 60_000 }, () => {
  it.skipIf(missingParts({ sshd: sshdAvailable }))('reaches a process on an SSH host through stdin, in no command line or file', async () => {
    await startAndCheck(ssh, remote);
  });

  it("is read from the editor's store at each launch of a local run, apart from the environment that goes into command lines", async () => {
    let stored: string | undefined = KEY;
    const session = createLocalSession({
      workdir: mkdtempSync(join(tmpdir(), 'brightrun-secret-session-')),
      trainerDir: resolve('python'),
      python: process.execPath, // any existing program: nothing is started here
      secretEnv: async (): Promise<Record<string, string>> => (stored ? { WANDB_API_KEY: stored } : {}),
    });
    const runtime = await session.runtime();
    expect(runtime.secretEnv).toEqual({ WANDB_API_KEY: KEY });
    expect(JSON.stringify(runtime.env)).not.toContain(KEY);
    stored = undefined;
    expect((await session.runtime()).secretEnv).toEqual({});
  });

  it('reaches a local process through its environment, in no command line or file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brightrun-secret-local-'));
    await startAndCheck(new LocalHost(dir), dir);
  });
});
