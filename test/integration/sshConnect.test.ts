// Connecting to a real sshd: aliases from an ssh config file, host key trust (unknown asks, changed refuses),
// wrong keys and unreachable ports with clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { SshHost } from '../../src/platform/sshHost';
import type { HostKeyPrompt } from '../../src/platform/sshHostKeys';
import { freePort, knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';

let sshd: TestSshd;

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

function aliasHost(overrides: Partial<HostSettings> = {}, knownHosts = sshd.knownHosts, ask?: (p: HostKeyPrompt) => Promise<boolean>) {
  const settings = HostSettings.parse({ name: 'test', sshAlias: sshd.alias, ...overrides });
  return new SshHost(settings, { sshConfigPath: sshd.sshConfig, knownHostsFiles: [knownHosts], agentSocket: null, verifyHostKey: ask });
}

describe.skipIf(missingParts({ sshd: sshdAvailable }))('ssh connection', { timeout: 60_000 }, () => {
  it('asks about an unknown host key, remembers it on consent, and does not ask again', async () => {
    const knownHosts = join(sshd.dir, 'kh-consent');
    writeFileSync(knownHosts, '');
    const prompts: HostKeyPrompt[] = [];
    const ask = async (p: HostKeyPrompt) => (prompts.push(p), true);
    const host = aliasHost({}, knownHosts, ask);
    const r = await host.exec(['echo', 'hello world']);
    expect(r).toMatchObject({ code: 0, stdout: 'hello world\n' });
    host.dispose();
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({ host: '127.0.0.1', port: sshd.port, keyType: 'ssh-ed25519' });
    expect(prompts[0].fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(readFileSync(knownHosts, 'utf8')).toBe(knownHostsEntry(sshd));

    const again = aliasHost({}, knownHosts, async (p) => (prompts.push(p), true));
    expect((await again.exec(['true'])).code).toBe(0);
    again.dispose();
    expect(prompts).toHaveLength(1);
  });

  it('does not connect when the user declines the host key', async () => {
    const knownHosts = join(sshd.dir, 'kh-decline');
    writeFileSync(knownHosts, '');
    const host = aliasHost({}, knownHosts, async () => false);
    await expect(host.exec(['true'])).rejects.toThrow(/was not accepted, so BrightRun did not connect/);
    host.dispose();
    expect(readFileSync(knownHosts, 'utf8')).toBe('');
  });

  it('refuses a changed host key and shows both fingerprints', async () => {
    const knownHosts = join(sshd.dir, 'kh-changed');
    writeFileSync(knownHosts, knownHostsEntry(sshd));
    const before = sshd.hostKeyPub;
    await sshd.rotateHostKey();
    expect(sshd.hostKeyPub).not.toBe(before);
    let asked = false;
    const host = aliasHost({}, knownHosts, async () => (asked = true));
    const error = await host.exec(['true']).then(
      () => null,
      (e: Error) => e,
    );
    host.dispose();
    expect(asked).toBe(false);
    expect(error?.message).toMatch(/HOST KEY CHANGED/);
    expect(error?.message.match(/SHA256:[A-Za-z0-9+/]{43}/g)).toHaveLength(2);
    expect(error?.message).toContain(`${knownHosts} (line 1)`);
    // Our shared known_hosts must follow the rotation for the other tests.
    writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  });

  it('explains a key the server does not accept', async () => {
    writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
    const host = new SshHost(HostSettings.parse({ name: 'test', host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.wrongKey }), {
      sshConfigPath: join(sshd.dir, 'none'),
      knownHostsFiles: [sshd.knownHosts],
      agentSocket: null,
    });
    const error = await host.exec(['true']).then(
      () => null,
      (e: Error) => e,
    );
    host.dispose();
    expect(error?.message).toMatch(/Authentication to test \(.*@127\.0\.0\.1:\d+\) failed/);
    expect(error?.message).toContain(sshd.wrongKey);
    expect(error?.message).toMatch(/authorized_keys/);
  });

  it('fails fast and clearly when nothing listens on the port', async () => {
    const port = await freePort();
    const host = new SshHost(HostSettings.parse({ name: 'nowhere', host: '127.0.0.1', port, identityFile: sshd.clientKey }), {
      sshConfigPath: join(sshd.dir, 'none'),
      knownHostsFiles: [sshd.knownHosts],
      agentSocket: null,
    });
    const error = await host.exec(['true']).then(
      () => null,
      (e: Error) => e,
    );
    host.dispose();
    expect(error?.message).toMatch(new RegExp(`Cannot connect to nowhere \\(.*@127\\.0\\.0\\.1:${port}\\): connection refused`));
  });

  it('authenticates with a key held by ssh-agent', async () => {
    writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
    const socket = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
      execFileSync('ssh-add', [sshd.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      // No key file at all: only the agent can answer.
      const host = new SshHost(HostSettings.parse({ name: 'agent', host: '127.0.0.1', port: sshd.port, user: sshd.user }), {
        homeDir: join(sshd.dir, 'empty-home'),
        sshConfigPath: join(sshd.dir, 'none'),
        knownHostsFiles: [sshd.knownHosts],
        agentSocket: socket,
      });
      expect(host.target.identityFiles).toEqual([]);
      expect((await host.exec(['echo', 'via agent'])).stdout).toBe('via agent\n');
      host.dispose();
    } finally {
      agent.kill();
    }
  });

  it('reaches the host through a ProxyJump hop', async () => {
    writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
    const config = join(sshd.dir, 'ssh_config_jump');
    // The jump host is the same sshd; the target is named as the sshd sees it from there.
    writeFileSync(
      config,
      `${readFileSync(sshd.sshConfig, 'utf8')}\nHost via-jump\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.clientKey}\n  ProxyJump ${sshd.alias}\n`,
    );
    const host = new SshHost(HostSettings.parse({ name: 'jumped', sshAlias: 'via-jump' }), {
      sshConfigPath: config,
      knownHostsFiles: [sshd.knownHosts],
      agentSocket: null,
    });
    expect(host.target.jumps.map((j) => j.label)).toEqual([sshd.alias]);
    expect((await host.exec(['printf', '%s', 'through the jump'])).stdout).toBe('through the jump');
    host.dispose();
  });
});
