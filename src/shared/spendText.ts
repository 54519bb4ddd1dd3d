// Spend figures in words, the same in the CLI table and the Spend panel. A cost that is partly or wholly unknown
// (runs launched without a price) says so: never "$0.00" for GPU time nobody priced.
import { NO_PROJECT, type SpendBudget, type SpendTotals } from '../contracts/spend';

/** "$12.34"; amounts under a cent keep four decimals, so a short run never reads as free. */
export function moneyText(usd: number): string {
  if (usd > 0 && usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** "$12.34", "$12.34 + unknown" (some GPU-hours had no price), "unknown" (none had one), "$0.00" (no GPU time). */
export function costText(totals: SpendTotals): string {
  if (totals.unpricedGpuHours <= 0) return moneyText(totals.costUsd);
  if (totals.costUsd <= 0) return 'unknown';
  return `${moneyText(totals.costUsd)} + unknown`;
}

/** "3.25"; small amounts keep four decimals. */
export function gpuHoursText(hours: number): string {
  if (hours > 0 && hours < 0.01) return hours.toFixed(4);
  return hours.toFixed(2);
}

export function projectText(project: string | null): string {
  return project ?? NO_PROJECT;
}

/** "December 2026" for "2026-12". */
export function monthTitle(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return date.toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The budget line: "$26.00 of $30.00 (87%), projected $322.40 by month end". */
export function budgetText(budget: SpendBudget): string {
  return `${moneyText(budget.spentUsd)} of ${moneyText(budget.budgetUsd)} (${Math.round(budget.share * 100)}%), projected ${moneyText(budget.projectedUsd)} by month end`;
}

/** What the budget level means, for a warning; null while under 80%. */
export function budgetWarningText(budget: SpendBudget, month: string): string | null {
  if (budget.level === 'ok') return null;
  const what = budget.level === 'exceeded' ? 'is over the monthly GPU budget' : 'has reached 80% of the monthly GPU budget';
  return `GPU spend for ${monthTitle(month)} ${what}: ${budgetText(budget)}.`;
}

/** The note under a total whose cost is partly unknown; null when every GPU-hour was priced. */
export function unpricedNote(totals: SpendTotals): string | null {
  if (totals.unpricedGpuHours <= 0) return null;
  return `${gpuHoursText(totals.unpricedGpuHours)} GPU-hours ran without a price: their cost is unknown and not in the dollar figures (set pricePerGpuHour in the run config or the host).`;
}
