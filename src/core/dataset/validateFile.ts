// Validates a JSONL file from disk, streaming, optionally on several worker threads (each takes a byte range
// that starts on a line boundary). Per-line findings come from the ranges; the dataset-level checks run once
// on the merged per-example records, and candidate duplicates are confirmed by re-reading both lines. Findings
// are kept within the limits of findingLimits.ts (the rest is counted per code in `omitted`).
import { DATASET_FORMATS } from '../../contracts/trainerConfig';
import { DatasetPass } from './datasetPass';
import { withFile, type DatasetFiles, type ReadableFile } from './datasetFiles';
import { unknownFormatIssues } from './datasetFindings';
import { collectLineIssues } from './locate';
import { FindingCollector } from './findingLimits';
import { LineReader } from './lineReader';
import { splitOnLines } from './lineScanner';
import { pairAt, validateRange, type RangeSummary } from './rangeValidator';
import { sampledCounter } from './tokens/sampledCounter';
import type { FileReport, Finding, TokenCounter, ValidateOptions, ValidateProgress } from '../../contracts/dataset';
import type { RangeWorkers } from './rangeWorkers';

export interface ValidateFileOptions extends ValidateOptions {
  /** How the file is read (src/platform/nodeDatasetFiles.ts on this machine's disk). */
  files: DatasetFiles;
  /** Worker threads to use; 0 or 1 validates on the calling thread. Small files always use one thread. */
  workers?: number;
  /** Where ranges are validated in parallel (src/platform/validationWorkers.ts); without them, on the calling thread. */
  rangeWorkers?: RangeWorkers;
  /** Override MIN_BYTES_PER_WORKER (tests). */
  minBytesPerWorker?: number;
}

/**
 * Each worker gets at least this much of the file: a worker costs a thread start, loading the bundle and
 * warming up its own JIT (a few hundred ms together), which only pays off on large shares.
 */
export const MIN_BYTES_PER_WORKER = 48 << 20;

export async function validateFile(path: string, options: ValidateFileOptions, onProgress?: (p: ValidateProgress) => void): Promise<FileReport> {
  const { files } = options;
  const totalBytes = await files.size(path);
  const counter = options.tokenCounter ?? (await sampledCounter(options.maxSeqLen));
  const report = (bytesRead: number) => onProgress?.({ bytesRead, totalBytes });
  const wanted = Math.max(1, Math.min(options.workers ?? 1, Math.floor(totalBytes / (options.minBytesPerWorker ?? MIN_BYTES_PER_WORKER))));
  let summaries: RangeSummary[];
  if (wanted > 1 && options.rangeWorkers) {
    const ranges = await splitOnLines(files, path, totalBytes, wanted);
    summaries = await options.rangeWorkers.validate(path, ranges, counter.spec, report);
  } else {
    summaries = [await validateRange(files, path, { start: 0, end: totalBytes, last: true }, counter, report)];
  }
  return mergeRangeSummaries(files, path, summaries, options, counter);
}

/** Called every PAUSE_EVERY steps of a merge: a caller off the critical path yields there (or stops by throwing). */
export type MergePause = () => Promise<void>;
const PAUSE_EVERY = 4096;

/**
 * The report of a file from the summaries of its ranges, in file order: the dataset-level checks, duplicates
 * confirmed and examples of no known format judged by re-reading their lines. `pause` lets a caller that must
 * stay responsive (the editor) yield to its event loop, or give up, every few thousand steps.
 */
