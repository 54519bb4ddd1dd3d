// The dataset-level checks, fed line by line in file order: the file's format and mixed formats, examples of
// no known format, exact duplicates, train/validation overlap, examples over maxSeqLen, blank lines, an empty
// file; and the statistics. Shared by the file validator and the incremental DocumentValidator.
import type { DatasetFormat } from '../config/trainerConfig';
import { checkExample, FORMAT_KEY } from './formats';
import { closestName, keyAt, valueAt, type LineIssue } from './issues';
import { locateIssues } from './locate';
import { RULES, severityOf } from './rules';
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
      this.findingsOut.push({
        ...wholeLine(r.line, r.length, 'train_val_overlap'),
        message: `This example also appears in the validation file (line ${valLine}); remove it from one of the two so evaluation measures generalisation.`,
        related: [{ line: valLine, file: this.options.validationSet!.file, message: 'the same example in the validation file' }],
      });
    }
    if (r.format === null) return;
    this.messages += r.messages;
    this.trained += r.trainedTokens;
    this.lengths.push(r.tokens);
    if (r.tokens > this.options.maxSeqLen) {
      this.over++;
      this.findingsOut.push({
        ...wholeLine(r.line, r.length, 'too_long'),
        message: `The example is ${r.tokens} tokens, over the maximum sequence length of ${this.options.maxSeqLen}; it will be truncated (or dropped). Shorten or split it, or raise max_seq_len.`,
      });
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
    for (const c of this.candidates) {
      if (!sameText(c.line, c.first)) continue;
      out.push({
        ...wholeLine(c.line, c.length, 'duplicate_example'),
        message: `This example is an exact copy of line ${c.first}; duplicates over-weight one example. Delete one copy.`,
        related: [{ line: c.first, message: 'first copy of this example' }],
        fixes: [{ kind: 'deleteLine', title: `Delete this duplicate of line ${c.first}`, line: c.line }],
      });
    }
    for (const line of this.blank) {
      if (line === totalLines) continue;
      out.push({
        line, column: 1, endColumn: 1, code: 'empty_line', severity: RULES.empty_line.severity,
        message: 'Blank line between examples; many JSONL loaders fail on it. Delete the line.',
        fixes: [{ kind: 'deleteLine', title: 'Delete the blank line', line }],
      });
    }
    if (this.firstMixed && this.fileFormat) {
      const m = this.firstMixed;
      out.push({
        ...wholeLine(m.line, m.length, 'mixed_formats'),
        message: `This example is ${m.format} but the file is ${this.fileFormat} (from line ${this.formatLine}); ${this.mixedCount} example(s) differ. Keep one format per file (convert the others to ${this.fileFormat}).`,
        related: [{ line: this.formatLine, message: `first ${this.fileFormat} example` }],
      });
    }
    for (const u of this.unknown) out.push(...this.unknownFormatFindings(u.line, u.text));
    if (this.examples === 0 && this.invalid === 0) {
      out.push({ line: 1, column: 1, endColumn: 1, code: 'empty_file', severity: RULES.empty_file.severity, message: 'The file has no examples; add one JSON object per line.' });
    }
    return out;
  }

  /** An object of no recognisable format: report it as missing what the file's format requires. */
  private unknownFormatFindings(line: number, text: string): Finding[] {
    let example: Record<string, unknown>;
    try {
      example = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return [];
    }
    let issues: LineIssue[];
    const format = this.fileFormat ?? guessFormat(example);
    if (format) {
      issues = checkExample(format, example).issues;
    } else {
      const keys = Object.keys(example);
      issues = [{
        code: 'unknown_format',
        message: `Unrecognised example (keys: ${keys.join(', ') || 'none'}); use one of: {"messages": [...]}, {"conversations": [...]}, {"instruction", "output"}, {"prompt", "completion"}, {"text"}.`,
        at: keys.length ? keyAt(keys[0]) : valueAt(),
      }];
    }
    return locateIssues(text, line, issues);
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

/** With no recognisable example in the file yet, a key one typo away from a format's key says the format. */
function guessFormat(example: Record<string, unknown>): DatasetFormat | null {
  for (const key of Object.keys(example)) {
    const near = closestName(key, Object.values(FORMAT_KEY));
    if (near) return (Object.keys(FORMAT_KEY) as DatasetFormat[]).find((f) => FORMAT_KEY[f] === near) ?? null;
  }
  return null;
}

function wholeLine(line: number, length: number, code: keyof typeof RULES): Omit<Finding, 'message'> {
  return { line, column: 1, endColumn: length + 1, code, severity: RULES[code].severity };
}

/** Applies the user's severity overrides ('off' drops the finding) and sorts by position. */
export function applyOverrides(findings: Finding[], overrides: ValidateOptions['severityOverrides']): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const severity = severityOf(f.code as keyof typeof RULES, overrides);
    if (severity === 'off') continue;
    out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
