// Validates a JSONL file from disk, streaming, optionally on several worker threads (each takes a byte range
// that starts on a line boundary). Per-line findings come from the ranges; the dataset-level checks run once
// on the merged per-example records, and candidate duplicates are confirmed by re-reading both lines.
import { open, stat } from 'node:fs/promises';
import { DATASET_FORMATS } from '../config/trainerConfig';
import { DatasetPass } from './datasetPass';
import { applyOverrides, compareFindings } from './datasetFindings';
import { splitOnLines } from './lineScanner';
import { validateRange, type RangeSummary } from './rangeValidator';
import { sampledCounter } from './tokens/sampledCounter';
import type { FileReport, Finding, TokenCounter, ValidateOptions, ValidateProgress } from './types';
import { defaultWorkerScript, runWorkers } from './worker/runWorkers';

export interface ValidateFileOptions extends ValidateOptions {
  /** Worker threads to use; 0 or 1 validates on the calling thread. Small files always use one thread. */
  workers?: number;
  /** Override the worker script (tests); defaults to validateWorker.js next to the bundle. */
  workerScript?: { file: string; execArgv: string[] };
  /** Override MIN_BYTES_PER_WORKER (tests). */
  minBytesPerWorker?: number;
}

/**
 * Each worker gets at least this much of the file: a worker costs a thread start, loading the bundle and
 * warming up its own JIT (a few hundred ms together), which only pays off on large shares.
 */
export const MIN_BYTES_PER_WORKER = 48 << 20;

export async function validateFile(path: string, options: ValidateFileOptions, onProgress?: (p: ValidateProgress) => void): Promise<FileReport> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const totalBytes = info.size;
  const counter = options.tokenCounter ?? (await sampledCounter(options.maxSeqLen));
  const report = (bytesRead: number) => onProgress?.({ bytesRead, totalBytes });
  const wanted = Math.max(1, Math.min(options.workers ?? 1, Math.floor(totalBytes / (options.minBytesPerWorker ?? MIN_BYTES_PER_WORKER))));
  const script = wanted > 1 ? (options.workerScript ?? defaultWorkerScript()) : undefined;
  let summaries: RangeSummary[];
  if (script) {
    const ranges = await splitOnLines(path, totalBytes, wanted);
    summaries = await runWorkers(script, path, ranges, counter.spec, report);
  } else {
    summaries = [await validateRange(path, { start: 0, end: totalBytes, last: true }, counter, report)];
  }
  return merge(path, summaries, options, counter);
}

async function merge(path: string, summaries: RangeSummary[], options: ValidateOptions, counter: TokenCounter): Promise<FileReport> {
  const pass = new DatasetPass(options);
  const all: Finding[] = [];
  let base = 0;
  for (const s of summaries) {
    for (const f of s.findings) all.push(base === 0 ? f : shift(f, base));
    for (const line of s.blank) pass.addBlank(line + base);
    for (let i = 0; i < s.invalid; i++) pass.addInvalid();
    const unknown = new Map(s.unknown);
    const e = s.examples;
    for (let i = 0; i < e.line.length; i++) {
      const format = e.format[i] < 0 ? null : DATASET_FORMATS[e.format[i]];
      pass.addExample(
        { line: e.line[i] + base, format, hash: e.hash[i], tokens: e.tokens[i], trainedTokens: e.trained[i], messages: e.messages[i], length: e.length[i] },
        format === null ? unknown.get(e.line[i]) : undefined,
      );
    }
    base += s.lineCount;
  }
  const confirmed = await confirmDuplicates(path, summaries, pass.duplicateCandidates());
  all.push(...pass.finish(base, (line) => confirmed.has(line)));
  const findings = applyOverrides(all.sort(compareFindings), options.severityOverrides);
  const stats = pass.stats(findings, counter);
  return { path, format: stats.format, findings, stats };
}

function shift(f: Finding, base: number): Finding {
  const line = f.line + base;
  return f.fixes ? { ...f, line, fixes: f.fixes.map((fix) => ({ ...fix, line })) } : { ...f, line };
}

/** Lines whose text really equals the earlier line with the same hash (hashes can collide). */
async function confirmDuplicates(path: string, summaries: RangeSummary[], candidates: readonly { line: number; first: number }[]): Promise<Set<number>> {
  const confirmed = new Set<number>();
  if (candidates.length === 0) return confirmed;
  const needed = new Set<number>();
  for (const c of candidates) needed.add(c.line).add(c.first);
  const where = new Map<number, [number, number]>();
  let base = 0;
  for (const s of summaries) {
    const e = s.examples;
    for (let i = 0; i < e.line.length; i++) if (needed.has(e.line[i] + base)) where.set(e.line[i] + base, [e.offset[i], e.byteLength[i]]);
    base += s.lineCount;
  }
  const handle = await open(path, 'r');
  try {
    const read = async (line: number) => {
      const [offset, length] = where.get(line)!;
      const buffer = Buffer.allocUnsafe(length);
      await handle.read(buffer, 0, length, offset);
      return buffer.toString('utf8').trim();
    };
    for (const c of candidates) if ((await read(c.line)) === (await read(c.first))) confirmed.add(c.line);
  } finally {
    await handle.close();
  }
  return confirmed;
}
