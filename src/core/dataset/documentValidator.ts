// Incremental validation of an open document. Each line's own analysis (parse, format rules, tokens, hash) is
// kept and redone only for the lines an edit touches. The dataset-level state is maintained as lines come and
// go: identical lines share a group object (hash -> group, the line multiset), example lengths live in a
// histogram, overlap with the validation file is looked up once per line. Listing the findings is then one
// cheap pass over the kept lines, with no parsing, hashing, map look-ups or sorting of the whole document.
import { analyzeLine, type LineResult } from './analyzeLine';
import {
  applyOverrides,
  compareFindings,
  duplicateFinding,
  emptyFileFinding,
  emptyLineFinding,
  mixedFormatsFinding,
  overlapFinding,
  tooLongFinding,
  unknownFormatFindings,
} from './datasetFindings';
import type { DatasetFormat } from '../config/trainerConfig';
import { locateIssues } from './locate';
import { countSeverities, LengthHistogram, paddingWaste, PADDING_BATCH_SIZE } from './stats';
import { estimateCounter } from './tokens/simpleCounters';
import type { DatasetStats, Finding, LineInfo, TokenCounter, ValidateOptions } from './types';

/** Lines with the same trimmed-text hash; `first` is refreshed by each listing pass (`stamp`). */
interface HashGroup {
  count: number;
  stamp: number;
  first: number;
}

interface LineState {
  text: string;
  result: LineResult;
  /** The line's own findings, located lazily, with line 0 (the line number is filled in on output). */
  located?: Finding[];
  group?: HashGroup;
  /** Line of the same example in the validation file, if any. */
  valLine?: number;
}

export class DocumentValidator {
  private options: ValidateOptions;
  private counter: TokenCounter;
  private lines: LineState[] = [];
  private readonly groups = new Map<number, HashGroup>();
  private lengths = new LengthHistogram();
  private stamp = 0;
  private cache: { findings: Finding[]; stats: DatasetStats } | undefined;

  /** Without `tokenCounter`, counts are the quick estimate; pass approximateCounter() or an exact one. */
  constructor(options: ValidateOptions) {
    this.options = { ...options };
    this.counter = options.tokenCounter ?? estimateCounter();
  }

  /** Replaces the whole document. Lines exclude terminators; a leading BOM and trailing '\r' are stripped here. */
  reset(lines: string[]): void {
    this.groups.clear();
    this.lengths = new LengthHistogram();
    this.lines = lines.map((text, i) => this.attach(this.analyze(clean(text, i))));
    this.cache = undefined;
  }

  /** Replaces `removedCount` lines from 0-based `startLine` with `insertedLines`; only those are re-parsed. */
  applyChange(startLine: number, removedCount: number, insertedLines: string[]): void {
    if (startLine < 0 || removedCount < 0 || startLine + removedCount > this.lines.length) {
      throw new RangeError(`applyChange(${startLine}, ${removedCount}) is outside the document of ${this.lines.length} lines`);
    }
    const fresh = insertedLines.map((text, i) => this.attach(this.analyze(clean(text, startLine + i))));
    const removed = this.lines.splice(startLine, removedCount, ...fresh);
    for (const state of removed) this.detach(state);
    this.cache = undefined;
  }

  setOptions(options: Partial<ValidateOptions>): void {
    const counterChanged = options.tokenCounter !== undefined && options.tokenCounter !== this.counter;
    const valChanged = 'validationSet' in options && options.validationSet !== this.options.validationSet;
    this.options = { ...this.options, ...options };
    if (counterChanged) {
      this.counter = options.tokenCounter!;
      this.reset(this.lines.map((s) => s.text));
    } else if (valChanged) {
      for (const state of this.lines) state.valLine = this.overlapOf(state);
    }
    this.cache = undefined;
  }

  /** All findings, sorted by line then column, with the user's severity overrides applied. */
  findings(): Finding[] {
    return this.compute().findings;
  }

  stats(): DatasetStats {
    return this.compute().stats;
  }

  /** Token count and turn structure of a 1-based line; undefined for lines that are not examples. */
  lineInfo(line: number): LineInfo | undefined {
    const state = this.lines[line - 1];
    if (!state || state.result.kind !== 'example' || state.result.format === null) return undefined;
    return { tokens: state.result.tokens, turns: state.result.turns };
  }

  get lineCount(): number {
    return this.lines.length;
  }

  get tokenCounter(): TokenCounter {
    return this.counter;
  }

  private analyze(text: string): LineState {
    // Every field set up front: one object shape for all lines keeps the listing pass fast.
    return { text, result: analyzeLine(text, this.counter), located: undefined, group: undefined, valLine: undefined };
  }

  private overlapOf(state: LineState): number | undefined {
    return state.result.kind === 'example' ? this.options.validationSet?.lineOf.get(state.result.hash) : undefined;
  }

