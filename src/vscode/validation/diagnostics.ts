// Finding -> vscode.Diagnostic. The arithmetic lives in positions.ts; this file only builds editor objects.
import * as vscode from 'vscode';
import type { Finding, Fix, Severity } from '../../contracts/dataset';
import { hiddenMessage, omittedNotices, selectForDisplay } from './displayLimit';
import { findingKey, findingRange, lineRange, type LineLength, type PlainRange } from './positions';

export const DIAGNOSTIC_SOURCE = 'brightrun';

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(range: PlainRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
}

export function diagnosticKey(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  const code = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code ?? '');
  return findingKey(code, { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character }, diagnostic.message);
}

export interface BuiltDiagnostics {
  diagnostics: vscode.Diagnostic[];
  /** The certain fixes behind each diagnostic, keyed by `diagnosticKey`, for the code action provider. */
  fixes: Map<string, Fix[]>;
}

/**
 * Builds the diagnostics for one file. `lineLength` is known for open documents, not for disk files. `omitted`
 * (findings the validator left out, per code) become one notice per code at line 1.
 */
export function buildDiagnostics(uri: vscode.Uri, findings: readonly Finding[], lineLength?: LineLength, omitted?: Readonly<Record<string, number>>): BuiltDiagnostics {
  const { shown, hidden } = selectForDisplay(findings);
  const fixes = new Map<string, Fix[]>();
  const diagnostics = shown.map((finding) => {
    const range = findingRange(finding, lineLength);
    const diagnostic = new vscode.Diagnostic(toRange(range), finding.message, severities[finding.severity]);
    diagnostic.code = finding.code;
    diagnostic.source = DIAGNOSTIC_SOURCE;
    if (finding.related && finding.related.length > 0) {
      diagnostic.relatedInformation = finding.related.map((related) => {
        const target = related.file ? vscode.Uri.file(related.file) : uri;
        const length = target.toString() === uri.toString() ? lineLength : undefined;
        return new vscode.DiagnosticRelatedInformation(new vscode.Location(target, toRange(lineRange(related.line, length))), related.message);
      });
    }
    if (finding.fixes && finding.fixes.length > 0) fixes.set(findingKey(finding.code, range, finding.message), finding.fixes);
    return diagnostic;
  });
  for (const { code, message } of omittedNotices(omitted)) {
    const notice = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Information);
    notice.code = code;
    notice.source = DIAGNOSTIC_SOURCE;
    diagnostics.push(notice);
  }
  const more = hiddenMessage(hidden);
  if (more) {
    const notice = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), more, vscode.DiagnosticSeverity.Information);
    notice.source = DIAGNOSTIC_SOURCE;
    diagnostics.push(notice);
  }
  return { diagnostics, fixes };
}
