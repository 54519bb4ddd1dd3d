#!/usr/bin/env node
// Validator benchmark: `npm run bench:validate` (BENCH_MB=200 by default; BENCH_MB=20 for a quick run).
// Generates a chat JSONL under bench/.data (gitignored, reused when present), then in the same run times:
//   (a) a bare read + split + JSON.parse loop over the file (the baseline),
//   (b) validateFile on one thread (schema rules; the quick token estimate, no BPE),
//   (c) validateFile with worker threads,
// and prints throughput and the ratios b/a (target >= 0.7) and c/a (target > 1.0). Then it times
// edit-to-findings with the incremental DocumentValidator on a 10 MB document (target < 50 ms).
// The validator is bundled from the sources with esbuild into bench/.data, so no build step is needed.
import { build } from 'esbuild';
import { createWriteStream, existsSync, statSync, openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { seededRandom } from '../../scripts/lib/seededRandom.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(root, 'bench', '.data');
const megabytes = Number(process.env.BENCH_MB ?? 200);
const dataFile = join(dataDir, `chat-${megabytes}mb.jsonl`);

// --- the data: varied chat examples (system prompt, 1-3 exchanges), ~0.3-2 KB per line, fixed seed.
const words = 'the a model data train loss token batch learning rate gradient adapter layer weight kettle lamp river cloud quick brown fox jumps over lazy dog energy value system answer question because however therefore résumé naïve 数据 模型 😀'.split(' ');
async function generate() {
  if (existsSync(dataFile) && statSync(dataFile).size >= megabytes * 1e6) return;
  const random = seededRandom(7);
  const sentence = (n) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
  const out = createWriteStream(dataFile);
  let bytes = 0;
  let i = 0;
  while (bytes < megabytes * 1e6) {
    const messages = [{ role: 'system', content: `You are assistant #${i % 97}. ${sentence(8)}` }];
    const turns = 1 + Math.floor(random() * 3);
    for (let t = 0; t < turns; t++) {
      messages.push({ role: 'user', content: `${sentence(5 + Math.floor(random() * 30))}? (${i}.${t})` });
      messages.push({ role: 'assistant', content: sentence(10 + Math.floor(random() * 80)) });
    }
    const line = JSON.stringify({ messages }) + '\n';
    bytes += Buffer.byteLength(line);
    i++;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

// --- (a) the baseline: what any JSONL reader must do at least.
function bareLoop(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let carry = '';
  let lines = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const parts = (carry + buffer.toString('utf8', 0, n)).split('\n');
      carry = parts.pop();
      for (const part of parts) if (part) {
        JSON.parse(part);
        lines++;
      }
    }
    if (carry) {
      JSON.parse(carry);
      lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

async function time(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

async function bundleValidator() {
  const outdir = join(dataDir, 'bundle');
  await build({
    entryPoints: { validator: join(root, 'src/core/dataset/index.ts'), validateWorker: join(root, 'src/core/dataset/worker/validateWorker.ts') },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outdir, logLevel: 'error',
  });
  return createRequire(import.meta.url)(join(outdir, 'validator.js'));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir, { recursive: true });
  await generate();
  const v = await bundleValidator();
  const size = statSync(dataFile).size;
  const mb = size / 1e6;
  const cores = availableParallelism();
  const workers = Math.max(2, Math.min(4, cores));
  console.log(`file: ${dataFile} (${mb.toFixed(0)} MB), ${cores} CPU cores`);
  const options = { maxSeqLen: 2048, tokenCounter: v.estimateCounter() };

  bareLoop(dataFile); // warm the page cache and the JIT
  // Alternate the measurements and keep each one's best of three, so drift on a shared machine hits all equally.
  const runs = { a: [], b: [], c: [] };
  let report;
  for (let round = 0; round < 3; round++) {
    runs.a.push((await time(() => bareLoop(dataFile))).seconds);
    const b = await time(() => v.validateFile(dataFile, { ...options, workers: 1 }));
    runs.b.push(b.seconds);
    report = b.result;
    runs.c.push((await time(() => v.validateFile(dataFile, { ...options, workers }))).seconds);
  }
  const best = (xs) => Math.min(...xs);
  const [a, b, c] = [best(runs.a), best(runs.b), best(runs.c)];
  console.log(`(a) bare read+split+JSON.parse : ${(mb / a).toFixed(0)} MB/s`);
  console.log(`(b) validate, 1 thread         : ${(mb / b).toFixed(0)} MB/s   b/a = ${(a / b).toFixed(2)} (target >= 0.7)`);
  console.log(`(c) validate, ${workers} workers       : ${(mb / c).toFixed(0)} MB/s   c/a = ${(a / c).toFixed(2)} (target > 1.0)`);
  console.log(`    ${report.stats.examples} examples, ${report.findings.length} findings`);

  // The same through the command line, when it is built (npm run build): process start and output included.
  const cli = join(root, 'dist', 'cli.js');
  if (existsSync(cli)) {
    const { spawnSync } = await import('node:child_process');
    for (const threads of [1, workers]) {
      const run = await time(() => spawnSync(process.execPath, [cli, 'validate', dataFile, '--tokenizer', 'estimate', '--workers', String(threads), '--json'], { stdio: ['ignore', 'ignore', 'inherit'] }));
      console.log(`    brightrun validate --workers ${threads} (one run, process start included): ${(mb / run.seconds).toFixed(0)} MB/s, ratio to (a) ${(a / run.seconds).toFixed(2)} (exit ${run.result.status})`);
    }
  } else {
    console.log('    (dist/cli.js not built: run `npm run build` to time the command line too)');
  }

  // gpt-tokenizer counts are far costlier than the rules; shown for information on a slice of the file.
  const slice = join(dataDir, 'slice-10mb.jsonl');
  await writeSlice(slice, 10e6);
  const approx = await time(async () => v.validateFile(slice, { maxSeqLen: 2048, tokenCounter: await v.approximateCounter(), workers: 1 }));
  console.log(`    with gpt-tokenizer counts (1 thread): ${(10 / approx.seconds).toFixed(1)} MB/s`);

  // --- edit-to-findings on 10 MB documents: the bench data (long lines) and many short examples.
  const shortLines = [];
  for (let bytes = 0, i = 0; bytes < 10e6; i++) {
    const line = JSON.stringify({ messages: [{ role: 'user', content: `question number ${i}?` }, { role: 'assistant', content: `answer ${i} is here.` }] });
    shortLines.push(line);
    bytes += line.length + 1;
  }
  const counter = await v.approximateCounter();
  for (const [label, lines] of [['long lines', readFileSync(slice, 'utf8').split('\n')], ['short lines', shortLines]]) {
    const doc = new v.DocumentValidator({ maxSeqLen: 2048, tokenCounter: counter });
    const opened = await time(() => { doc.reset(lines); return doc.findings(); });
    const edits = [];
    for (let k = 0; k < 41; k++) {
      const at = Math.floor(((k + 1) * lines.length) / 43);
      const original = lines[at];
      const broken = k % 2 ? original.replace('"role"', '"rol"') : original.slice(0, -1);
      // One keystroke: the edited line re-validated, then every finding and the statistics listed again.
      edits.push((await time(() => { doc.applyChange(at, 1, [broken]); return doc.findings().length + doc.stats().examples; })).seconds);
      doc.applyChange(at, 1, [original]);
      doc.findings();
    }
    console.log(`edit-to-findings, 10 MB document, ${label} (${lines.length} lines): median ${(median(edits) * 1000).toFixed(1)} ms, max ${(Math.max(...edits) * 1000).toFixed(1)} ms (target < 50 ms); opening it: ${(opened.seconds * 1000).toFixed(0)} ms`);
  }
}

async function writeSlice(path, bytes) {
  if (existsSync(path)) return;
  const fd = openSync(dataFile, 'r');
  const buffer = Buffer.alloc(bytes);
  const n = readSync(fd, buffer, 0, bytes, 0);
  closeSync(fd);
  const end = buffer.subarray(0, n).lastIndexOf(0x0a);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, buffer.subarray(0, end + 1));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
