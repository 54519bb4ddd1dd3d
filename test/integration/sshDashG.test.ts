// Resolving an ssh config with the real OpenSSH client (`ssh -G`): Match blocks and Include, which our own parser
// cannot evaluate, give the host, port, user and key; then a connection to a real sshd through an alias whose
// port, user and key come only from a Match block in an Included file. Without `ssh`, or when it fails, our
// parser is the fallback.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { SshHost } from '../../src/platform/sshHost';
import { resolveSshTarget } from '../../src/platform/sshTarget';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';

const sshClientAvailable = existsSync('/usr/bin/ssh');

/** A temp home whose ~/.ssh/config is `config` (HOME/ in it: that home) and ~/.ssh/conf.d holds `included`.
 *  Include paths are absolute: ssh resolves relative ones under the account's own ~/.ssh, not a temp home. */
function homeWithConfig(config: string, included: Record<string, string>): string {
  const home = mkdtempSync(join(tmpdir(), 'brightrun-sshg-'));
  mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'config'), config.replaceAll('HOME/', `${home}/`));
  for (const [name, text] of Object.entries(included)) writeFileSync(join(home, '.ssh', 'conf.d', name), text);
  return home;
}

const target = (home: string, alias: string, sshClient?: string | null) =>
  resolveSshTarget(HostSettings.parse({ name: 'box', sshAlias: alias }), {
    homeDir: home,
    agentSocket: null,
    ...(sshClient === undefined ? {} : { sshClient }),
  });

describe.skipIf(missingParts({ 'ssh (openssh-client)': sshClientAvailable }))('ssh -G', () => {
  // Match host sees the HostName set before it; `Match all` ends the Host block so the Include applies to all.
  const config = ['Host gpu-*', '  HostName %h.cluster.example', 'Match all', 'Include HOME/.ssh/conf.d/*.conf', 'Host *', '  User fallback', ''].join('\n');
  const included = {
    '10-match.conf': ['Match host gpu-7.cluster.example', '  Port 2207', '  User trainer', '  IdentityFile ~/.ssh/gpu7_%r', ''].join('\n'),
    '20-plain.conf': ['Host plain', '  HostName 192.0.2.10', '  Port 2022', ''].join('\n'),
  };

  it('honours a Match block in an Included file: host, port, user and key as OpenSSH resolves them', () => {
    const home = homeWithConfig(config, included);
    const t = target(home, 'gpu-7');
    expect(t).toMatchObject({ host: 'gpu-7.cluster.example', port: 2207, user: 'trainer' });
    expect(t.identityFiles).toEqual([join(home, '.ssh', 'gpu7_trainer')]);
    expect(t.configSource).toBe(`ssh -G -F ${join(home, '.ssh', 'config')}`);
    // A host the Match does not select keeps the Host * values.
    expect(target(home, 'gpu-8')).toMatchObject({ host: 'gpu-8.cluster.example', port: 22, user: 'fallback', identityFiles: [] });
    expect(target(home, 'plain')).toMatchObject({ host: '192.0.2.10', port: 2022, user: 'fallback' });
  });

  it('is why: our parser alone skips the Match block', () => {
    const home = homeWithConfig(config, included);
    expect(target(home, 'gpu-7', null)).toMatchObject({
      host: 'gpu-7.cluster.example',
      port: 22,
      user: 'fallback',
      configSource: `${join(home, '.ssh', 'config')} read by BrightRun (ssh -G not used)`,
    });
  });

  it('falls back to our parser when ssh is missing or fails', () => {
    const home = homeWithConfig(config, included);
    const missing = target(home, 'plain', join(home, 'no-such-ssh'));
    expect(missing).toMatchObject({ host: '192.0.2.10', port: 2022, user: 'fallback' });
    expect(missing.configSource).toBe(`${join(home, '.ssh', 'config')} read by BrightRun (ssh -G failed: ${join(home, 'no-such-ssh')} is not installed)`);
    // A keyword OpenSSH does not know makes `ssh -G` refuse the whole file; our parser skips the line.
    const broken = homeWithConfig(`NoSuchKeyword yes\n${config}`, included);
    const refused = target(broken, 'plain');
    expect(refused).toMatchObject({ host: '192.0.2.10', port: 2022, user: 'fallback' });
    // What ssh said is kept for the "connecting to" line of a launch.
    expect(refused.configSource).toMatch(/read by BrightRun \(ssh -G failed: .*Bad configuration option: nosuchkeyword/i);
  });

  it('never takes an alias for an option', () => {
    const home = homeWithConfig('Host *\n  Port 2200\n', {});
    const t = target(home, '-oProxyCommand=touch /tmp/pwned');
    expect(t).toMatchObject({ host: '-oProxyCommand=touch /tmp/pwned', port: 2200 });
    expect(t.configSource).toContain('is not a Host name ssh -G can resolve');
  });
});

describe.skipIf(missingParts({ sshd: sshdAvailable, 'ssh (openssh-client)': sshClientAvailable }))('a connection through ssh -G', { timeout: 60_000 }, () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('reaches the sshd whose port, user and key only a Match block gives', async () => {
    const home = homeWithConfig('Host trainbox\n  HostName 127.0.0.1\nMatch all\nInclude HOME/.ssh/conf.d/*\n', {
      'lab.conf': `Match host 127.0.0.1 user ${userInfo().username}\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.clientKey}\n  IdentitiesOnly yes\n`,
    });
    const knownHosts = join(home, '.ssh', 'known_hosts');
    writeFileSync(knownHosts, knownHostsEntry(sshd));
    const host = new SshHost(HostSettings.parse({ name: 'trainbox', sshAlias: 'trainbox' }), {
      homeDir: home,
      knownHostsFiles: [knownHosts],
      agentSocket: null,
    });
    try {
      expect(host.target).toMatchObject({ host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFiles: [sshd.clientKey] });
      expect(await host.exec(['echo', 'reached'])).toMatchObject({ code: 0, stdout: 'reached\n' });
    } finally {
      host.dispose();
    }
  });
});
