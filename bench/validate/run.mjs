#!/usr/bin/env node
// Validator benchmark: `npm run bench:validate` (BENCH_MB=200 by default; BENCH_MB=20 for a quick run).
// Generates a chat JSONL under bench/.data (gitignored, reused when present), then in the same run times:
//   (a) a bare read + split + JSON.parse loop over the file (the baseline),
//   (b) validateFile on one thread (schema rules; the quick token estimate, no BPE),
//   (c) validateFile with worker threads,
//   (d) validateFile with its default token statistics (cl100k on a sample, estimated elsewhere), one thread,
//   (e) `brightrun validate FILE --json` as a user runs it (default counts, default workers), against (a) and
//       against the same loop started as its own process (both then pay for starting node),
// and prints throughput and the ratios b/a, d/a, e/a (target >= 0.7) and c/a (target > 1.0). It prints the
// default counts' error against cl100k on every text (target within 3%), on this data and on varied text
// (prose, code, numbers, CJK, emoji...), the exact counter's speed with a model's own tokenizer, and how long
// very long unbroken runs of letters take to count. Then it times edit-to-findings with the incremental
// DocumentValidator on a 10 MB document (target < 50 ms).
// The validator and the CLI are bundled from the sources with esbuild into bench/.data, so no build step is needed.
import { build } from 'esbuild';
import { createWriteStream, existsSync, statSync, openSync, readSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { seededRandom } from '../../scripts/lib/seededRandom.mjs';
import { variedChatLines } from '../../scripts/lib/variedText.mjs';
import { PATHOLOGICAL_CLASSES, writePathological } from '../../scripts/lib/pathologicalDatasets.mjs';
import { bareLoop } from './bareLoop.mjs';
import { hostEntries } from '../../scripts/lib/bundles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(root, 'bench', '.data');
const megabytes = Number(process.env.BENCH_MB ?? 200);
const dataFile = join(dataDir, `chat-${megabytes}mb.jsonl`);

// --- the data: varied chat examples (system prompt, 1-3 exchanges), ~0.3-2 KB per line, fixed seed.
const words =
  'the a model data train loss token batch learning rate gradient adapter layer weight kettle lamp river cloud quick brown fox jumps over lazy dog energy value system answer question because however therefore résumé naïve 数据 模型 😀'.split(
    ' ',
  );
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

async function time(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

const bundleDir = join(dataDir, 'bundle');

/**
 * The validator, its worker and the command line, bundled as esbuild.mjs does (the worker next to the CLI), with
 * the platform's file access and worker threads (src/platform) passed in as the CLI passes them.
 */
async function bundleValidator() {
  await build({
    entryPoints: {
      validator: join(root, 'src/core/dataset/index.ts'),
      nodeDatasetFiles: join(root, 'src/platform/nodeDatasetFiles.ts'),
      nodeTokenizerFiles: join(root, 'src/platform/nodeTokenizerFiles.ts'),
      validationWorkers: join(root, 'src/platform/validationWorkers.ts'),
      validateWorker: join(root, hostEntries.validateWorker),
      cli: join(root, hostEntries.cli),
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir: bundleDir,
    logLevel: 'error',
    external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
  });
  const load = (name) => createRequire(import.meta.url)(join(bundleDir, `${name}.js`));
  const v = load('validator');
  const { nodeDatasetFiles } = load('nodeDatasetFiles');
  const { nodeTokenizerFiles } = load('nodeTokenizerFiles');
  const rangeWorkers = load('validationWorkers').bundledValidationWorkers(); // validateWorker.js beside it
  return {
    ...v,
    validateFile: (path, options, onProgress) => v.validateFile(path, { files: nodeDatasetFiles, rangeWorkers, ...options }, onProgress),
    exactCounter: (source) => v.exactCounter(source, nodeTokenizerFiles),
  };
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
  const { spawnSync } = await import('node:child_process');
  const cli = join(bundleDir, 'cli.js');
  const spawnTime = (args) =>
    time(() => {
      const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      if (run.status !== 0) throw new Error(`${args.join(' ')} exited with ${run.status}`);
    });
  // Alternate the measurements and keep each one's best of three, so drift on a shared machine hits all equally.
  const runs = { a: [], aProcess: [], b: [], c: [], d: [], e: [] };
  let report;
  let defaultReport;
  for (let round = 0; round < 3; round++) {
    runs.a.push((await time(() => bareLoop(dataFile))).seconds);
    runs.aProcess.push((await spawnTime([join(root, 'bench/validate/bareLoop.mjs'), dataFile])).seconds);
    const b = await time(() => v.validateFile(dataFile, { ...options, workers: 1 }));
    runs.b.push(b.seconds);
    report = b.result;
    runs.c.push((await time(() => v.validateFile(dataFile, { ...options, workers }))).seconds);
    const d = await time(() => v.validateFile(dataFile, { maxSeqLen: 2048, workers: 1 }));
    runs.d.push(d.seconds);
    defaultReport = d.result;
    runs.e.push((await spawnTime([cli, 'validate', dataFile, '--json'])).seconds);
  }
  const best = (xs) => Math.min(...xs);
  const [a, aProcess, b, c, d, e] = [runs.a, runs.aProcess, runs.b, runs.c, runs.d, runs.e].map(best);
  console.log(`(a) bare read+split+JSON.parse : ${(mb / a).toFixed(0)} MB/s (as its own process, start included: ${(mb / aProcess).toFixed(0)} MB/s)`);
  console.log(`(b) validate, 1 thread         : ${(mb / b).toFixed(0)} MB/s   b/a = ${(a / b).toFixed(2)} (target >= 0.7; token estimate only)`);
  console.log(
    `(c) validate, ${workers} workers       : ${(mb / c).toFixed(0)} MB/s   c/a = ${(a / c).toFixed(2)} (target > 1.0; workers only for shares of ${v.MIN_BYTES_PER_WORKER >> 20} MB or more)`,
  );
  console.log(`(d) validate, default tokens   : ${(mb / d).toFixed(0)} MB/s   d/a = ${(a / d).toFixed(2)} (target >= 0.7; 1 thread)`);
  console.log(
    `(e) brightrun validate --json  : ${(mb / e).toFixed(0)} MB/s   e/a = ${(a / e).toFixed(2)} (target >= 0.7), against the loop as a process ${(aProcess / e).toFixed(2)}`,
  );
  console.log(`    ${report.stats.examples} examples, ${report.findings.length} findings`);

  // --- the default counts' error against cl100k on every text: this data (a 10 MB slice) and varied text.
  const slice = join(dataDir, 'slice-10mb.jsonl');
  await writeSlice(slice, 10e6);
  const varied = join(dataDir, 'varied-5mb.jsonl');
  if (!existsSync(varied)) writeFileSync(varied, variedChatLines(3, 4000).join('\n') + '\n');
  const cl100k = await v.approximateCounter();
  for (const [label, file] of [
    ['this data, 10 MB', slice],
    ['varied text (prose, code, numbers, CJK, emoji...)', varied],
  ]) {
    const sampled = await v.validateFile(file, { maxSeqLen: 2048, workers: 1 });
    const exact = await time(() => v.validateFile(file, { maxSeqLen: 2048, tokenCounter: cl100k, workers: 1 }));
    const error = sampled.stats.tokens.total / exact.result.stats.tokens.total - 1;
    const fileMb = statSync(file).size / 1e6;
    console.log(
      `    default token count error on ${label}: ${(100 * error).toFixed(2)}% (target within 3%; cl100k on every text runs at ${(fileMb / exact.seconds).toFixed(1)} MB/s)`,
    );
  }
  if (defaultReport.stats.tokens.total === 0) throw new Error('the default counts found no tokens');

  await exactModelSpeed(v, slice);
  await longRuns(v);

  // --- edit-to-findings on 10 MB documents: the bench data (long lines) and many short examples.
  const shortLines = [];
  for (let bytes = 0, i = 0; bytes < 10e6; i++) {
    const line = JSON.stringify({
      messages: [
        { role: 'user', content: `question number ${i}?` },
        { role: 'assistant', content: `answer ${i} is here.` },
      ],
    });
    shortLines.push(line);
    bytes += line.length + 1;
  }
  const counter = await v.approximateCounter();
  for (const [label, lines] of [
    ['long lines', readFileSync(slice, 'utf8').split('\n')],
    ['short lines', shortLines],
  ]) {
    const doc = new v.DocumentValidator({ maxSeqLen: 2048, tokenCounter: counter });
    const opened = await time(() => {
      doc.reset(lines);
      return doc.findings();
    });
    const edits = [];
    for (let k = 0; k < 41; k++) {
      const at = Math.floor(((k + 1) * lines.length) / 43);
      const original = lines[at];
      const broken = k % 2 ? original.replace('"role"', '"rol"') : original.slice(0, -1);
      // One keystroke: the edited line re-validated, then every finding and the statistics listed again.
      edits.push(
        (
          await time(() => {
            doc.applyChange(at, 1, [broken]);
            return doc.findings().length + doc.stats().examples;
          })
        ).seconds,
      );
      doc.applyChange(at, 1, [original]);
      doc.findings();
    }
    console.log(
      `edit-to-findings, 10 MB document, ${label} (${lines.length} lines): median ${(median(edits) * 1000).toFixed(1)} ms, max ${(Math.max(...edits) * 1000).toFixed(1)} ms (target < 50 ms); opening it: ${(opened.seconds * 1000).toFixed(0)} ms`,
    );
  }
}

/** Very long unbroken runs (hard for BPE): seconds to count them, and the count against shorter inputs. */
async function longRuns(v) {
  const random = seededRandom(9);
  const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  const cl100k = await v.approximateCounter();
  for (const [label, text] of [
    ['200k x "a"', 'a'.repeat(200_000)],
    ['200k random letters', letters(200_000)],
    ['200k spaces', ' '.repeat(200_000)],
  ]) {
    const counted = await time(() => cl100k.count(text));
    console.log(`    cl100k on ${label}: ${counted.result} tokens in ${(counted.seconds * 1000).toFixed(0)} ms`);
  }
  const model = await tinyModel();
  const exact = model ? await v.exactCounter(model) : undefined;
  if (exact) {
    for (const [label, text] of [
      ['200k x "a"', 'a'.repeat(200_000)],
      ['200k random letters', letters(200_000)],
    ]) {
      const counted = await time(() => exact.count(text));
      console.log(`    the model's tokenizer on ${label}: ${counted.result} tokens in ${(counted.seconds * 1000).toFixed(0)} ms`);
    }
  }
  // The validator on whole files of them (scripts/lib/pathologicalDatasets.mjs): time grows linearly with size.
  for (const scale of [1, 2]) {
    const file = join(dataDir, `long-runs-${scale}.jsonl`);
    if (!existsSync(file)) writePathological('longRuns', file, scale);
    const label = `${PATHOLOGICAL_CLASSES.longRuns.description}, ${scale}M letters per example`;
    const byDefault = await time(() => v.validateFile(file, { maxSeqLen: 2048, workers: 1 }));
    const withModel = exact ? await time(() => v.validateFile(file, { maxSeqLen: 2048, tokenCounter: exact, workers: 1 })) : undefined;
    console.log(
      `    ${label}: default counts ${byDefault.seconds.toFixed(1)} s${withModel ? `, the model's exact counts ${withModel.seconds.toFixed(1)} s` : ''}`,
    );
  }
}

/** The tiny test model (random weights, tokenizer trained on the samples), built once into bench/.data. */
async function tinyModel() {
  const dir = join(dataDir, 'tiny-model');
  const python = join(root, '.venv/bin/python');
  if (existsSync(join(dir, 'tokenizer.json'))) return dir;
  if (!existsSync(python)) {
    console.log("    (no .venv: run `npm run demo` once to time a model's own tokenizer too)");
    return undefined;
  }
  const { spawnSync } = await import('node:child_process');
  const made = spawnSync(python, ['-m', 'brightrun_trainer', 'make-tiny-model', dir, '--corpus', 'samples/chat-train.jsonl', 'samples/chat-val.jsonl'], {
    cwd: root,
    env: { ...process.env, PYTHONPATH: join(root, 'python') },
    stdio: 'ignore',
  });
  return made.status === 0 ? dir : undefined;
}

/** Validation with a model's own tokenizer and chat template (exact counts) on the 10 MB slice. */
async function exactModelSpeed(v, slice) {
  const model = await tinyModel();
  if (!model) return;
  const counter = await v.exactCounter(model);
  const run = await time(() => v.validateFile(slice, { maxSeqLen: 2048, tokenCounter: counter, workers: 1 }));
  console.log(`    exact counts with the tiny model's tokenizer and chat template (1 thread): ${(10 / run.seconds).toFixed(1)} MB/s (${counter.name})`);
}

async function writeSlice(path, bytes) {
  if (existsSync(path)) return;
  const fd = openSync(dataFile, 'r');
  const buffer = Buffer.alloc(bytes);
  const n = readSync(fd, buffer, 0, bytes, 0);
  closeSync(fd);
  const end = buffer.subarray(0, n).lastIndexOf(0x0a);
  writeFileSync(path, buffer.subarray(0, end + 1));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