export async function mergeRangeSummaries(
  files: DatasetFiles,
  path: string,
  summaries: RangeSummary[],
  options: ValidateOptions,
  counter: TokenCounter,
  pause?: MergePause,
): Promise<FileReport> {
  const collector = new FindingCollector(options.severityOverrides);
  const pass = new DatasetPass(options, collector);
  let steps = 0;
  // Only every PAUSE_EVERY steps an await: a merge of a million examples must not become a million microtasks.
  const step = (): Promise<void> | undefined => (pause && ++steps % PAUSE_EVERY === 0 ? pause() : undefined);
  let base = 0;
  for (const s of summaries) {
    for (const f of s.findings) collector.add(base === 0 ? f : shift(f, base));
    for (const [code, count] of s.omitted) collector.addOmitted(code, count);
    for (const line of s.blank) pass.addBlank(line + base);
    for (let i = 0; i < s.invalid; i++) pass.addInvalid();
    const e = s.examples;
    for (let i = 0; i < e.line.length; i++) {
      const format = e.format[i] < 0 ? null : DATASET_FORMATS[e.format[i]];
      pass.addExample({
        line: e.line[i] + base,
        format,
        hash: e.hash[i],
        tokens: e.tokens[i],
        trainedTokens: e.trained[i],
        messages: e.messages[i],
        length: e.length[i],
        images: e.images[i],
        pair: pairAt(e, i),
      });
      const paused = step();
      if (paused) await paused;
    }
    base += s.lineCount;
  }
  const where = new LineLocations(summaries);
  await withFile(files, path, async (file) => {
    await confirmDuplicates(file, where, pass, step);
    await judgeUnknown(file, where, pass, collector, step);
  });
  pass.finish(base);
  const result = collector.result();
  return { path, format: pass.format ?? 'unknown', findings: result.findings, omitted: result.omitted, stats: pass.stats(result, counter) };
}

function shift(f: Finding, base: number): Finding {
  const line = f.line + base;
  return f.fixes ? { ...f, line, fixes: f.fixes.map((fix) => ({ ...fix, line })) } : { ...f, line };
}

/** Where each example line is in the file, found by binary search in the ranges' (sorted) line columns. */
class LineLocations {
  private readonly bases: number[] = [];
  constructor(private readonly summaries: RangeSummary[]) {
    let base = 0;
    for (const s of summaries) {
      this.bases.push(base);
      base += s.lineCount;
    }
  }

  of(line: number): { offset: number; length: number } {
    let r = this.summaries.length - 1;
    while (r > 0 && this.bases[r] >= line) r--;
    const e = this.summaries[r].examples;
    const target = line - this.bases[r];
    let lo = 0;
    let hi = e.line.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e.line[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    if (e.line[lo] !== target) throw new Error(`line ${line} is not an example`);
    return { offset: e.offset[lo], length: e.byteLength[lo] };
  }
}

/** Candidates whose text really equals the earlier line with the same hash (hashes can collide) become findings. */
async function confirmDuplicates(file: ReadableFile, where: LineLocations, pass: DatasetPass, step: () => Promise<void> | undefined): Promise<void> {
  const candidates = pass.duplicateCandidates();
  if (candidates.length === 0) return;
  // Candidates come in file order (one sequential reader); their first copies are few in practice (one
  // reader of their own, and their texts remembered, within a bound).
  const lines = new LineReader(file);
  const firsts = new LineReader(file);
  let firstTexts = new Map<number, string>();
  const read = async (reader: LineReader, line: number) => {
    const { offset, length } = where.of(line);
    return (await reader.read(offset, length)).trim();
  };
  for (const c of candidates) {
    let first = firstTexts.get(c.first);
    if (first === undefined) {
      first = await read(firsts, c.first);
      if (firstTexts.size >= MAX_REMEMBERED_FIRSTS) firstTexts = new Map();
      firstTexts.set(c.first, first);
    }
    if ((await read(lines, c.line)) === first) pass.addDuplicate(c);
    const paused = step();
    if (paused) await paused;
  }
}

const MAX_REMEMBERED_FIRSTS = 1000;

/** Examples of no known format, re-read one by one and judged against the file's format. */
async function judgeUnknown(
  file: ReadableFile,
  where: LineLocations,
  pass: DatasetPass,
  collector: FindingCollector,
  step: () => Promise<void> | undefined,
): Promise<void> {
  const reader = new LineReader(file);
  for (const line of pass.unknownLines()) {
    const { offset, length } = where.of(line);
    const text = await reader.read(offset, length);
    collectLineIssues(collector, text, line, unknownFormatIssues(text, pass.format));
    const paused = step();
    if (paused) await paused;
  }
}
