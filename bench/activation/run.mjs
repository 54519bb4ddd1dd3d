#!/usr/bin/env node
// Activation benchmark: `npm run bench:activation` (BENCH_SAMPLES=15 by default).
// Builds the production bundles (esbuild.mjs --production) into bench/.data/activation, prints the bytes of every
// bundle against its budget, then starts one fresh node process per sample (activateOnce.cjs) that times, cold:
//   (a) requiring an empty module (the baseline: what any require costs in this process),
//   (b) requiring dist/extension.js,
//   (c) activate() with a context of the real API shape and a stand-in for the 'vscode' module,
// and prints the median and worst of each, as wall time and as CPU time (on a busy machine the wall time also
// counts waiting for a core), and (b)+(c) against the budget (< 50 ms) and against (a).
// The editor's own figure is what the extension logs ("Activated in ... ms"), which the e2e test
// test/e2e/activation.e2e.test.ts reads from the real VS Code and prints.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extensionBundles, lazyEntries } from '../../scripts/lib/bundles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'bench', '.data', 'activation');
const samples = Number(process.env.BENCH_SAMPLES ?? 15);
const ACTIVATION_BUDGET_MS = 50;
/** Budgets in bytes: the extension bundle is read at activation; a webview bundle when its panel opens. The
 *  files loaded on first use (lazyEntries) and the worker have none: no start-up waits for them. */
const MB = 1_000_000;
const budgets = { 'extension.js': MB, 'webview/monitor.js': MB, 'webview/launch.js': MB, 'webview/compare.js': MB, 'webview/evaluation.js': MB };

rmSync(outDir, { recursive: true, force: true });
// esbuild's log is shown only on failure (in the error thrown).
execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production', '--outdir', outDir], { cwd: root, stdio: 'pipe' });

// --- bundle sizes ---
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const shipped = new Set(extensionBundles.map((name) => `${name}.js`));
const lazy = new Set(Object.keys(lazyEntries).map((name) => `${name}.js`));
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (!entry.name.endsWith('.map')) files.push(relative(outDir, path));
  }
};
walk(outDir);
console.log('Bundles (production build):');
let overBudget = 0;
for (const file of files.sort()) {
  const bytes = statSync(join(outDir, file)).size;
  const budget = budgets[file];
  const role = file.startsWith('webview/') ? 'webview' : lazy.has(file) ? 'loaded on first use' : shipped.has(file) ? 'host' : 'not shipped (CLI)';
  const verdict = budget === undefined ? '' : bytes <= budget ? `  budget ${kB(budget)}: ok` : `  budget ${kB(budget)}: OVER`;
  if (budget !== undefined && bytes > budget) overBudget++;
  console.log(`  ${file.padEnd(30)} ${kB(bytes).padStart(10)}  ${role}${verdict}`);
}

// --- activation ---
const scratch = mkdtempSync(join(tmpdir(), 'brightrun-activation-'));
const emptyModule = join(scratch, 'empty.cjs');
writeFileSync(emptyModule, '');
const runs = [];
let logged = [];
try {
  for (let i = 0; i < samples; i++) {
    const storage = join(scratch, `sample-${i}`);
    const stdout = execFileSync(process.execPath, [join(root, 'bench', 'activation', 'activateOnce.cjs'), outDir, emptyModule, storage, root], {
      encoding: 'utf8',
      // Runs and hosts live under $BRIGHTRUN_HOME: an empty one, so every sample activates the same way.
      env: { ...process.env, BRIGHTRUN_HOME: join(storage, 'home') },
    });
    const sample = JSON.parse(stdout.trim().split('\n').pop());
    runs.push(sample);
    logged = sample.logged;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};
const ms = (v) => `${v.toFixed(1)} ms`.padStart(9);
const row = (label, pick) => {
  const wall = stats(runs.map((r) => pick(r.wall)));
  const cpu = stats(runs.map((r) => pick(r.cpu)));
  console.log(`  ${label.padEnd(40)} ${ms(wall.median)} / ${ms(wall.max)}   ${ms(cpu.median)} / ${ms(cpu.max)}`);
  return { wall, cpu };
};
console.log(`\nActivation, ${samples} cold samples (a fresh node ${process.version} each)`);
console.log(`  ${''.padEnd(40)} ${'wall: median / worst'.padEnd(21)}   cpu: median / worst`);
const empty = row('(a) require an empty module (baseline)', (t) => t.emptyRequire);
row('(b) require extension.js', (t) => t.bundleRequire);
row('(c) activate()', (t) => t.activate);
const total = row('(b)+(c) activation', (t) => t.bundleRequire + t.activate);
const verdict = (v) => (v < ACTIVATION_BUDGET_MS ? 'ok' : 'OVER');
console.log(
  `  activation = ${(total.wall.median / empty.wall.median).toFixed(0)}x the baseline (wall); budget ${ACTIVATION_BUDGET_MS} ms: ` +
    `${verdict(total.wall.median)} on wall time, ${verdict(total.cpu.median)} on CPU time (medians)`,
);
const line = logged.find((l) => /Activated in/.test(l));
console.log(`  the extension logged: ${line ?? '(no activation time logged)'}`);
if (overBudget > 0) console.log(`\n${overBudget} bundle(s) over budget`);
