import { describe, expect, it } from 'vitest';
import { matchPatternList, parseJumpSpec, parseSshConfig, resolveSshConfig } from '../../../src/core/hosts/sshConfig';

const ctx = { homeDir: '/home/me', localUser: 'me' };

function resolve(text: string, alias: string, extra: Partial<typeof ctx> & { readInclude?: (p: string) => string[] } = {}) {
  const c = { ...ctx, ...extra };
  return resolveSshConfig(parseSshConfig(text, c), alias, c);
}

describe('ssh config', () => {
  it('resolves HostName, User, Port and IdentityFile for an alias', () => {
    const r = resolve(`Host gpu\n  HostName 10.0.0.5\n  User ml\n  Port 2222\n  IdentityFile ~/.ssh/gpu_%h_%r_%p\n`, 'gpu');
    expect(r).toMatchObject({ hostName: '10.0.0.5', user: 'ml', port: 2222, identityFiles: ['/home/me/.ssh/gpu_10.0.0.5_ml_2222'] });
  });

  it('uses the first value obtained, so specific blocks placed first win over Host *', () => {
    const r = resolve(`Host gpu\n  User first\nHost *\n  User second\n  Port 2200\n`, 'gpu');
    expect(r.user).toBe('first');
    expect(r.port).toBe(2200);
  });

  it('defaults to the alias as host name, port 22 and the local user', () => {
    expect(resolve('', 'box.example.com')).toMatchObject({ hostName: 'box.example.com', port: 22, user: 'me', proxyJump: [] });
  });

  it('matches * and ? patterns, honours negation and is case-insensitive', () => {
    expect(matchPatternList('gpu-01', ['gpu-??'])).toBe(true);
    expect(matchPatternList('gpu-001', ['gpu-??'])).toBe(false);
    expect(matchPatternList('gpu-bastion', ['gpu-*', '!*bastion'])).toBe(false);
    expect(matchPatternList('GPU-7', ['gpu-*'])).toBe(true);
    const text = `Host *.lab !jump.lab\n  User labuser\n`;
    expect(resolve(text, 'a.lab').user).toBe('labuser');
    expect(resolve(text, 'jump.lab').user).toBe('me');
  });

  it('accumulates IdentityFile lines and accepts Key=value and quoted values', () => {
    const r = resolve(`Host g\n  IdentityFile="~/.ssh/my key"\n  IdentityFile /k2\nHost *\n  IdentityFile ~/.ssh/default\n`, 'g');
    expect(r.identityFiles).toEqual(['/home/me/.ssh/my key', '/k2', '/home/me/.ssh/default']);
  });

  it('expands %h in HostName and reads ProxyJump lists', () => {
    const r = resolve(`Host *.int\n  HostName %h.corp\n  ProxyJump admin@bastion:2022,second\n`, 'db.int');
    expect(r.hostName).toBe('db.int.corp');
    expect(r.proxyJump).toEqual(['admin@bastion:2022', 'second']);
    expect(parseJumpSpec('admin@bastion:2022')).toEqual({ user: 'admin', host: 'bastion', port: 2022 });
    expect(parseJumpSpec('[::1]:22')).toEqual({ user: null, host: '::1', port: 22 });
    expect(parseJumpSpec('second')).toEqual({ user: null, host: 'second', port: null });
    expect(resolve(`Host x\n  ProxyJump none\n`, 'x').proxyJump).toEqual([]);
  });

  it('follows Include relative to ~/.ssh, inside the enclosing Host block', () => {
    const seen: string[] = [];
    const r = resolve(`Include conf.d/*\nHost gpu\n  Port 1\n`, 'gpu', {
      readInclude: (p) => {
        seen.push(p);
        return ['Host gpu\n  HostName included.example\n'];
      },
    });
    expect(seen).toEqual(['/home/me/.ssh/conf.d/*']);
    expect(r.hostName).toBe('included.example');
  });

  it('ignores Match blocks rather than applying them to every host', () => {
    expect(resolve(`Match host foo exec "true"\n  User matched\n`, 'gpu').user).toBe('me');
  });

  it('explains an invalid port', () => {
    expect(() => resolve(`Host g\n  Port 99999\n`, 'g')).toThrow(/Invalid port '99999'/);
  });
});
