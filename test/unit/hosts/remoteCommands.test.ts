// The remote command builders, run here through a real sh: paths under ~/ expand, everything else is data.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execCommand, parseSpawnOutput, remoteArgv, sha256Command, signalGroupCommand } from '../../../src/core/hosts/remoteCommands';

const sh = (command: string, env: Record<string, string> = {}) => execFileSync('sh', ['-c', command], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('remote commands', () => {
  it('expands a leading ~/ and nothing else', () => {
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    expect(sh(`printf '%s|' ${remoteArgv(['~/a b', 'x~/y', '~user', '$HOME'])}`, { HOME: home })).toBe(`${home}/a b|x~/y|~user|$HOME|`);
  });

  it('runs in a working directory with quoted environment values', () => {
    const dir = mkdtempSync(join(tmpdir(), "it's $(dir) "));
    expect(sh(execCommand(['sh', '-c', 'printf "%s %s" "$PWD" "$V"'], { cwd: dir, env: { V: '`id`' } }))).toBe(`${dir} \`id\``);
  });

  it('hashes files whose names contain newlines and backslashes', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'h-')), 'a\nb\\c');
    writeFileSync(file, 'abc');
    expect(sh(sha256Command(file)).trim()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(readFileSync(file, 'utf8')).toBe('abc');
  });

  it('refuses to signal process group 0, 1 or a negative one (that would hit everything)', () => {
    for (const pgid of [0, 1, -5, 2.5]) expect(() => signalGroupCommand(pgid, 'SIGTERM')).toThrow(/Refusing/);
    expect(signalGroupCommand(1234, 'SIGKILL')).toContain('kill -s KILL -- -1234');
  });

  it('parses the pid and process group the launcher prints', () => {
    expect(parseSpawnOutput('4242 4242\n')).toEqual({ pid: 4242, pgid: 4242 });
    expect(() => parseSpawnOutput('bash: setsid: not found')).toThrow(/Unexpected output/);
  });
});
