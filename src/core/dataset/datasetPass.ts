// The dataset-level checks for the file validator, fed example by example in file order: the file's format
// and mixed formats, image parts, exact duplicates (confirmed by the caller, since hashes can collide),
// train/validation overlap, examples over maxSeqLen, blank lines, an empty file; and the statistics. Examples of
// no known format are listed for the caller, which re-reads them to judge them against the file's format.
// The incremental DocumentValidator does the same checks with its own bookkeeping and the same builders.
import type { DatasetFormat } from '../../contracts/trainerConfig';
import type { PairFacts } from './analyzeLine';
import { isPreference } from './formats';
import { PairTally } from './pairTally';
import {
  duplicateFinding,
  emptyFileFinding,
  emptyLineFinding,
  imageContentFinding,
  mixedFormatsFinding,
  overlapFinding,
  tooLongFinding,
} from './datasetFindings';
import type { FindingCollector, LimitedFindings } from './findingLimits';
import { paddingWaste, PADDING_BATCH_SIZE, tokenStats } from './stats';
import type { DatasetStats, TokenCounter, ValidateOptions } from '../../contracts/dataset';

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
  /** Image content parts. */
  images: number;
  /** Set for a valid-enough preference pair. */
  pair?: PairFacts;
}

export interface DuplicateCandidate {
  line: number;
  /** The first line with the same hash. */
  first: number;
  length: number;
}

/** Findings go straight into `collector` (which keeps a bounded number); the pass keeps only counts and columns. */
export class DatasetPass {
  private fileFormat: DatasetFormat | null = null;
  private formatLine = 0;
  private firstMixed: { line: number; format: DatasetFormat; length: number } | undefined;
  private mixedCount = 0;
  private firstImage: { line: number; length: number } | undefined;
  private imageLines = 0;
  private imageParts = 0;
  private readonly firstByHash = new Map<number, number>();
  private readonly candidates: DuplicateCandidate[] = [];
  private readonly unknown: number[] = [];
  private readonly blank: number[] = [];
  private readonly lengths: number[] = [];
  private examples = 0;
  private messages = 0;
  private trained = 0;
  private over = 0;
  private invalid = 0;
  private readonly pairs: PairTally;

  constructor(
    private readonly options: ValidateOptions,
    private readonly collector: FindingCollector,
  ) {
    this.pairs = new PairTally(collector);
  }

  addExample(r: ExampleRecord): void {
    this.examples++;
    if (r.format === null) {
      // Judged against the file's format once it is known (it may be set by a later line).
      this.unknown.push(r.line);
    } else if (this.fileFormat === null) {
      this.fileFormat = r.format;
      this.formatLine = r.line;
    } else if (r.format !== this.fileFormat) {
      this.mixedCount++;
      this.firstMixed ??= { line: r.line, format: r.format, length: r.length };
    }
    if (r.images > 0) {
      this.firstImage ??= { line: r.line, length: r.length };
      this.imageLines++;
      this.imageParts += r.images;
    }
    const first = this.firstByHash.get(r.hash);
    if (first === undefined) this.firstByHash.set(r.hash, r.line);
    else this.candidates.push({ line: r.line, first, length: r.length });
    const valLine = this.options.validationSet?.lineOf.get(r.hash);
    if (valLine !== undefined) {
      this.collector.addLazily('train_val_overlap', r.line, () => overlapFinding(r.line, r.length, valLine, this.options.validationSet!));
    }
    if (r.format === null) return;
    if (r.pair) this.pairs.add(r.line, r.length, r.pair, r.hash);
    this.messages += r.messages;
    this.trained += r.trainedTokens;
    this.lengths.push(r.tokens);
    if (r.tokens > this.options.maxSeqLen) {
      this.over++;
      const pair = isPreference(r.format);
      this.collector.addLazily('too_long', r.line, () => tooLongFinding(r.line, r.length, r.tokens, this.options.maxSeqLen, pair));
    }
  }

  /** A line that is not an example (invalid JSON, not an object): the file is not empty, though. */
  addInvalid(): void {
    this.invalid++;
  }

  addBlank(line: number): void {
    this.blank.push(line);
  }

  /** Pairs (line, first line with the same hash), in line order, still to be confirmed by comparing the texts. */
  duplicateCandidates(): readonly DuplicateCandidate[] {
    return this.candidates;
  }

  /** A candidate whose text really equals its first line's. */
  addDuplicate(c: DuplicateCandidate): void {
    this.collector.addLazily('duplicate_example', c.line, () => duplicateFinding(c.line, c.first, c.length));
  }

  /** Lines of examples of no recognised format, in order: the caller reports them against `format`. */
  unknownLines(): readonly number[] {
    return this.unknown;
  }

  /** The remaining dataset-level findings; `totalLines` is the file's line count (a blank last line is just the final newline). */
  finish(totalLines: number): void {
    for (const line of this.blank) if (line !== totalLines) this.collector.addLazily('empty_line', line, () => emptyLineFinding(line));
    if (this.firstMixed && this.fileFormat) {
      const m = this.firstMixed;
      this.collector.add(mixedFormatsFinding(m.line, m.length, m.format, this.fileFormat, this.formatLine, this.mixedCount));
    }
    this.pairs.finish();
    if (this.firstImage) this.collector.add(imageContentFinding(this.firstImage.line, this.firstImage.length, this.imageLines, this.imageParts));
    if (this.examples === 0 && this.invalid === 0) this.collector.add(emptyFileFinding());
  }

  stats(findings: LimitedFindings, counter: TokenCounter): DatasetStats {
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
      errors: findings.errors,
      warnings: findings.warnings,
      infos: findings.infos,
      ...(this.fileFormat && isPreference(this.fileFormat) ? { preference: this.pairs.stats() } : {}),
    };
  }

  get format(): DatasetFormat | null {
    return this.fileFormat;
  }
}
