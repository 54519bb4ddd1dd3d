// Listing the hosts of an ssh config follows Include (ssh -G resolves one alias but cannot list them): in the
// parser with a reading callback, and from real files under a temp home, globs and nesting included.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPatterns } from '../../../src/core/hosts/sshConfig';
import { sshConfigHostPatterns } from '../../../src/platform/sshTarget';

describe('hostPatterns', () => {
  it('lists every Host pattern in file order, Included files in place, blocks without settings too', () => {
    const files: Record<string, string> = {
      '/home/me/.ssh/work.conf': 'Host work-gpu\n  HostName 10.0.0.9\nInclude nested.conf\n',
      '/home/me/.ssh/nested.conf': 'Host deep\n',
      '/etc/ssh/extra': 'host Extra-Box\n',
    };
    const asked: string[] = [];
    const readInclude = (path: string) => {
      asked.push(path);
      return files[path] === undefined ? [] : [files[path]];
    };
    const text = 'Host first\n  # Host commented\n  HostName 1.2.3.4\nInclude work.conf /etc/ssh/extra ~/.ssh/missing\nHost *.lab !jump last\n';
    expect(hostPatterns(text, { homeDir: '/home/me', localUser: 'me', readInclude })).toEqual([
      'first',
      'work-gpu',
      'deep',
      'Extra-Box',
      '*.lab',
      '!jump',
      'last',
    ]);
    expect(asked).toEqual(['/home/me/.ssh/work.conf', '/home/me/.ssh/nested.conf', '/etc/ssh/extra', '/home/me/.ssh/missing']);
  });

  it('stops following an Include that includes itself', () => {
    const readInclude = () => ['Host again\nInclude self\n'];
    expect(hostPatterns('Include self\n', { homeDir: '/h', localUser: 'me', readInclude })).toEqual(Array(8).fill('again'));
  });

  it('reads Host = pattern and quoted names, and ignores HostName', () => {
    expect(hostPatterns('Host = "my box" other\nHostName x\nHostname=y\n', { homeDir: '/h', localUser: 'me' })).toEqual(['my box', 'other']);
  });
});

describe('sshConfigHostPatterns', () => {
  it('lists the hosts of ~/.ssh/config and of the files its Include globs name, sorted within a glob', () => {
    const home = mkdtempSync(join(tmpdir(), 'brightrun-include-'));
    mkdirSync(join(home, '.ssh', 'config.d'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'config'), 'Include config.d/*.conf\nHost main\n  HostName 1.1.1.1\n');
    writeFileSync(join(home, '.ssh', 'config.d', 'b.conf'), 'Host from-b\n');
    writeFileSync(join(home, '.ssh', 'config.d', 'a.conf'), 'Host from-a\n  User x\n');
    writeFileSync(join(home, '.ssh', 'config.d', 'ignored.txt'), 'Host not-listed\n');
    expect(sshConfigHostPatterns({ homeDir: home })).toEqual(['from-a', 'from-b', 'main']);
  });

  it('lists nothing when there is no config', () => {
    expect(sshConfigHostPatterns({ homeDir: mkdtempSync(join(tmpdir(), 'brightrun-noconfig-')) })).toEqual([]);
  });
});
