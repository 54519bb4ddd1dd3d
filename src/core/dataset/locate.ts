// Turns a LineIssue (a JSON path) into a Finding (line, column, end column, fixes) using the position-tracking
// scanner. Called only for lines that have issues; the scan is done once per line and shared by its issues.
import type { Fix, Finding } from '../../contracts/dataset';
import { nodeAt, propAt, scanJson, type JsonNode } from './jsonLocate';
import type { Anchor, FixSpec, LineIssue } from './issues';
import { RULES } from './rules';
import type { FindingCollector } from './findingLimits';

export class LineLocator {
  private root: JsonNode | undefined | null = null;
  constructor(
    private readonly text: string,
    private readonly line: number,
  ) {}

  private tree(): JsonNode | undefined {
    if (this.root === null) {
      const scan = scanJson(this.text);
      this.root = scan.ok ? scan.node : undefined;
    }
    return this.root;
  }

  /** [start, end) offsets of an anchor; the whole line when the path is not found (never expected). */
  range(at: Anchor): [number, number] {
    if ('offset' in at) return [at.offset, Math.min(this.text.length, at.offset + at.length)];
    const root = this.tree();
    if (root) {
      if (at.part === 'key' && typeof at.path[at.path.length - 1] === 'string') {
        const prop = propAt(root, at.path);
        if (prop) return [prop.keyStart, prop.keyEnd];
      }
      const node = nodeAt(root, at.path);
      if (node) return [node.start, node.end];
    }
    const lead = this.text.length - this.text.trimStart().length;
    return [lead, this.text.trimEnd().length];
  }

  finding(issue: LineIssue): Finding {
    const [start, end] = this.range(issue.at);
    const finding: Finding = {
      line: this.line,
      column: start + 1,
      endColumn: end + 1,
      code: issue.code,
      severity: RULES[issue.code].severity,
      message: issue.message,
    };
    if (issue.fixes) {
      const fixes = issue.fixes.map((spec) => this.fix(spec)).filter((f): f is Fix => f !== undefined);
      if (fixes.length > 0) finding.fixes = fixes;
    }
    return finding;
  }

  private fix(spec: FixSpec): Fix | undefined {
    switch (spec.kind) {
      case 'deleteLine':
        return { kind: 'deleteLine', title: spec.title, line: this.line };
      case 'deleteRange':
        return { kind: 'replace', title: spec.title, line: this.line, column: spec.offset + 1, endColumn: spec.offset + spec.length + 1, text: '' };
      case 'renameKey': {
        const prop = this.tree() && propAt(this.tree()!, spec.path);
        return (
          prop && { kind: 'replace', title: spec.title, line: this.line, column: prop.keyStart + 1, endColumn: prop.keyEnd + 1, text: JSON.stringify(spec.to) }
        );
      }
      case 'replaceValue': {
        const node = this.tree() && nodeAt(this.tree()!, spec.path);
        return node && { kind: 'replace', title: spec.title, line: this.line, column: node.start + 1, endColumn: node.end + 1, text: spec.json };
      }
    }
  }
}

/** Adds a line's issues as findings, unless every one of them would be left out anyway (then only counts them). */
export function collectLineIssues(collector: FindingCollector, text: string, line: number, issues: readonly LineIssue[]): void {
  if (issues.length === 0) return;
  if (issues.every((issue) => collector.isFull(issue.code, line))) {
    for (const issue of issues) collector.addOmitted(issue.code, 1);
    return;
  }
  for (const f of locateIssues(text, line, issues)) collector.add(f);
}

export function locateIssues(text: string, line: number, issues: readonly LineIssue[]): Finding[] {
  if (issues.length === 0) return [];
  const locator = new LineLocator(text, line);
  return issues.map((issue) => locator.finding(issue));
}
