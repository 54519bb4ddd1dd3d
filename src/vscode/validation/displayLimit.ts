// Which findings reach the Problems panel. VS Code keeps at most ~1000 diagnostics per file anyway; choosing
// them ourselves means the errors survive the cut (not whatever came first) and saves building diagnostics
// for a million findings in a broken 200 MB file.
import { omittedMessage } from '../../core/dataset/findingLimits';
import type { Finding, Severity } from '../../contracts/dataset';

export const MAX_DIAGNOSTICS_PER_FILE = 1000;

const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface DisplaySelection {
  shown: Finding[];
  /** Findings left out because of the limit (counted per severity for the message that says so). */
  hidden: { errors: number; warnings: number; infos: number };
}

export function selectForDisplay(findings: readonly Finding[], limit = MAX_DIAGNOSTICS_PER_FILE): DisplaySelection {
  if (findings.length <= limit) return { shown: [...findings], hidden: { errors: 0, warnings: 0, infos: 0 } };
  const sorted = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line || a.column - b.column);
  const shown = sorted.slice(0, limit).sort((a, b) => a.line - b.line || a.column - b.column);
  const hidden = { errors: 0, warnings: 0, infos: 0 };
  for (const finding of sorted.slice(limit)) {
    if (finding.severity === 'error') hidden.errors++;
    else if (finding.severity === 'warning') hidden.warnings++;
    else hidden.infos++;
  }
  return { shown, hidden };
}

export function hiddenMessage(hidden: DisplaySelection['hidden']): string | undefined {
  const total = hidden.errors + hidden.warnings + hidden.infos;
  if (total === 0) return undefined;
  return `${total} more findings not shown (${hidden.errors} errors, ${hidden.warnings} warnings, ${hidden.infos} info). Run \`brightrun validate FILE\` for the full list.`;
}

/** One notice per rule code whose findings the validator left out (its limits), for a diagnostic at line 1. */
export function omittedNotices(omitted: Readonly<Record<string, number>> | undefined): { code: string; message: string }[] {
  return Object.entries(omitted ?? {})
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, message: omittedMessage(code, count) }));
}
