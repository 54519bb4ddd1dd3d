// Builds the VSIX: a production bundle, then `vsce package` run in a staging folder.
//   node scripts/package.mjs [--out FILE] [--no-build]
// Why a staging folder: vsce lists every file under the project before applying .vscodeignore, and the project
// holds a Python virtualenv and the e2e tools (hundreds of thousands of files), which makes packaging take
// seconds per 10k files. We copy only the top-level entries that .vscodeignore re-includes, then let vsce apply
// .vscodeignore itself there, so that file stays the single description of what ships.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extensionBundles } from './lib/bundles.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(root, 'dist', 'brightrun.vsix'));
const build = !args.includes('--no-build');

if (build) execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });

// .vscodeignore says what ships, plus the host bundles the extension loads at run time (scripts/lib/bundles.mjs),
// which the staged copy re-includes: a bundle added to the build cannot be left out of the VSIX.
const ignoreText = [readFileSync(join(root, '.vscodeignore'), 'utf8').trimEnd(), ...extensionBundles.map((name) => `!dist/${name}.js`)].join('\n') + '\n';
const topLevel = new Set(['package.json']);
for (const line of ignoreText.split(/\r?\n/)) {
  const match = /^!\/?([^/*]+)/.exec(line.trim());
  if (match) topLevel.add(match[1]);
}

const stage = mkdtempSync(join(tmpdir(), 'brightrun-package-'));
try {
  for (const name of topLevel) {
    const from = join(root, name);
    // Source maps and Python byte-code never ship. They are dropped here because in .vscodeignore a re-include
    // (`!dist/webview/**`, `!python/brightrun_trainer/**`) always wins over an exclusion, whatever the order; a dev
    // build leaves maps beside the bundles and a test run leaves __pycache__ beside the trainer.
    const shipped = (file) => !file.endsWith('.map') && !file.endsWith('.pyc') && basename(file) !== '__pycache__';
    if (existsSync(from)) {
      cpSync(from, join(stage, name), { recursive: true, dereference: true, filter: shipped });
    }
  }
  writeFileSync(join(stage, '.vscodeignore'), ignoreText);
  mkdirSync(dirname(out), { recursive: true });
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
    cwd: stage,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
