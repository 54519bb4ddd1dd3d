// Validates one byte range of a file (the whole file, or one worker's share): every line's own findings, and
// compact per-example records (typed arrays, cheap to send between threads) for the dataset-level pass.
// Findings are limited per code as they come (findingLimits.ts), so a range's summary stays small whatever the
// file holds; examples of no recognised format are judged later, re-read from their byte offsets.
import type { DatasetFormat } from '../../contracts/trainerConfig';
import { DATASET_FORMATS } from '../../contracts/trainerConfig';
import { analyzeLine, type PairFacts } from './analyzeLine';
import type { DatasetFiles } from './datasetFiles';
import { scanLines, type ScanRange } from './lineScanner';
import { collectLineIssues } from './locate';
import { FindingCollector } from './findingLimits';
import type { LineIssue } from './issues';
import type { Finding, TokenCounter } from '../../contracts/dataset';

export interface RangeSummary {
  /** Lines in the range. Line numbers below are 1-based within the range. */
  lineCount: number;
  /** The range's findings, at most MAX_FINDINGS_PER_CODE of each code (default severities). */
  findings: Finding[];
  /** Findings left out of `findings`, per code. */
  omitted: [string, number][];
  blank: number[];
  examples: {
    line: Int32Array;
    /** Index into DATASET_FORMATS, -1 when the example's format was not recognised. */
    format: Int8Array;
    hash: Float64Array;
    tokens: Int32Array;
    trained: Int32Array;
    messages: Int32Array;
    length: Int32Array;
    offset: Float64Array;
    byteLength: Int32Array;
    /** Image content parts. */
    images: Int32Array;
    /** Preference pairs: token counts of the prompt and each response (-1: not a valid pair), and the pair's keys. */
    promptTokens: Int32Array;
    chosenTokens: Int32Array;
    rejectedTokens: Int32Array;
    pairKey1: Float64Array;
    pairKey2: Float64Array;
  };
  /** Lines that are not examples (invalid JSON, not an object). */
  invalid: number;
}

/** A growable typed column: records are written as they come, then trimmed to size. */
class Column<T extends Int32Array | Float64Array | Int8Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const formatIndex = (f: DatasetFormat | null) => (f === null ? -1 : DATASET_FORMATS.indexOf(f));

export async function validateRange(
  files: DatasetFiles,
  path: string,
  range: ScanRange,
  counter: TokenCounter,
  onBytes?: (n: number) => void,
): Promise<RangeSummary> {
  const collector = new FindingCollector();
  const blank: number[] = [];
  const cols = {
    line: new Column((n) => new Int32Array(n)),
    format: new Column((n) => new Int8Array(n)),
    hash: new Column((n) => new Float64Array(n)),
    tokens: new Column((n) => new Int32Array(n)),
    trained: new Column((n) => new Int32Array(n)),
    messages: new Column((n) => new Int32Array(n)),
    length: new Column((n) => new Int32Array(n)),
    offset: new Column((n) => new Float64Array(n)),
    byteLength: new Column((n) => new Int32Array(n)),
    images: new Column((n) => new Int32Array(n)),
    promptTokens: new Column((n) => new Int32Array(n)),
    chosenTokens: new Column((n) => new Int32Array(n)),
    rejectedTokens: new Column((n) => new Int32Array(n)),
    pairKey1: new Column((n) => new Float64Array(n)),
    pairKey2: new Column((n) => new Float64Array(n)),
  };
  let line = 0;
  let invalid = 0;
  await scanLines(
    files,
    path,
    range,
    ({ text, offset, byteLength, invalidUtf8At }) => {
      line++;
      const r = analyzeLine(text, counter, { briefJsonError: collector.isFull('invalid_json', line) });
      let issues = r.issues;
      if (invalidUtf8At >= 0) {
        const bad: LineIssue = {
          code: 'invalid_utf8',
          message: 'This line has bytes that are not valid UTF-8 (shown as \uFFFD); re-save the file as UTF-8 or fix the characters.',
          at: { offset: invalidUtf8At, length: 1 },
        };
        issues = [bad, ...issues];
      }
      collectLineIssues(collector, text, line, issues);
      if (r.kind === 'blank') blank.push(line);
      else if (r.kind === 'invalid') invalid++;
      else if (r.kind === 'example') {
        cols.line.push(line);
        cols.format.push(formatIndex(r.format));
        cols.hash.push(r.hash);
        cols.tokens.push(r.tokens);
        cols.trained.push(r.trainedTokens);
        cols.messages.push(r.messages);
        cols.length.push(text.length);
        cols.offset.push(offset);
        cols.byteLength.push(byteLength);
        cols.images.push(r.images);
        cols.promptTokens.push(r.pair ? r.pair.promptTokens : -1);
        cols.chosenTokens.push(r.pair?.chosenTokens ?? 0);
        cols.rejectedTokens.push(r.pair?.rejectedTokens ?? 0);
        cols.pairKey1.push(r.pair?.key1 ?? 0);
        cols.pairKey2.push(r.pair?.key2 ?? 0);
      }
    },
    onBytes,
  );
  const kept = collector.result();
  return {
    lineCount: line,
    invalid,
    findings: kept.findings,
    omitted: Object.entries(kept.omitted),
    blank,
    examples: {
      line: cols.line.done(),
      format: cols.format.done(),
      hash: cols.hash.done(),
      tokens: cols.tokens.done(),
      trained: cols.trained.done(),
      messages: cols.messages.done(),
      length: cols.length.done(),
      offset: cols.offset.done(),
      byteLength: cols.byteLength.done(),
      images: cols.images.done(),
      promptTokens: cols.promptTokens.done(),
      chosenTokens: cols.chosenTokens.done(),
      rejectedTokens: cols.rejectedTokens.done(),
      pairKey1: cols.pairKey1.done(),
      pairKey2: cols.pairKey2.done(),
    },
  };
}

/** The pair facts of the i-th example of a range, undefined when it is not a valid preference pair. */
export function pairAt(e: RangeSummary['examples'], i: number): PairFacts | undefined {
  if (e.promptTokens[i] < 0) return undefined;
  return { promptTokens: e.promptTokens[i], chosenTokens: e.chosenTokens[i], rejectedTokens: e.rejectedTokens[i], key1: e.pairKey1[i], key2: e.pairKey2[i] };
}
