// Incremental validation of an open document. Each line's own analysis (parse, format rules, tokens, hash) is
// kept and redone only for lines an edit touches; the dataset-level checks (format, duplicates, overlap,
// blank lines) are a light pass over the kept per-line records, so an edit in a 10 MB document costs the
// re-parse of the edited lines plus one pass over small records, not a re-scan of the text.
import { analyzeLine, type LineResult } from './analyzeLine';
import { applyOverrides, DatasetPass } from './datasetPass';
import { locateIssues } from './locate';
import { estimateCounter } from './tokens/simpleCounters';
import type { DatasetStats, Finding, LineInfo, TokenCounter, ValidateOptions } from './types';

interface LineState {
  text: string;
  result: LineResult;
  /** The line's own findings, located lazily, with line 0 (the line number is filled in on output). */
  located?: Finding[];
}

export class DocumentValidator {
  private options: ValidateOptions;
  private counter: TokenCounter;
  private lines: LineState[] = [];
  private cache: { findings: Finding[]; stats: DatasetStats } | undefined;

  /** Without `tokenCounter`, counts are the quick estimate; pass approximateCounter() or an exact one. */
  constructor(options: ValidateOptions) {
    this.options = { ...options };
    this.counter = options.tokenCounter ?? estimateCounter();
  }

  /** Replaces the whole document. Lines exclude terminators; a leading BOM and trailing '\r' are stripped here. */
  reset(lines: string[]): void {
    this.lines = lines.map((text, i) => this.analyze(clean(text, i)));
    this.cache = undefined;
  }

  /** Replaces `removedCount` lines from 0-based `startLine` with `insertedLines`; only those are re-parsed. */
  applyChange(startLine: number, removedCount: number, insertedLines: string[]): void {
    if (startLine < 0 || startLine > this.lines.length || removedCount < 0) {
      throw new RangeError(`applyChange(${startLine}, ${removedCount}) is outside the document of ${this.lines.length} lines`);
    }
    const fresh = insertedLines.map((text, i) => this.analyze(clean(text, startLine + i)));
    this.lines.splice(startLine, removedCount, ...fresh);
    this.cache = undefined;
  }

  setOptions(options: Partial<ValidateOptions>): void {
    const counterChanged = options.tokenCounter !== undefined && options.tokenCounter !== this.counter;
    this.options = { ...this.options, ...options };
    if (counterChanged) {
      this.counter = options.tokenCounter!;
      this.lines = this.lines.map((state) => this.analyze(state.text));
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
    return { text, result: analyzeLine(text, this.counter) };
  }

  private compute(): { findings: Finding[]; stats: DatasetStats } {
    if (this.cache) return this.cache;
    const pass = new DatasetPass(this.options);
    const all: Finding[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const state = this.lines[i];
      const r = state.result;
      const line = i + 1;
      if (r.issues.length > 0) {
        state.located ??= locateIssues(state.text, 0, r.issues);
        for (const f of state.located) all.push(atLine(f, line));
      }
      if (r.kind === 'blank') pass.addBlank(line);
      else if (r.kind === 'invalid') pass.addInvalid();
      else if (r.kind === 'example') {
        pass.addExample(
          { line, format: r.format, hash: r.hash, tokens: r.tokens, trainedTokens: r.trainedTokens, messages: r.messages, length: state.text.length },
          r.format === null ? state.text : undefined,
        );
      }
    }
    const sameText = (a: number, b: number) => this.lines[a - 1].text.trim() === this.lines[b - 1].text.trim();
    all.push(...pass.finish(this.lines.length, sameText));
    const findings = applyOverrides(all, this.options.severityOverrides);
    this.cache = { findings, stats: pass.stats(findings, this.counter) };
    return this.cache;
  }
}

function clean(text: string, index: number): string {
  if (index === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function atLine(f: Finding, line: number): Finding {
  const fixes = f.fixes?.map((fix) => ({ ...fix, line }));
  return fixes ? { ...f, line, fixes } : { ...f, line };
}
