// Planned diagnostics (diagnosticPlan.ts) -> vscode.Diagnostic. The arithmetic lives in positions.ts and the
// choices in diagnosticPlan.ts; this file only builds editor objects.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../contracts/dataset';
import type { DiagnosticsSink } from '../api/diagnostics';
import { planDiagnostics, type DiagnosticPlan, type PlainDiagnostic } from './diagnosticPlan';
import { findingKey, type LineLength, type PlainRange } from './positions';

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

export function toDiagnostic(uri: vscode.Uri, plain: PlainDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(plain.range), plain.message, severities[plain.severity]);
  if (plain.code !== undefined) diagnostic.code = plain.code;
  diagnostic.source = DIAGNOSTIC_SOURCE;
  if (plain.related) {
    diagnostic.relatedInformation = plain.related.map(
      (related) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(related.file ? vscode.Uri.file(related.file) : uri, toRange(related.range)),
          related.message,
        ),
    );
  }
  return diagnostic;
}

export interface BuiltDiagnostics extends Omit<DiagnosticPlan, 'diagnostics'> {
  diagnostics: vscode.Diagnostic[];
}

/** The diagnostics of one file from disk or an open document (see planDiagnostics). */
export function buildDiagnostics(
  uri: vscode.Uri,
  findings: readonly Finding[],
  lineLength?: LineLength,
  omitted?: Readonly<Record<string, number>>,
): BuiltDiagnostics {
  const plan = planDiagnostics(uri.fsPath, findings, lineLength, omitted);
  return { diagnostics: plan.diagnostics.map((plain) => toDiagnostic(uri, plain)), fixes: plan.fixes };
}

/** The Problems panel entries of BrightRun as a `DiagnosticsSink`. */
export function diagnosticsSink(collection: vscode.DiagnosticCollection): DiagnosticsSink<vscode.Uri> {
  return {
    set: (uri, diagnostics) =>
      collection.set(
        uri,
        diagnostics.map((plain) => toDiagnostic(uri, plain)),
      ),
    delete: (uri) => collection.delete(uri),
  };
}
