// Help, version and usage errors, derived from the one command table: every command and option it declares is
// described, each command's help ends with an example of it, and bad usage exits 2 with the command's usage line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';
import { COMMANDS } from '../../../src/cli/commands';

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const packageVersion = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version as string;

describe('brightrun --help', () => {
  it('describes each command in one line, with exit 0', async () => {
    expect(await runCli(['--help'])).toBe(0);
    const lines = out.join('\n').split('\n');
    for (const command of COMMANDS) {
      expect(lines.filter((l) => l.startsWith(`  ${command.name} `))).toEqual([expect.stringContaining(command.summary)]);
    }
    expect(await runCli(['-h'])).toBe(0);
  });

  it('prints the help on stderr with exit 2 when no command is given', async () => {
    expect(await runCli([])).toBe(2);
    expect(err.join('\n')).toContain('usage: brightrun COMMAND');
  });

  it('prints the version of package.json with --version', async () => {
    expect(await runCli(['--version'])).toBe(0);
    expect(out).toEqual([packageVersion]);
  });
});

describe.each(COMMANDS.map((c) => [c.name, c] as const))('brightrun %s', (name, command) => {
  it('--help and -h list every option and an example, with exit 0 and nothing run', async () => {
    for (const flag of ['--help', '-h']) {
      out = [];
      // Other arguments, even wrong ones for the command, do not matter once help is asked for.
      expect(await runCli([name, flag, 'some-run', 'other'])).toBe(0);
      const text = out.join('\n');
      expect(text).toContain(`usage: brightrun ${name} ${command.usage}`);
      for (const option of command.options) expect(text).toMatch(new RegExp(`--${option.name}\\b.*\\S`));
      expect(text).toMatch(new RegExp(`^examples?:\\n  brightrun ${name}\\b`, 'm'));
    }
    expect(err).toEqual([]);
  });

  it('`brightrun help NAME` is its --help', async () => {
    expect(await runCli(['help', name])).toBe(0);
    expect(out.join('\n')).toContain(`usage: brightrun ${name} `);
  });

  it('refuses an unknown option with its usage line and exit 2', async () => {
    expect(await runCli([name, 'x', '--no-such-option'])).toBe(2);
    expect(err.join('\n')).toContain(`brightrun ${name}: unknown option --no-such-option`);
    expect(err.join('\n')).toContain(`usage: brightrun ${name} ${command.usage}`);
  });

  it('refuses a value given to a flag and a missing value, with exit 2', async () => {
    const flag = command.options.find((o) => o.value === undefined);
    const valued = command.options.find((o) => o.value !== undefined);
    if (flag) {
      expect(await runCli([name, 'x', `--${flag.name}=yes`])).toBe(2);
      expect(err.join('\n')).toContain(`--${flag.name} takes no value`);
    }
    if (valued) {
      expect(await runCli([name, 'x', `--${valued.name}`])).toBe(2);
      expect(err.join('\n')).toContain(`--${valued.name} needs a value`);
    }
  });

  it('counts its operands', async () => {
    const { min, max, missing } = command.operands;
    if (min > 0) {
      expect(await runCli([name])).toBe(2);
      expect(err.join('\n')).toContain(`brightrun ${name}: ${missing}`);
    }
    if (max !== Infinity) {
      expect(await runCli([name, ...Array.from({ length: max + 1 }, (_, i) => `arg${i}`)])).toBe(2);
      expect(err.join('\n')).toMatch(new RegExp(`brightrun ${name}: (takes no operand|unexpected extra argument), got 'arg${max}'|'arg${max}'`));
    }
  });
});

describe('brightrun help', () => {
  it('says "unknown command" for a name that is not one', async () => {
    expect(await runCli(['help', 'nope'])).toBe(2);
    expect(err.join('\n')).toContain("unknown command 'nope'");
  });
});
