import { describe, expect, it } from 'vitest';
import { hostPatterns } from '../../../src/core/hosts/sshConfig';
import { concreteAliases, hostNameFor, parseUserAtHost } from '../../../src/vscode/runs/sshAliases';

describe('SSH host picking', () => {
  it('offers concrete aliases from ~/.ssh/config, not patterns', () => {
    const patterns = hostPatterns(
      'Host *\n  ServerAliveInterval 30\nHost gpu-box a100\n  HostName 10.0.0.5\nHost *.corp !bastion\n  User me\nHost gpu-box\n  Port 2222\n',
      { homeDir: '/home/me', localUser: 'me' },
    );
    expect(concreteAliases(patterns)).toEqual(['gpu-box', 'a100']);
  });

  it('parses user@host[:port]', () => {
    expect(parseUserAtHost('ubuntu@gpu.example.com:2222')).toEqual({ user: 'ubuntu', host: 'gpu.example.com', port: 2222 });
    expect(parseUserAtHost('gpu.example.com')).toEqual({ host: 'gpu.example.com' });
    expect(parseUserAtHost('me@[::1]:22')).toEqual({ user: 'me', host: '::1', port: 22 });
    expect(parseUserAtHost('me@host:99999')).toBeNull();
    expect(parseUserAtHost('me@host; rm -rf ~')).toBeNull();
  });

  it('makes a unique, valid host name', () => {
    expect(hostNameFor('gpu box', ['local'])).toBe('gpu-box');
    expect(hostNameFor('gpu', ['local', 'gpu', 'gpu-2'])).toBe('gpu-3');
  });
});
