// Incremental validation of an open document. Each line's own analysis (parse, format rules, tokens, hash) is
// kept and redone only for the lines an edit touches. The dataset-level state is maintained as lines come and
// go: identical lines share a group (hash -> group id with a count: the line multiset), example lengths live
// in a histogram, overlap with the validation file is looked up once per line. Listing the findings is then
// one sequential pass over typed per-line columns (LineTable), with no parsing, hashing, map look-ups or
// sorting of the whole document.
import { analyzeLine, type LineResult } from './analyzeLine';
import {
  duplicateFinding,
  emptyFileFinding,
  emptyLineFinding,
  imageContentFinding,
  mixedFormatsFinding,
  overlapFinding,
  tooLongFinding,
  unknownFormatIssues,
} from './datasetFindings';
import { DATASET_FORMATS, type DatasetFormat } from '../../contracts/trainerConfig';
import { KIND_BLANK, KIND_EXAMPLE, KIND_INVALID, LineTable } from './lineTable';
import { collectLineIssues, locateIssues } from './locate';
import { FindingCollector } from './findingLimits';
import { isPreference } from './formats';
import { PairTally } from './pairTally';
import { LengthHistogram, paddingWaste, PADDING_BATCH_SIZE } from './stats';
import { estimateCounter } from './tokens/simpleCounters';
import type { DatasetStats, Finding, LineInfo, TokenCounter, ValidateOptions } from '../../contracts/dataset';

interface Computed {
  findings: Finding[];
  omitted: Record<string, number>;
  stats: DatasetStats;
}

interface LineState {
  text: string;
  result: LineResult;
  /** The line's own findings, located lazily, with line 0 (the line number is filled in on output). */
  located: Finding[] | undefined;
}

export class DocumentValidator {
  private options: ValidateOptions;
  private counter: TokenCounter;
  private states: LineState[] = [];
  private table = new LineTable();
  private lengths = new LengthHistogram();
  /** Groups of identical lines: hash -> id; per id the number of lines, and the first line seen by a pass. */
  private readonly groupIds = new Map<number, number>();
  private groupCount = new Int32Array(1024);
  private groupStamp = new Int32Array(1024);
  private groupFirst = new Int32Array(1024);
  private readonly freeGroups: number[] = [];
  private nextGroup = 0;
  private stamp = 0;
  private cache: Computed | undefined;

  /** Without `tokenCounter`, counts are the quick estimate; pass approximateCounter() or an exact one. */
  constructor(options: ValidateOptions) {
    this.options = { ...options };
    this.counter = options.tokenCounter ?? estimateCounter();
  }

  /** Replaces the whole document. Lines exclude terminators; a leading BOM and trailing '\r' are stripped here. */
  reset(lines: string[]): void {
    this.groupIds.clear();
    this.freeGroups.length = 0;
    this.nextGroup = 0;
    this.lengths = new LengthHistogram();
    this.table = new LineTable();
    this.states = lines.map((text, i) => this.analyze(clean(text, i)));
    this.table.splice(0, 0, this.states.length);
    this.states.forEach((state, i) => this.writeRow(i, state));
    this.cache = undefined;
  }

  /** Replaces `removedCount` lines from 0-based `startLine` with `insertedLines`; only those are re-parsed. */
  applyChange(startLine: number, removedCount: number, insertedLines: string[]): void {
    if (startLine < 0 || removedCount < 0 || startLine + removedCount > this.states.length) {
      throw new RangeError(`applyChange(${startLine}, ${removedCount}) is outside the document of ${this.states.length} lines`);
    }
    const fresh = insertedLines.map((text, i) => this.analyze(clean(text, startLine + i)));
    for (let i = startLine; i < startLine + removedCount; i++) this.clearRow(i);
    // No spread of `fresh` into splice's arguments: a large paste would overflow the stack.
    if (fresh.length < 10_000) this.states.splice(startLine, removedCount, ...fresh);
    else this.states = this.states.slice(0, startLine).concat(fresh, this.states.slice(startLine + removedCount));
    this.table.splice(startLine, removedCount, fresh.length);
    fresh.forEach((state, k) => this.writeRow(startLine + k, state));
    this.cache = undefined;
  }

