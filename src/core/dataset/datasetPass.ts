// The dataset-level checks for the file validator, fed example by example in file order: the file's format
// and mixed formats, examples of no known format, exact duplicates (confirmed by the caller, since hashes can
// collide), train/validation overlap, examples over maxSeqLen, blank lines, an empty file; and the statistics.
// The incremental DocumentValidator does the same checks with its own bookkeeping and the same builders.
import type { DatasetFormat } from '../config/trainerConfig';
import {
  duplicateFinding,
  emptyFileFinding,
  emptyLineFinding,
  mixedFormatsFinding,
  overlapFinding,
  tooLongFinding,
  unknownFormatFindings,
} from './datasetFindings';
import { countSeverities, paddingWaste, PADDING_BATCH_SIZE, tokenStats } from './stats';
import type { DatasetStats, Finding, TokenCounter, ValidateOptions } from './types';

export interface ExampleRecord {
  /** 1-based line. */
  line: number;
  format: DatasetFormat | null;
  hash: number;
  tokens: number;
  trainedTokens: number;
  messages: number;
  /** UTF-16 length of the line, to put line-wide findings on the whole line. */
  length: number;
}

export class DatasetPass {
  private fileFormat: DatasetFormat | null = null;
  private formatLine = 0;
  private firstMixed: { line: number; format: DatasetFormat; length: number } | undefined;
  private mixedCount = 0;
  private readonly firstByHash = new Map<number, number>();
  private readonly candidates: { line: number; first: number; length: number }[] = [];
  private readonly unknown: { line: number; text: string }[] = [];
  private readonly blank: number[] = [];
  private readonly findingsOut: Finding[] = [];
  private readonly lengths: number[] = [];
  private examples = 0;
  private messages = 0;
  private trained = 0;
  private over = 0;
  private invalid = 0;

  constructor(private readonly options: ValidateOptions) {}

  addExample(r: ExampleRecord, unknownText?: string): void {
    this.examples++;
    if (r.format === null) {
      // Judged against the file's format once it is known (it may be set by a later line).
      this.unknown.push({ line: r.line, text: unknownText ?? '' });
    } else if (this.fileFormat === null) {
      this.fileFormat = r.format;
      this.formatLine = r.line;
    } else if (r.format !== this.fileFormat) {
      this.mixedCount++;
      this.firstMixed ??= { line: r.line, format: r.format, length: r.length };
    }
    const first = this.firstByHash.get(r.hash);
    if (first === undefined) this.firstByHash.set(r.hash, r.line);
    else this.candidates.push({ line: r.line, first, length: r.length });
    const valLine = this.options.validationSet?.lineOf.get(r.hash);
    if (valLine !== undefined) {
      this.findingsOut.push(overlapFinding(r.line, r.length, valLine, this.options.validationSet!));
    }
    if (r.format === null) return;
    this.messages += r.messages;
    this.trained += r.trainedTokens;
    this.lengths.push(r.tokens);
    if (r.tokens > this.options.maxSeqLen) {
      this.over++;
      this.findingsOut.push(tooLongFinding(r.line, r.length, r.tokens, this.options.maxSeqLen));
    }
  }

  /** A line that is not an example (invalid JSON, not an object): the file is not empty, though. */
  addInvalid(): void {
    this.invalid++;
  }

  addBlank(line: number): void {
    this.blank.push(line);
  }

  /** Pairs (line, first line with the same hash) still to be confirmed by comparing the texts. */
  duplicateCandidates(): readonly { line: number; first: number }[] {
    return this.candidates;
  }

  /**
   * The dataset-level findings. `sameText(line, first)` confirms a duplicate candidate (hashes can collide);
   * `totalLines` is the document's line count (a blank last line is just the final newline, not reported).
   */
  finish(totalLines: number, sameText: (line: number, first: number) => boolean): Finding[] {
    const out = [...this.findingsOut];
    for (const c of this.candidates) if (sameText(c.line, c.first)) out.push(duplicateFinding(c.line, c.first, c.length));
    for (const line of this.blank) if (line !== totalLines) out.push(emptyLineFinding(line));
    if (this.firstMixed && this.fileFormat) {
      const m = this.firstMixed;
      out.push(mixedFormatsFinding(m.line, m.length, m.format, this.fileFormat, this.formatLine, this.mixedCount));
    }
    for (const u of this.unknown) out.push(...unknownFormatFindings(u.line, u.text, this.fileFormat));
    if (this.examples === 0 && this.invalid === 0) out.push(emptyFileFinding());
    return out;
  }

  stats(findings: Finding[], counter: TokenCounter): DatasetStats {
    return {
      format: this.fileFormat ?? 'unknown',
      examples: this.examples,
      messages: this.messages,
      tokens: tokenStats(this.lengths, this.trained),
      tokensApproximate: counter.approximate,
      tokenizer: counter.name,
      maxSeqLen: this.options.maxSeqLen,
      examplesOverMaxSeqLen: this.over,
      paddingWaste: paddingWaste(this.lengths, this.options.maxSeqLen, this.options.batchSize ?? PADDING_BATCH_SIZE),
      ...countSeverities(findings),
    };
  }

  get format(): DatasetFormat | null {
    return this.fileFormat;
  }
}
