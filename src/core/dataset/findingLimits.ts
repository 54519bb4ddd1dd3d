// How many findings a report keeps: at most MAX_FINDINGS_PER_CODE of each rule code and MAX_FINDINGS_PER_FILE
// in all, so a file with a million broken lines yields a readable report in bounded memory. What is left out is
// counted per code (`omitted`), and the severity counts of the statistics include it: nothing is lost from the
// totals. Which findings are kept does not depend on the order they arrive in (or on how a file was split
// between worker threads): per code the first ones in file order, and across codes errors before warnings
// before infos, then file order.
import { RULES, severityOf, type RuleCode } from './rules';
import type { Finding, Severity, SeverityOverride } from '../../contracts/dataset';

export const MAX_FINDINGS_PER_CODE = 1000;
export const MAX_FINDINGS_PER_FILE = 10_000;

export interface FindingLimits {
  perCode: number;
  perFile: number;
}

export const DEFAULT_FINDING_LIMITS: FindingLimits = { perCode: MAX_FINDINGS_PER_CODE, perFile: MAX_FINDINGS_PER_FILE };

export interface LimitedFindings {
  /** The kept findings, in file order (compareFindings). */
  findings: Finding[];
  /** Rule code -> findings of that code left out of `findings`; empty when nothing was left out. */
  omitted: Record<string, number>;
  /** Every finding added, kept or not, per severity (after overrides). */
  errors: number;
  warnings: number;
  infos: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

interface CodeState {
  /** The severity findings of the code get (after overrides); 'off' drops them. */
  severity: SeverityOverride;
  /** Up to twice the limit between trims; exactly the first `perCode` in file order after one. */
  kept: Finding[];
  omitted: number;
  /** Once the code keeps its limit: a line all kept findings are at or before (only ever decreases). */
  fullUpTo: number;
}

export class FindingCollector {
  /** One record per rule code: every call looks its code up once. */
  private readonly codes = new Map<string, CodeState>();
  private readonly counts = { errors: 0, warnings: 0, infos: 0 };

  /** `overrides` set the severities (and drop 'off' codes); without them findings keep their own severity. */
  constructor(
    private readonly overrides?: Record<string, SeverityOverride>,
    private readonly limits: FindingLimits = DEFAULT_FINDING_LIMITS,
  ) {}

  add(finding: Finding): void {
    const state = this.state(finding.code, finding.severity);
    const severity = state.severity;
    if (severity === 'off') return;
    this.count(severity, 1);
    state.kept.push(severity === finding.severity ? finding : { ...finding, severity });
    // Trimming at twice the limit keeps memory bounded at O(limit) per code, amortised O(log limit) per add.
    if (state.kept.length >= 2 * this.limits.perCode) this.trim(state);
  }

  /** Adds the finding `build` makes, or only counts it when it would certainly be left out (see isFull). */
  addLazily(code: RuleCode, line: number, build: () => Finding): void {
    if (this.isFull(code, line)) this.addOmitted(code, 1);
    else this.add(build());
  }

  addAll(findings: readonly Finding[]): void {
    for (const f of findings) this.add(f);
  }

  /** Findings of `code` left out without being built (over the limit, or a worker thread's share): counted, never shown. */
  addOmitted(code: string, count: number): void {
    const state = this.state(code);
    if (state.severity === 'off' || count <= 0) return;
    this.count(state.severity, count);
    state.omitted += count;
  }

  /**
   * True when a finding of `code` on `line` would certainly be left out: the code already keeps its limit of
   * findings, all on earlier lines. Lets callers skip building findings that cannot be shown (they still count
   * them with addOmitted).
   */
  isFull(code: string, line: number): boolean {
    const state = this.codes.get(code);
    if (!state || state.kept.length < this.limits.perCode) return false;
    if (state.fullUpTo === Infinity) this.trim(state);
    return state.fullUpTo < line;
  }

  result(): LimitedFindings {
    const candidates: Finding[] = [];
    const left = new Map<string, number>();
    for (const [code, state] of this.codes) {
      this.trim(state);
      for (const f of state.kept) candidates.push(f);
      if (state.omitted > 0) left.set(code, state.omitted);
    }
    let findings = candidates;
    if (candidates.length > this.limits.perFile) {
      candidates.sort((a, b) => RANK[a.severity] - RANK[b.severity] || compareFindings(a, b));
      findings = candidates.slice(0, this.limits.perFile);
      for (let i = this.limits.perFile; i < candidates.length; i++) left.set(candidates[i].code, (left.get(candidates[i].code) ?? 0) + 1);
    }
    findings.sort(compareFindings);
    const omitted: Record<string, number> = {};
    for (const code of [...left.keys()].sort()) omitted[code] = left.get(code)!;
    return { findings, omitted, ...this.counts };
  }

  /** Findings of an unknown code keep their own severity (`own`); known codes get the rule's, or the override. */
  private state(code: string, own?: Severity): CodeState {
    let state = this.codes.get(code);
    if (!state) {
      const known = Object.hasOwn(RULES, code);
      const severity: SeverityOverride = known ? severityOf(code as RuleCode, this.overrides) : (own ?? 'error');
      state = { severity, kept: [], omitted: 0, fullUpTo: Infinity };
      this.codes.set(code, state);
    }
    return state;
  }

  private trim(state: CodeState): void {
    const limit = this.limits.perCode;
    if (state.kept.length < limit) return;
    state.kept.sort(compareFindings);
    if (state.kept.length > limit) {
      state.omitted += state.kept.length - limit;
      state.kept.length = limit;
    }
    state.fullUpTo = state.kept[limit - 1].line;
  }

  private count(severity: Severity, n: number): void {
    if (severity === 'error') this.counts.errors += n;
    else if (severity === 'warning') this.counts.warnings += n;
    else this.counts.infos += n;
  }
}

/** What a report says about the findings of one code it left out (CLI text, Problems panel). */
export function omittedMessage(code: string, count: number): string {
  const n = count.toLocaleString('en-US');
  return `${n} more ${code} finding${count === 1 ? ' was' : 's were'} not shown (at most ${MAX_FINDINGS_PER_CODE.toLocaleString('en-US')} per rule code and ${MAX_FINDINGS_PER_FILE.toLocaleString('en-US')} per file are listed; the counts include them all). Fix the listed ones and validate again to see more.`;
}

/** The order findings are listed in: by line, column, then code and message so ties are deterministic. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
