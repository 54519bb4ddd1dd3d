// Every argument must reach the remote program as exactly the bytes we meant, whatever it contains.
// Checked against a real POSIX shell: `sh -c '<quoted words>'` must print back the original strings.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { shellEnvPrefix, shellJoin, shellPath, shellQuote } from '../../../src/core/hosts/shellQuote';

/** Runs `printf '%s\0' <words>` through a real shell and splits its output back into arguments. */
function roundTrip(args: string[]): string[] {
  const command = `printf '%s\\0' ${args.map(shellQuote).join(' ')}`;
  const out = execFileSync('sh', ['-c', command], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const nasty = [
  'plain',
  'with space',
  "it's",
  '"double"',
  '$(touch /tmp/pwned)',
  '`id`',
  'line\nbreak',
  'tab\there',
  '$HOME',
  '~/not-expanded',
  '*',
  'a;b&&c||d|e>f<g',
  '\\backslash\\',
  "'",
  "''",
  '',
  'ünïcödé 🚀 日本語',
  '-n',
  '--',
  '!event',
  '#comment',
];

// A small deterministic generator (no new dependency) biased towards characters shells care about.
function randomStrings(count: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = ` \t\n'"\\$\`(){}[]*?!#&;|<>~=%^,.-_aZ0éλ😀`;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = next() % 24;
    let s = '';
    for (let j = 0; j < len; j++) {
      const pick = next() % (alphabet.length + 20);
      s += pick < alphabet.length ? [...alphabet][pick % [...alphabet].length] : String.fromCharCode(32 + (next() % 95));
    }
    out.push(s);
  }
  return out;
}

describe('shellQuote', () => {
  it('keeps hostile strings as data through a real shell', () => {
    expect(roundTrip(nasty)).toEqual(nasty);
  });

  it('round-trips 600 random strings through sh', () => {
    const strings = randomStrings(600, 42);
    for (let i = 0; i < strings.length; i += 100) {
      const batch = strings.slice(i, i + 100);
      expect(roundTrip(batch)).toEqual(batch);
    }
  });

  it('leaves safe words unquoted for readable command lines', () => {
    expect(shellJoin(['python3', '-m', 'brightrun_trainer', '/a/b.json'])).toBe('python3 -m brightrun_trainer /a/b.json');
    expect(shellQuote('')).toBe("''");
  });

  it('rejects NUL bytes, which no shell argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('expands only a leading ~/ in paths and quotes the rest', () => {
    const out = execFileSync('sh', ['-c', `printf %s ${shellPath("~/dir with 'q' $(x)")}`], {
      encoding: 'utf8',
      env: { ...process.env, HOME: '/home/u' },
    });
    expect(out).toBe("/home/u/dir with 'q' $(x)");
  });

  it('quotes environment values and refuses names that cannot be quoted', () => {
    const out = execFileSync('sh', ['-c', `${shellEnvPrefix({ V: 'a b $(c)' })}sh -c 'printf %s "$V"'`], { encoding: 'utf8' });
    expect(out).toBe('a b $(c)');
    expect(() => shellEnvPrefix({ 'BAD NAME': 'x' })).toThrow(/Invalid environment variable name/);
  });
});
