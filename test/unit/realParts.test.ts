// No test tier may skip silently in CI when its real parts are missing: the helpers that decide (test/realParts.ts
// and python/tests/conftest.py's require_part), and a scan that every skip in the test suites goes through them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inCi, missingParts } from '../realParts';

const root = join(__dirname, '..', '..');

afterEach(() => vi.restoreAllMocks());

describe('missingParts', () => {
  it('reads CI from the environment', () => {
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({})).toBe(false);
    expect(inCi({ CI: 'false' })).toBe(false);
  });

  it('skips, saying what is missing, outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(missingParts({ sshd: false, chromium: true }, 'bash scripts/setup.sh --system', {})).toBe(true);
    expect(warn).toHaveBeenCalledWith('skipping tests: missing: sshd (install with `bash scripts/setup.sh --system`)');
  });

  it('fails in CI instead of skipping', () => {
    expect(() => missingParts({ sshd: false, 'code-server': false }, undefined, { CI: 'true' })).toThrow(
      /CI=true, so this test tier may not skip, but its real parts are missing: sshd, code-server/,
    );
  });

  it('runs the tests when every part is there', () => {
    expect(missingParts({ sshd: true }, undefined, { CI: 'true' })).toBe(false);
  });
});

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f) && !f.split(/[\\/]/).includes('node_modules'))
    .map((f) => join(dir, f));
}

describe('every skip in the test suites', () => {
  it('goes through missingParts (TypeScript) or require_part (Python)', () => {
    const offenders: string[] = [];
    const tsSkip = /\b(describe|it|test|suite|bench)\s*\.\s*(skip|skipIf|runIf|todo)\b|\b(context|ctx|t)\s*\.\s*skip\s*\(/;
    for (const file of ['test/unit', 'test/integration', 'test/e2e', 'test/webview'].flatMap((d) => filesUnder(d, /\.tsx?$/))) {
      if (file === relative(root, __filename)) continue;
      const text = readFileSync(join(root, file), 'utf8');
      // A file that reads CI itself (inCi(), process.env.CI) decides there; missingParts is the one way to do it.
      if (/\binCi\b|process\.env\.CI\b/.test(text)) continue;
      text.split('\n').forEach((line, i) => {
        if (tsSkip.test(line) && !line.includes('missingParts(')) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    const pySkip = /pytest\.skip\b|pytest\.mark\.skip|\bskipif\b|importorskip/;
    for (const file of filesUnder('python/tests', /\.py$/)) {
      if (/(conftest|test_parts)\.py$/.test(file)) continue;
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (pySkip.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders, 'skip through missingParts (test/realParts.ts) or require_part (python/tests/conftest.py), so CI fails instead').toEqual([]);
  });
});
