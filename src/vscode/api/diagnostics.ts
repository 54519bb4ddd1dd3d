// Where live validation publishes its diagnostics: plain data per document, turned into the Problems panel's
// entries by the real sink (validation/diagnostics.ts `diagnosticsSink`).
import type { PlainDiagnostic } from '../validation/diagnosticPlan';

export interface DiagnosticsSink<U> {
  set(uri: U, diagnostics: readonly PlainDiagnostic[]): void;
  delete(uri: U): void;
}
