// How many findings a report keeps: at most MAX_FINDINGS_PER_CODE of each rule code and MAX_FINDINGS_PER_FILE
// in all, so a file with a million broken lines yields a readable report in bounded memory. What is left out is
// counted per code (`omitted`), and the severity counts of the statistics include it: nothing is lost from the
// totals. Which findings are kept does not depend on the order they arrive in (or on how a file was split
// between worker threads): per code the first ones in file order, and across codes errors before warnings
// before infos, then file order.
import { compareFindings } from './datasetFindings';
import { RULES, severityOf, type RuleCode } from './rules';
import type { Finding, Severity, SeverityOverride } from './types';

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

export class FindingCollector {
  private readonly kept = new Map<string, Finding[]>();
  private readonly omittedByCode = new Map<string, number>();
  private readonly counts = { errors: 0, warnings: 0, infos: 0 };
  /** Per code, once it keeps its limit: a line all kept findings are at or before (only ever decreases). */
  private readonly fullUpTo = new Map<string, number>();

  /** `overrides` set the severities (and drop 'off' codes); without them findings keep their own severity. */
  constructor(
    private readonly overrides?: Record<string, SeverityOverride>,
    private readonly limits: FindingLimits = DEFAULT_FINDING_LIMITS,
  ) {}

  add(finding: Finding): void {
    const severity = this.severity(finding.code, finding.severity);
    if (severity === 'off') return;
    this.count(severity, 1);
    let list = this.kept.get(finding.code);
    if (!list) this.kept.set(finding.code, (list = []));
    list.push(severity === finding.severity ? finding : { ...finding, severity });
    // Trimming at twice the limit keeps memory bounded at O(limit) per code, amortised O(log limit) per add.
    if (list.length >= 2 * this.limits.perCode) this.trim(finding.code, list);
  }

  /** Adds the finding `build` makes, or only counts it when it would certainly be left out (see isFull). */
  addLazily(code: RuleCode, line: number, build: () => Finding): void {
    if (this.isFull(code, line)) this.addOmitted(code, 1);
    else this.add(build());
  }

  addAll(findings: readonly Finding[]): void {
    for (const f of findings) this.add(f);
  }

  /** Findings of `code` already left out elsewhere (a worker thread's share): counted, never shown. */
  addOmitted(code: string, count: number, severity: Severity = Object.hasOwn(RULES, code) ? RULES[code as RuleCode].severity : 'error'): void {
    const s = this.severity(code, severity);
    if (s === 'off' || count <= 0) return;
    this.count(s, count);
    this.omittedByCode.set(code, (this.omittedByCode.get(code) ?? 0) + count);
  }

  /**
   * True when a finding of `code` on `line` would certainly be left out: the code already keeps its limit of
   * findings, all on earlier lines. Lets callers skip building findings that cannot be shown (they still count
   * them with addOmitted).
   */
  isFull(code: string, line: number): boolean {
    const list = this.kept.get(code);
    if (!list || list.length < this.limits.perCode) return false;
    if (!this.fullUpTo.has(code)) this.trim(code, list);
    return this.fullUpTo.get(code)! < line;
  }

  result(): LimitedFindings {
    const candidates: Finding[] = [];
    for (const [code, list] of this.kept) {
      this.trim(code, list);
      for (const f of list) candidates.push(f);
    }
    const left = new Map(this.omittedByCode);
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

  private trim(code: string, list: Finding[]): void {
    const limit = this.limits.perCode;
    if (list.length < limit) return;
    list.sort(compareFindings);
    if (list.length > limit) {
      this.omittedByCode.set(code, (this.omittedByCode.get(code) ?? 0) + list.length - limit);
      list.length = limit;
    }
    this.fullUpTo.set(code, list[limit - 1].line);
  }

  private severity(code: string, own: Severity): SeverityOverride {
    if (!this.overrides) return own;
    return Object.hasOwn(RULES, code) ? severityOf(code as RuleCode, this.overrides) : own;
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
  return `${n} more ${code} finding${count === 1 ? ' was' : 's were'} not shown (at most ${MAX_FINDINGS_PER_CODE.toLocaleString('en-US')} per rule code and ${MAX_FINDINGS_PER_FILE.toLocaleString('en-US')} per file are listed; the counts include them all).`;
}
