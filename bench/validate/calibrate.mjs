#!/usr/bin/env node
// Fits the weights of the character-class token estimate (src/core/dataset/tokens/scriptEstimate.ts) to cl100k
// counts (gpt-tokenizer), on this repository's prose and code plus generated text of every kind
// (scripts/lib/variedText.mjs, seed 1; the tests use other seeds). Prints the two weight tables to paste into
// scriptEstimate.ts, then the estimate's error per kind of text with the weights currently in the sources.
// Usage: node bench/validate/calibrate.mjs
import { build } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { seededRandom } from '../../scripts/lib/seededRandom.mjs';
import { TEXT_KINDS } from '../../scripts/lib/variedText.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const plain = { disallowedSpecial: new Set() };

async function loadEstimate() {
  const outfile = join(root, 'bench', '.data', 'bundle', 'scriptEstimate.js');
  await build({
    entryPoints: [join(root, 'src/core/dataset/tokens/scriptEstimate.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  });
  return createRequire(import.meta.url)(outfile);
}

function repoTexts() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|py|md)$/.test(name)) files.push(path);
    }
  };
  for (const dir of ['src/core', 'python/brightrun_trainer', 'samples']) walk(join(root, dir));
  files.push(join(root, 'README.md'));
  const texts = [];
  for (const file of files.sort()) {
    // Paragraph-sized pieces, the size of a message.
    for (const piece of readFileSync(file, 'utf8').split(/\n\s*\n/))
      if (piece.trim()) texts.push({ kind: file.endsWith('.md') ? 'repo prose' : 'repo code', text: piece });
  }
  return texts;
}

function generatedTexts() {
  const random = seededRandom(1);
  const texts = [];
  for (const [kind, make] of Object.entries(TEXT_KINDS)) for (let i = 0; i < 400; i++) texts.push({ kind, text: make(random) });
  return texts;
}

/** Non-negative least squares by coordinate descent on the normal equations. */
function nnls(rows, ys) {
  const n = rows[0].length;
  const g = Array.from({ length: n }, () => new Float64Array(n));
  const b = new Float64Array(n);
  rows.forEach((row, r) => {
    for (let i = 0; i < n; i++) {
      if (row[i] === 0) continue;
      b[i] += row[i] * ys[r];
      for (let j = 0; j < n; j++) g[i][j] += row[i] * row[j];
    }
  });
  const w = new Float64Array(n);
  for (let iteration = 0; iteration < 20000; iteration++) {
    for (let i = 0; i < n; i++) {
      if (g[i][i] === 0) continue;
      let gradient = -b[i];
      for (let j = 0; j < n; j++) gradient += g[i][j] * w[j];
      w[i] = Math.max(0, w[i] - gradient / g[i][i]);
    }
  }
  return w;
}

async function main() {
  const estimate = await loadEstimate();
  const texts = [...repoTexts(), ...generatedTexts()];
  // Each text weighted by 1/sqrt(its tokens): long texts do not drown the short ones, which are most messages.
  const rows = [];
  const ys = [];
  for (const { text } of texts) {
    const y = countTokens(text, plain);
    const scale = 1 / Math.sqrt(Math.max(1, y));
    rows.push(estimate.scriptFeatures(text).map((f) => f * scale));
    ys.push(y * scale);
  }
  const w = nnls(rows, ys);
  const k = estimate.SCRIPT_CLASSES.length;
  const fmt = (xs) => `new Float64Array([${Array.from(xs, (x) => x.toFixed(4)).join(', ')}])`;
  console.log(`fitted on ${texts.length} texts (classes: ${estimate.SCRIPT_CLASSES.join(', ')})`);
  console.log(`export const CHAR_WEIGHTS = ${fmt(w.slice(0, k))};`);
  console.log(`export const RUN_WEIGHTS = ${fmt(w.slice(k))};`);

  console.log('\nerror of the weights in the sources, per kind (sum of estimates / sum of exact counts; worst single text):');
  const byKind = new Map();
  for (const { kind, text } of texts) {
    const exact = countTokens(text, plain);
    const est = estimate.estimateTokens(text);
    const e = byKind.get(kind) ?? { exact: 0, est: 0, worst: 1 };
    e.exact += exact;
    e.est += est;
    if (exact >= 20) e.worst = Math.abs(est / exact - 1) > Math.abs(e.worst - 1) ? est / exact : e.worst;
    byKind.set(kind, e);
  }
  for (const [kind, e] of byKind) console.log(`  ${kind.padEnd(12)} ${(e.est / e.exact).toFixed(3)}  worst ${e.worst.toFixed(2)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
