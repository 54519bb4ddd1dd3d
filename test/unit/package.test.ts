// Packages the extension (scripts/package.mjs, vsce) into a temp folder and checks what the VSIX holds: the bundles, media, the
// trainer and the schemas; never node_modules, sources, tests or Python caches. Uses the dist/ that
// `npm run build` made (scripts/test.sh builds before the unit tier).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionBundles, hostEntries } from '../../scripts/lib/bundles.mjs';

const root = join(__dirname, '..', '..');

/** Entry names of a zip file, read from its central directory (a VSIX is a zip). */
function zipEntryNames(zip: Buffer): string[] {
  const endSignature = 0x06054b50;
  let end = -1;
  // The end-of-central-directory record is in the last 22 bytes plus an optional comment of up to 64 KiB.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === endSignature) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('VSIX package', () => {
  let outDir = '';
  let entries: string[] = [];

  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'extension.js'))) {
      throw new Error('dist/extension.js is missing: run `npm run build` before the unit tests');
    }
    outDir = mkdtempSync(join(tmpdir(), 'brightrun-vsix-'));
    const vsix = join(outDir, 'brightrun.vsix');
    execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--no-build', '--out', vsix], {
      cwd: root,
      stdio: 'pipe',
    });
    entries = zipEntryNames(readFileSync(vsix));
  }, 120_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('holds the extension bundle, the manifest, README and LICENSE', () => {
    expect(entries).toContain('extension/dist/extension.js');
    expect(entries).toContain('extension/package.json');
    expect(entries).toContain('extension.vsixmanifest');
    expect(entries.some((e) => /^extension\/readme\.md$/i.test(e))).toBe(true);
    expect(entries.some((e) => /^extension\/license(\.txt|\.md)?$/i.test(e))).toBe(true);
  });

  it('holds the trainer package and its pinned requirements', () => {
    expect(entries).toContain('extension/python/requirements.txt');
    expect(entries).toContain('extension/python/brightrun_trainer/__init__.py');
    expect(entries.some((e) => e.startsWith('extension/python/brightrun_trainer/schemas/'))).toBe(true);
  });

  it('holds every webview bundle that was built', () => {
    for (const panel of ['monitor', 'launch', 'compare']) {
      if (existsSync(join(root, 'dist', 'webview', `${panel}.js`))) {
        expect(entries).toContain(`extension/dist/webview/${panel}.js`);
      }
    }
  });

  it('leaves out dependencies, sources, tests, source maps and caches', () => {
    const forbidden: Array<[string, RegExp]> = [
      ['node_modules', /(^|\/)node_modules\//],
      ['TypeScript sources', /\.tsx?$/],
      ['source maps', /\.map$/],
      ['src/ or webview/src/', /^extension\/(src|webview)\//],
      ['tests', /^extension\/(test|python\/tests)\//],
      ['Python caches', /(__pycache__\/|\.pyc$)/],
      ['benchmarks and scripts', /^extension\/(bench|scripts|samples|protocol)\//],
      ['virtualenv', /^extension\/\.venv\//],
      ['a VSIX inside the VSIX', /\.vsix$/],
    ];
    for (const [what, pattern] of forbidden) {
      expect(
        entries.filter((e) => pattern.test(e)),
        `${what} must not be packaged`,
      ).toEqual([]);
    }
  });

  it('holds every host bundle the extension loads at run time', () => {
    for (const name of extensionBundles) {
      expect(hostEntries).toHaveProperty(name);
      expect(entries).toContain(`extension/dist/${name}.js`);
    }
  });

  it('holds every file next to the bundles that a packaged bundle names (worker scripts and the like)', () => {
    // Derived from the built code itself: a file name in a packaged bundle that exists in dist/ is something it
    // loads from beside itself (e.g. `new Worker(join(__dirname, 'validateWorker.js'))`), so it must ship too.
    const packagedBundles = entries.filter((e) => /^extension\/dist\/.+\.js$/.test(e)).map((e) => e.slice('extension/'.length));
    const named = new Set<string>();
    for (const bundle of packagedBundles) {
      const code = readFileSync(join(root, bundle), 'utf8');
      for (const [, file] of code.matchAll(/["'`]([\w.-]+\.(?:js|cjs|mjs|wasm|node|json))["'`]/g)) {
        for (const dir of ['dist', 'dist/webview']) if (existsSync(join(root, dir, file))) named.add(`${dir}/${file}`);
      }
    }
    expect(named).toContain('dist/validateWorker.js');
    for (const file of named) expect(entries, `${file} is loaded at run time`).toContain(`extension/${file}`);
  });

  it('points main and every contributed file at something packaged', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      contributes?: { jsonValidation?: Array<{ url: string }> };
    };
    expect(entries).toContain(`extension/${manifest.main.replace(/^\.\//, '')}`);
    for (const { url } of manifest.contributes?.jsonValidation ?? []) {
      if (/^https?:/.test(url)) continue;
      expect(entries).toContain(`extension/${url.replace(/^\.\//, '')}`);
    }
  });
});
