// The command table: only the commands registered are found, whatever name is typed, and every way out of
// the CLI goes through exitAfterDrain (a direct process.exit cuts piped output short).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';

let err: string[] = [];
beforeEach(() => {
  err = [];
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('brightrun COMMAND', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'says "unknown command" for %s, a name every object has, with exit 2',
    async (name) => {
      expect(await runCli([name])).toBe(2);
      expect(err.join('\n')).toContain(`unknown command '${name}'`);
    },
  );

  it('escapes a typed name before printing it back', async () => {
    expect(await runCli(['\x1b]0;title\x07'])).toBe(2);
    expect(err.join('\n')).toContain("unknown command '\\x1b]0;title\\x07'");
  });

  it('still finds the real commands', async () => {
    expect(await runCli(['validate'])).toBe(2); // found: its own usage error, not "unknown command"
    expect(err.join('\n')).toMatch(/brightrun validate: no FILE given/);
  });
});

describe('exit paths', () => {
  it('only src/cli/exit.ts calls process.exit', () => {
    const dir = join(__dirname, '..', '..', '..', 'src', 'cli');
    const callers = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /process\s*\.\s*exit\s*\(|process\s*\[\s*['"]exit['"]\s*\]/.test(readFileSync(join(dir, f), 'utf8')));
    expect(callers).toEqual(['exit.ts']);
    expect(readFileSync(join(dir, 'main.ts'), 'utf8')).toMatch(/exitAfterDrain\(code\)/);
  });
});