  setOptions(options: Partial<ValidateOptions>): void {
    const counterChanged = options.tokenCounter !== undefined && options.tokenCounter !== this.counter;
    const valChanged = 'validationSet' in options && options.validationSet !== this.options.validationSet;
    this.options = { ...this.options, ...options };
    if (counterChanged) {
      this.counter = options.tokenCounter!;
      this.reset(this.states.map((s) => s.text));
    } else if (valChanged) {
      this.states.forEach((state, i) => (this.table.valLine[i] = this.overlapOf(state)));
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

  /** Rule code -> findings of that code left out of findings() (see findingLimits.ts); {} when none. */
  omitted(): Record<string, number> {
    return this.compute().omitted;
  }

  /** Token count and turn structure of a 1-based line; undefined for lines that are not examples. */
  lineInfo(line: number): LineInfo | undefined {
    const state = this.states[line - 1];
    if (!state || state.result.kind !== 'example' || state.result.format === null) return undefined;
    return { tokens: state.result.tokens, turns: state.result.turns };
  }

  get lineCount(): number {
    return this.states.length;
  }

  get tokenCounter(): TokenCounter {
    return this.counter;
  }

  private analyze(text: string): LineState {
    return { text, result: analyzeLine(text, this.counter, { fromEditor: true }), located: undefined };
  }

  private overlapOf(state: LineState): number {
    return state.result.kind === 'example' ? (this.options.validationSet?.lineOf.get(state.result.hash) ?? 0) : 0;
  }

  private writeRow(i: number, state: LineState): void {
    const r = state.result;
    const t = this.table;
    const example = r.kind === 'example';
    t.kind[i] = example ? KIND_EXAMPLE : r.kind === 'invalid' ? KIND_INVALID : KIND_BLANK;
    t.format[i] = r.format === null ? -1 : DATASET_FORMATS.indexOf(r.format);
    t.tokens[i] = r.tokens;
    t.trained[i] = r.trainedTokens;
    t.messages[i] = r.messages;
    t.length[i] = state.text.length;
    t.issues[i] = r.issues.length > 0 ? 1 : 0;
    t.images[i] = r.images;
    t.valLine[i] = this.overlapOf(state);
    t.group[i] = example ? this.joinGroup(r.hash) : -1;
    if (example && r.format !== null) this.lengths.add(r.tokens);
  }

  private clearRow(i: number): void {
    const r = this.states[i].result;
    if (r.kind !== 'example') return;
    const id = this.table.group[i];
    if (--this.groupCount[id] === 0) {
      this.groupIds.delete(r.hash);
      this.freeGroups.push(id);
    }
    if (r.format !== null) this.lengths.remove(r.tokens);
  }

  private joinGroup(hash: number): number {
    let id = this.groupIds.get(hash);
    if (id === undefined) {
      id = this.freeGroups.pop() ?? this.nextGroup++;
      if (id >= this.groupCount.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.groupCount = grow(this.groupCount);
        this.groupStamp = grow(this.groupStamp);
        this.groupFirst = grow(this.groupFirst);
      }
      this.groupCount[id] = 0;
      this.groupStamp[id] = 0;
      this.groupIds.set(hash, id);
    }
    this.groupCount[id]++;
    return id;
  }

  private compute(): Computed {
    if (this.cache) return this.cache;
    const stamp = ++this.stamp;
    const { maxSeqLen, validationSet } = this.options;
    const { kind, format, tokens, trained: trainedCol, messages: messagesCol, length: lengthCol, issues, valLine, group, images } = this.table;
    const { groupCount, groupStamp, groupFirst, states } = this;
    const total = states.length;
    const out = new FindingCollector(this.options.severityOverrides);
    // Pairs are few next to chat lines in practice; their facts are read from the line's result, not the table.
    const pairs = new PairTally(out);
    const unknown: { line: number; text: string }[] = [];
    const tokenList = new Int32Array(total);
    let count = 0;
    let fileFormat = -1;
    let formatLine = 0;
    let mixed: { line: number; length: number; format: number } | undefined;
    let mixedCount = 0;
    let firstImage: { line: number; length: number } | undefined;
    let imageLines = 0;
    let imageParts = 0;
    let examples = 0;
    let invalid = 0;
    let messages = 0;
    let trained = 0;
    let over = 0;
    for (let i = 0; i < total; i++) {
      const line = i + 1;
      if (issues[i] === 1) this.addLineFindings(out, i);
      const k = kind[i];
      if (k === KIND_BLANK) {
        if (line !== total) out.addLazily('empty_line', line, () => emptyLineFinding(line));
      } else if (k === KIND_INVALID) {
        invalid++;
      } else {
        examples++;
        const f = format[i];
        if (f < 0) unknown.push({ line, text: states[i].text });
        else if (fileFormat < 0) {
          fileFormat = f;
          formatLine = line;
        } else if (f !== fileFormat) {
          mixedCount++;
          mixed ??= { line, length: lengthCol[i], format: f };
        }
        if (images[i] > 0) {
          firstImage ??= { line, length: lengthCol[i] };
          imageLines++;
          imageParts += images[i];
        }
        const g = group[i];
        if (groupCount[g] > 1) {
          if (groupStamp[g] !== stamp) {
            groupStamp[g] = stamp;
            groupFirst[g] = line;
          } else if (states[groupFirst[g] - 1].text.trim() === states[i].text.trim()) {
            const first = groupFirst[g];
            out.addLazily('duplicate_example', line, () => duplicateFinding(line, first, lengthCol[i]));
          }
        }
        if (valLine[i] !== 0 && validationSet) out.addLazily('train_val_overlap', line, () => overlapFinding(line, lengthCol[i], valLine[i], validationSet));
        if (f >= 0) {
          const pair = PREFERENCE_INDEXES.has(f) ? states[i].result.pair : undefined;
          // The group id stands for the line's text, as the hash does in the file validator.
          if (pair) pairs.add(line, lengthCol[i], pair, g);
          messages += messagesCol[i];
          trained += trainedCol[i];
          const n = tokens[i];
          tokenList[count++] = n;
          if (n > maxSeqLen) {
            over++;
            const isPair = PREFERENCE_INDEXES.has(f);
            out.addLazily('too_long', line, () => tooLongFinding(line, lengthCol[i], n, maxSeqLen, isPair));
          }
        }
      }
    }
    const fileFormatName: DatasetFormat | null = fileFormat < 0 ? null : DATASET_FORMATS[fileFormat];
    if (mixed && fileFormatName) out.add(mixedFormatsFinding(mixed.line, mixed.length, DATASET_FORMATS[mixed.format], fileFormatName, formatLine, mixedCount));
    pairs.finish();
    if (firstImage) out.add(imageContentFinding(firstImage.line, firstImage.length, imageLines, imageParts));
    // Examples of no known format are judged once the file's format is known.
    for (const u of unknown) collectLineIssues(out, u.text, u.line, unknownFormatIssues(u.text, fileFormatName));
    if (examples === 0 && invalid === 0) out.add(emptyFileFinding());
    const result = out.result();
    const stats: DatasetStats = {
      format: fileFormatName ?? 'unknown',
      examples,
      messages,
      tokens: this.lengths.stats(trained),
      tokensApproximate: this.counter.approximate,
      tokenizer: this.counter.name,
      maxSeqLen,
      examplesOverMaxSeqLen: over,
      paddingWaste: paddingWaste(tokenList.subarray(0, count), maxSeqLen, this.options.batchSize ?? PADDING_BATCH_SIZE),
      errors: result.errors,
      warnings: result.warnings,
      infos: result.infos,
      ...(fileFormatName && isPreference(fileFormatName) ? { preference: pairs.stats() } : {}),
    };
    this.cache = { findings: result.findings, omitted: result.omitted, stats };
    return this.cache;
  }

  /** A line's own findings: located once and kept, unless all of them would be left out (then only counted). */
  private addLineFindings(out: FindingCollector, i: number): void {
    const state = this.states[i];
    const line = i + 1;
    if (state.located === undefined && state.result.issues.every((issue) => out.isFull(issue.code, line))) {
      for (const issue of state.result.issues) out.addOmitted(issue.code, 1);
      return;
    }
    state.located ??= locateIssues(state.text, 0, state.result.issues);
    for (const f of state.located) out.add(atLine(f, line));
  }
}

const PREFERENCE_INDEXES = new Set(DATASET_FORMATS.flatMap((f, i) => (isPreference(f) ? [i] : [])));

function clean(text: string, index: number): string {
  if (index === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function atLine(f: Finding, line: number): Finding {
  const fixes = f.fixes?.map((fix) => ({ ...fix, line }));
  return fixes ? { ...f, line, fixes } : { ...f, line };
}
