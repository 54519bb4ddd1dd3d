// The wrapper every SSH command goes through, run the way sshd runs it (`LOGIN_SHELL -c STRING`) by each real
// shell installed here: sh, bash, zsh, fish, tcsh, csh. Hostile arguments must come out as the same bytes in all.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_WRAPPED_COMMAND, viaPosixShell } from '../../../src/core/hosts/posixShell';
import { shellJoin } from '../../../src/core/hosts/shellQuote';
import { spawnDetachedCommand } from '../../../src/core/hosts/remoteCommands';
import { HOSTILE_ARGS as HOSTILE } from '../../integration/helpers/hostileNames';
import { missingParts } from '../../realParts';

const SHELLS = ['/bin/sh', '/bin/bash', '/usr/bin/zsh', '/usr/bin/fish', '/usr/bin/tcsh', '/usr/bin/csh'];
const installed = SHELLS.filter((s) => existsSync(s));
// The login shells this check exists for: without them, only the POSIX ones are checked (and CI fails).
missingParts({ fish: installed.includes('/usr/bin/fish'), tcsh: installed.includes('/usr/bin/tcsh') }, 'bash scripts/setup.sh --system');

function run(shell: string, script: string): string {
  return execFileSync(shell, ['-c', viaPosixShell(script)], { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } });
}

describe('viaPosixShell', () => {
  for (const shell of installed) {
    it(`passes hostile arguments through ${shell} as data`, () => {
      const out = run(shell, `${shellJoin(['printf', '[%s]\\n', ...HOSTILE])}; echo "$0"`);
      expect(out).toBe(HOSTILE.map((h) => `[${h}]\n`).join('') + '/bin/sh\n');
    });

    it(`runs multi-line POSIX sh scripts under ${shell} with their exit code`, () => {
      const script = 'x=0\nwhile [ $x -lt 3 ]; do x=$((x+1)); done\nif [ "$x" = 3 ]; then echo "ok $x"; fi\nexit 7';
      let status = 0;
      let out: string;
      try {
        out = run(shell, script);
      } catch (error) {
        status = (error as { status: number }).status;
        out = (error as { stdout: string }).stdout;
      }
      expect(out).toBe('ok 3\n');
      expect(status).toBe(7);
    });
  }

  it('keeps the wrapped line to characters every login shell reads literally inside single quotes', () => {
    const wrapped = viaPosixShell(spawnDetachedCommand(['python', '-c', HOSTILE.join('\n')], { cwd: "~/a'b", logFile: '/tmp/l\nog' }));
    const quoted = /^exec \/bin\/sh -c '(.*)'$/s.exec(wrapped)?.[1];
    expect(quoted).toBeDefined();
    expect(quoted).toMatch(/^[A-Za-z0-9 _.,:=+@%/"$()\\-]*$/);
    expect(quoted).not.toMatch(/\\\\|\\'|!|\n/);
  });

  it('refuses NUL bytes and commands longer than one exec argument can be', () => {
    expect(() => viaPosixShell('echo a\0b')).toThrow(/NUL/);
    expect(() => viaPosixShell('echo ' + '"'.repeat(MAX_WRAPPED_COMMAND / 4))).toThrow(/too long/);
  });

  it('is the only way a command reaches an SSH server: one ssh2 Client, one exec call, wrapped', () => {
    const src = join(__dirname, '..', '..', '..', 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const clients = files.filter((f) => /import\s*\{[^}]*\bClient\b[^}]*\}\s*from\s*'ssh2'/.test(readFileSync(join(src, f), 'utf8')));
    expect(clients).toEqual([join('platform', 'sshConnection.ts')]);
    const connection = readFileSync(join(src, 'platform', 'sshConnection.ts'), 'utf8');
    expect(connection.match(/\.exec\(command,/g)).toHaveLength(1);
    expect(connection).toMatch(/const command = viaPosixShell\(script\);\n\s*const client = await this\.connected\(\);/);
    expect(connection).toMatch(/private async connected\(\)/);
  });
});
