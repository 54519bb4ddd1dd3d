// From host settings and an ssh config file to what the connection needs (files read from a temp ~/.ssh).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostSettings } from '../../../src/core/hosts/hostSettings';
import { resolveSshTarget } from '../../../src/platform/sshTarget';

function home(config: string, keys: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'home-'));
  mkdirSync(join(dir, '.ssh'));
  writeFileSync(join(dir, '.ssh', 'config'), config);
  for (const k of keys) writeFileSync(join(dir, '.ssh', k), 'key');
  return dir;
}

describe('resolveSshTarget', () => {
  it('resolves an alias with its jump host, and offers default keys that exist', () => {
    const h = home(`Host gpu\n  HostName 10.1.2.3\n  User ml\n  ProxyJump jump\nHost jump\n  HostName bastion.example\n  Port 2022\n  User admin\n`, [
      'id_ed25519',
    ]);
    const t = resolveSshTarget(HostSettings.parse({ name: 'my-gpu', sshAlias: 'gpu' }), { homeDir: h, agentSocket: '/tmp/agent.sock' });
    expect(t).toMatchObject({ label: 'my-gpu', host: '10.1.2.3', port: 22, user: 'ml', agent: '/tmp/agent.sock' });
    expect(t.identityFiles).toEqual([join(h, '.ssh', 'id_ed25519')]);
    expect(t.knownHostsFiles).toEqual([join(h, '.ssh', 'known_hosts')]);
    expect(t.jumps).toHaveLength(1);
    expect(t.jumps[0]).toMatchObject({ host: 'bastion.example', port: 2022, user: 'admin' });
  });

  it('lets explicit settings override the alias, and an explicit key replaces the default keys', () => {
    const h = home(`Host gpu\n  HostName 10.1.2.3\n  Port 2200\n`, ['id_rsa']);
    const t = resolveSshTarget(HostSettings.parse({ name: 'g', sshAlias: 'gpu', port: 2222, user: 'me2', identityFile: '~/keys/k' }), {
      homeDir: h,
      agentSocket: null,
    });
    expect(t).toMatchObject({ host: '10.1.2.3', port: 2222, user: 'me2', agent: null, identityFiles: [join(h, 'keys', 'k')] });
  });

  it('reads ProxyJump user@host:port specs directly', () => {
    const h = home(`Host gpu\n  ProxyJump ops@10.0.0.1:2201\n`);
    const t = resolveSshTarget(HostSettings.parse({ name: 'gpu', sshAlias: 'gpu' }), { homeDir: h, agentSocket: null });
    expect(t.jumps[0]).toMatchObject({ host: '10.0.0.1', port: 2201, user: 'ops' });
  });
});
