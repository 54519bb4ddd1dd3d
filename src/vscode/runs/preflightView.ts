// The engine's preflight report turned into what the launch form shows. Pure.
import type { PreflightReport } from '../../core/hosts/preflight';
import type { PreflightCheck, PreflightView } from '../../shared/launchProtocol';

export function preflightViewFromReport(report: PreflightReport, checkedAt: string): PreflightView {
  const problems: PreflightCheck[] = report.problems.map((problem) => ({
    name: problem.kind,
    status: problem.severity,
    detail: problem.hint ? `${problem.message} ${problem.hint}` : problem.message,
  }));
  const facts: PreflightCheck[] = report.facts.map((fact) => {
    const colon = fact.indexOf(':');
    return colon > 0 && colon < 24
      ? { name: fact.slice(0, colon).trim(), status: 'ok', detail: fact.slice(colon + 1).trim() }
      : { name: fact.split(/\s+/)[0] ?? 'fact', status: 'ok', detail: fact };
  });
  const gpus = (report.raw?.gpus ?? []).map((gpu) => ({
    name: String(gpu.name ?? 'GPU'),
    memoryGb: Number(gpu.memory_gb ?? gpu.memory_total_gb ?? 0) || 0,
  }));
  const errors = report.problems.filter((problem) => problem.severity === 'error');
  const summary = report.ok
    ? [
        report.gpuCount > 0 && report.gpuName ? `${report.gpuCount} x ${report.gpuName}` : 'no GPU (CPU only)',
        ...report.facts.filter((f) => /disk|free/i.test(f)),
      ].join(', ')
    : errors.map((problem) => problem.message).join('; ');
  return { ok: report.ok, summary, checks: [...problems, ...facts], gpus, checkedAt };
}
