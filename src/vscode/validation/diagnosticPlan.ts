// Findings -> the diagnostics to show, as plain data (ranges, severity, code, related lines, fixes by key). No
// editor objects here, so live validation is unit-tested; diagnostics.ts turns a plan into vscode.Diagnostics.
import type { Finding, Fix, Severity } from '../../contracts/dataset';
import { hiddenMessage, omittedNotices, selectForDisplay } from './displayLimit';
import { findingKey, findingRange, lineRange, type LineLength, type PlainRange } from './positions';

export interface PlainDiagnostic {
  range: PlainRange;
  message: string;
  severity: Severity;
  code?: string;
  /** Other places the finding points at: `file` absent means the same file. */
  related?: { file?: string; range: PlainRange; message: string }[];
}

export interface DiagnosticPlan {
  diagnostics: PlainDiagnostic[];
  /** The certain fixes behind each diagnostic, keyed by `findingKey`, for the code action provider. */
  fixes: Map<string, Fix[]>;
}

const ORIGIN: PlainRange = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 };

/**
 * Plans the diagnostics of one file (`fsPath`). `lineLength` is known for open documents, not for disk files.
 * `omitted` (findings the validator left out, per code) become one notice per code at line 1.
 */
export function planDiagnostics(
  fsPath: string,
  findings: readonly Finding[],
  lineLength?: LineLength,
  omitted?: Readonly<Record<string, number>>,
): DiagnosticPlan {
  const { shown, hidden } = selectForDisplay(findings);
  const fixes = new Map<string, Fix[]>();
  const diagnostics: PlainDiagnostic[] = shown.map((finding) => {
    const range = findingRange(finding, lineLength);
    const diagnostic: PlainDiagnostic = { range, message: finding.message, severity: finding.severity, code: finding.code };
    if (finding.related && finding.related.length > 0) {
      diagnostic.related = finding.related.map((related) => {
        const sameFile = !related.file || related.file === fsPath;
        return { ...(related.file ? { file: related.file } : {}), range: lineRange(related.line, sameFile ? lineLength : undefined), message: related.message };
      });
    }
    if (finding.fixes && finding.fixes.length > 0) fixes.set(findingKey(finding.code, range, finding.message), finding.fixes);
    return diagnostic;
  });
  for (const { code, message } of omittedNotices(omitted)) diagnostics.push({ range: ORIGIN, message, severity: 'info', code });
  const more = hiddenMessage(hidden);
  if (more) diagnostics.push({ range: ORIGIN, message: more, severity: 'info' });
  return { diagnostics, fixes };
}
