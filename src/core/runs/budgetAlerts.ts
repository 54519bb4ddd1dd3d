// When to tell the user that this month's GPU spend crossed 80% or 100% of the monthly budget: once per threshold
// per month. What was already said is remembered (the editor keeps it across reloads) as the month and the levels
// announced in it; a new month starts with none.
import type { BudgetLevel, SpendReport } from '../../contracts/spend';

export interface BudgetAlertMemory {
  month: string;
  announced: Exclude<BudgetLevel, 'ok'>[];
}

/** The remembered alerts as stored, or null when absent or not in the expected shape (nothing announced). */
export function readBudgetAlertMemory(value: unknown): BudgetAlertMemory | null {
  if (typeof value !== 'object' || value === null) return null;
  const { month, announced } = value as { month?: unknown; announced?: unknown };
  if (typeof month !== 'string' || !Array.isArray(announced)) return null;
  return { month, announced: announced.filter((level): level is 'warning' | 'exceeded' => level === 'warning' || level === 'exceeded') };
}

/**
 * The alert due for this report (null: none) and the memory to keep. A jump straight past 100% announces only
 * that, and counts the 80% one as said. A budget raised later does not re-announce a level of the same month.
 */
export function budgetAlertDue(
  report: SpendReport,
  memory: BudgetAlertMemory | null,
): { alert: Exclude<BudgetLevel, 'ok'> | null; memory: BudgetAlertMemory | null } {
  const level = report.budget?.level ?? 'ok';
  const announced = memory?.month === report.month ? memory.announced : [];
  if (level === 'ok' || announced.includes(level)) return { alert: null, memory };
  const now: BudgetAlertMemory['announced'] = level === 'exceeded' ? ['warning', 'exceeded'] : ['warning'];
  return { alert: level, memory: { month: report.month, announced: [...new Set([...announced, ...now])] } };
}
