// The set-up installs reproducibly and leaves the work tree as committed: the lock file is complete (every
// platform's optional packages, which `npm install` would otherwise add on first install and so change a
// tracked file), in step with package.json, installed with `npm ci`, and CI checks the tree stays clean.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface LockEntry {
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Where node would find `dep` required from the package at `from`: its own node_modules, then each parent's. */
function resolveInLock(packages: Record<string, LockEntry>, from: string, dep: string): string | undefined {
  for (let base = from; ;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

describe('package-lock.json', () => {
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };

  it('holds every optional (platform) package the locked packages ask for', () => {
    const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((dep) => !resolveInLock(lock.packages, path, dep))
        .map((dep) => `${path || '(root)'} -> ${dep}`),
    );
    expect(missing, 'run `npm install` and commit package-lock.json').toEqual([]);
  });

  it('is in step with package.json (npm ci refuses a lock that is not)', () => {
    const manifest = JSON.parse(read('package.json')) as LockEntry;
    expect(lock.packages[''].dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(lock.packages[''].devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
  });
});

describe('the set-up and CI scripts', () => {
  it('install node packages with npm ci, which never rewrites the lock', () => {
    expect(read('scripts/setup.sh')).toMatch(/^\s*npm ci\b/m);
    expect(read('scripts/setup.sh')).not.toMatch(/^\s*npm install\b/m);
  });

  it('fail in CI when the set-up or the tests change a tracked file', () => {
    const test = read('scripts/test.sh');
    expect(test).toMatch(/git status --porcelain --untracked-files=no/);
    const lines = test.split('\n').map((l) => l.trim());
    const setup = lines.indexOf('bash scripts/setup.sh --e2e');
    expect(setup).toBeGreaterThanOrEqual(0);
    expect(lines[setup + 1]).toMatch(/^require_clean_tree /);
    expect(lines.filter((l) => l !== '').at(-1)).toMatch(/^require_clean_tree /);
    expect(read('.ci/run')).toMatch(/export CI="\$\{CI:-true\}"/);
  });
});