  private attach(state: LineState): LineState {
    const r = state.result;
    if (r.kind !== 'example') return state;
    let group = this.groups.get(r.hash);
    if (!group) {
      group = { count: 0, stamp: -1, first: 0 };
      this.groups.set(r.hash, group);
    }
    group.count++;
    state.group = group;
    state.valLine = this.overlapOf(state);
    if (r.format !== null) this.lengths.add(r.tokens);
    return state;
  }

  private detach(state: LineState): void {
    const r = state.result;
    if (!state.group) return;
    if (--state.group.count === 0) this.groups.delete(r.hash);
    if (r.format !== null) this.lengths.remove(r.tokens);
  }

  private compute(): { findings: Finding[]; stats: DatasetStats } {
    if (this.cache) return this.cache;
    const stamp = ++this.stamp;
    const { maxSeqLen, validationSet } = this.options;
    const total = this.lines.length;
    const out: Finding[] = [];
    const unknown: { line: number; text: string }[] = [];
    const tokenList = new Int32Array(total);
    let count = 0;
    let fileFormat: DatasetFormat | null = null;
    let formatLine = 0;
    let mixed: { finding: Finding; line: number; length: number; format: DatasetFormat } | undefined;
    let mixedCount = 0;
    let examples = 0;
    let invalid = 0;
    let messages = 0;
    let trained = 0;
    let over = 0;
    for (let i = 0; i < total; i++) {
      const state = this.lines[i];
      const r = state.result;
      const line = i + 1;
      const before = out.length;
      if (r.issues.length > 0) {
        state.located ??= locateIssues(state.text, 0, r.issues);
        for (const f of state.located) out.push(atLine(f, line));
      }
      if (r.kind === 'blank') {
        if (line !== total) out.push(emptyLineFinding(line));
      } else if (r.kind === 'invalid') {
        invalid++;
      } else {
        examples++;
        const length = state.text.length;
        if (r.format === null) unknown.push({ line, text: state.text });
        else if (fileFormat === null) {
          fileFormat = r.format;
          formatLine = line;
        } else if (r.format !== fileFormat) {
          mixedCount++;
          if (!mixed) {
            // The message needs the final count of differing examples: completed after the pass.
            const finding = mixedFormatsFinding(line, length, r.format, fileFormat, formatLine, 0);
            mixed = { finding, line, length, format: r.format };
            out.push(finding);
          }
        }
        const group = state.group!;
        if (group.count > 1) {
          if (group.stamp !== stamp) {
            group.stamp = stamp;
            group.first = line;
          } else if (this.lines[group.first - 1].text.trim() === state.text.trim()) {
            out.push(duplicateFinding(line, group.first, length));
          }
        }
        if (state.valLine !== undefined && validationSet) out.push(overlapFinding(line, length, state.valLine, validationSet));
        if (r.format !== null) {
          messages += r.messages;
          trained += r.trainedTokens;
          tokenList[count++] = r.tokens;
          if (r.tokens > maxSeqLen) {
            over++;
            out.push(tooLongFinding(line, length, r.tokens, maxSeqLen));
          }
        }
      }
      if (out.length - before > 1) sortTail(out, before);
    }
    if (mixed && fileFormat) Object.assign(mixed.finding, mixedFormatsFinding(mixed.line, mixed.length, mixed.format, fileFormat, formatLine, mixedCount));
    let all = out;
    // Rare: examples of no known format are judged once the file's format is known, then merged in order.
    if (unknown.length > 0) {
      all = [...out];
      for (const u of unknown) all.push(...unknownFormatFindings(u.line, u.text, fileFormat));
      all.sort(compareFindings);
    }
    if (examples === 0 && invalid === 0) all = [emptyFileFinding(), ...all].sort(compareFindings);
    const findings = applyOverrides(all, this.options.severityOverrides);
    const stats: DatasetStats = {
      format: fileFormat ?? 'unknown',
      examples,
      messages,
      tokens: this.lengths.stats(trained),
      tokensApproximate: this.counter.approximate,
      tokenizer: this.counter.name,
      maxSeqLen,
      examplesOverMaxSeqLen: over,
      paddingWaste: paddingWaste(tokenList.subarray(0, count), maxSeqLen, this.options.batchSize ?? PADDING_BATCH_SIZE),
      ...countSeverities(findings),
    };
    this.cache = { findings, stats };
    return this.cache;
  }
}

/** Sorts the findings of one line (from `start` to the end of the list) into the shared order. */
function sortTail(list: Finding[], start: number): void {
  const tail = list.splice(start).sort(compareFindings);
  for (const f of tail) list.push(f);
}

function clean(text: string, index: number): string {
  if (index === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function atLine(f: Finding, line: number): Finding {
  const fixes = f.fixes?.map((fix) => ({ ...fix, line }));
  return fixes ? { ...f, line, fixes } : { ...f, line };
}
