// What GPU time cost, from the run records: every attempt's wall time (a running one up to now) x the run's GPUs
// x the price it was launched with (never re-priced), cut at each UTC midnight so a run across midnight counts in
// both days. Runs without a price add GPU-hours and leave their cost unknown. One pass over the attempts; an
// attempt adds one segment per UTC day it spans.
import { NO_PROJECT, type BudgetLevel, type SpendBudget, type SpendReport, type SpendRunRow, type SpendTotals } from '../../contracts/spend';
import type { RunState } from '../../contracts/status';
import type { Attempt } from './cost';
import type { RunRecord } from './runRecord';

/** What the spend of one run is computed from. */
export interface SpendRun {
  id: string;
  name: string | null;
  host: string;
  project: string | null;
  state: RunState;
  gpus: number;
  pricePerGpuHour: number | null;
  attempts: readonly Attempt[];
}

export function spendRunOf(record: RunRecord): SpendRun {
  return {
    id: record.id,
    name: record.config.name,
    host: record.host,
    project: record.config.project,
    state: record.state,
    gpus: record.gpus,
    pricePerGpuHour: record.pricePerGpuHour,
    attempts: record.attempts,
  };
}

export interface SpendOptions {
  now: Date;
  /** "YYYY-MM" (UTC); default: the month of `now`. */
  month?: string;
  /** The monthly budget in USD; undefined or 0: none. */
  budgetUsd?: number;
}

/** The share of the budget from which the level is `warning`. */
export const BUDGET_WARNING_SHARE = 0.8;

const DAY_MS = 86_400_000;

export function computeSpend(runs: readonly SpendRun[], options: SpendOptions): SpendReport {
  const nowMs = options.now.getTime();
  const month = options.month ?? monthKey(nowMs);
  const monthStart = parseMonth(month);
  const monthEnd = nextMonthStart(monthStart);

  /** Each UTC day with GPU time, by its start (ms): its totals, and its month's (found once per day). */
  const byDay = new Map<number, { totals: SpendTotals; month: SpendTotals }>();
  const byMonth = new Map<string, SpendTotals>();
  const byHost = new Map<string, SpendTotals & { runs: number }>();
  const byProject = new Map<string | null, SpendTotals & { runs: number }>();
  const runRows: SpendRunRow[] = [];
  const total = zero();

  for (const run of runs) {
    const price = run.pricePerGpuHour;
    // The run's row and its host's and project's totals, taken on its first GPU time inside the month.
    let row: SpendRunRow | undefined;
    let host: SpendTotals | undefined;
    let project: SpendTotals | undefined;
    for (const attempt of run.attempts) {
      const start = Date.parse(attempt.startedAt);
      const end = attempt.endedAt === null ? nowMs : Date.parse(attempt.endedAt);
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) continue;
      for (let from = start; from < end;) {
        const dayStart = Math.floor(from / DAY_MS) * DAY_MS;
        const to = Math.min(end, dayStart + DAY_MS);
        const gpuHours = ((to - from) / 3_600_000) * run.gpus;
        let day = byDay.get(dayStart);
        if (day === undefined) byDay.set(dayStart, (day = { totals: zero(), month: upsert(byMonth, monthKey(dayStart), zero) }));
        addHours(day.totals, gpuHours, price);
        addHours(day.month, gpuHours, price);
        if (dayStart >= monthStart && dayStart < monthEnd) {
          if (row === undefined) {
            row = { ...zero(), id: run.id, name: run.name, host: run.host, project: run.project, state: run.state, gpus: run.gpus, pricePerGpuHour: price };
            runRows.push(row);
            const hostTotals = upsert(byHost, run.host, () => ({ ...zero(), runs: 0 }));
            const projectTotals = upsert(byProject, run.project, () => ({ ...zero(), runs: 0 }));
            hostTotals.runs++;
            projectTotals.runs++;
            host = hostTotals;
            project = projectTotals;
          }
          addHours(total, gpuHours, price);
          addHours(row, gpuHours, price);
          addHours(host!, gpuHours, price);
          addHours(project!, gpuHours, price);
        }
        from = to;
      }
    }
  }

  const lastDay = Math.min(monthEnd, Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS);
  const days = [];
  for (let d = monthStart; d < lastDay; d += DAY_MS) days.push({ day: dayKey(d), ...(byDay.get(d)?.totals ?? zero()) });

  const weeks: SpendReport['weeks'] = [];
  for (const day of days) {
    const week = isoWeek(Date.parse(`${day.day}T00:00:00Z`));
    const last = weeks.at(-1);
    if (last?.week === week) {
      addTotals(last, day);
      last.to = day.day;
    } else {
      weeks.push({ week, from: day.day, to: day.day, ...pick(day) });
    }
  }

  return {
    v: 1,
    now: options.now.toISOString(),
    month,
    total,
    days,
    weeks,
    months: [...byMonth].sort(([a], [b]) => a.localeCompare(b)).map(([m, t]) => ({ month: m, ...t })),
    hosts: [...byHost].map(([host, t]) => ({ host, runs: t.runs, ...pick(t) })).sort(byCost),
    projects: [...byProject]
      .map(([project, t]) => ({ project, runs: t.runs, ...pick(t) }))
      .sort((a, b) => byCost(a, b) || (a.project ?? NO_PROJECT).localeCompare(b.project ?? NO_PROJECT)),
    runs: runRows.sort(byCost),
    budget: budgetVerdict(options.budgetUsd, total, monthStart, monthEnd, nowMs),
  };
}

function budgetVerdict(budgetUsd: number | undefined, total: SpendTotals, monthStart: number, monthEnd: number, nowMs: number): SpendBudget | null {
  if (budgetUsd === undefined || !(budgetUsd > 0)) return null;
  const spentUsd = total.costUsd;
  const share = spentUsd / budgetUsd;
  // The rate so far this month, carried to its end. A month not begun yet has spent nothing; an ended one is final.
  const elapsed = Math.min(monthEnd, nowMs) - monthStart;
  const projectedUsd = elapsed <= 0 ? spentUsd : nowMs >= monthEnd ? spentUsd : (spentUsd * (monthEnd - monthStart)) / elapsed;
  return { budgetUsd, spentUsd, share, projectedUsd, level: budgetLevel(share), unpricedGpuHours: total.unpricedGpuHours };
}

export function budgetLevel(share: number): BudgetLevel {
  if (share >= 1) return 'exceeded';
  if (share >= BUDGET_WARNING_SHARE) return 'warning';
  return 'ok';
}

/** "YYYY-MM" of a bad month argument, in words a user can act on; null when it is fine. */
export function checkMonth(month: string): string | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return `month must be YYYY-MM (e.g. 2026-12), got '${month}'`;
  return null;
}

export function monthKey(ms: number): string {
  return dayKey(ms).slice(0, 7);
}

function parseMonth(month: string): number {
  const problem = checkMonth(month);
  if (problem) throw new Error(problem);
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
}

function nextMonthStart(monthStart: number): number {
  const d = new Date(monthStart);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 week of a UTC day: the week (Monday to Sunday) belongs to the year of its Thursday. */
export function isoWeek(dayMs: number): string {
  const weekday = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const thursday = new Date(dayMs + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS); // 0-based day of the year
  return `${year}-W${String(Math.floor(ordinal / 7) + 1).padStart(2, '0')}`;
}

function zero(): SpendTotals {
  return { gpuHours: 0, costUsd: 0, unpricedGpuHours: 0 };
}

function pick(t: SpendTotals): SpendTotals {
  return { gpuHours: t.gpuHours, costUsd: t.costUsd, unpricedGpuHours: t.unpricedGpuHours };
}

function addHours(totals: SpendTotals, gpuHours: number, price: number | null): void {
  totals.gpuHours += gpuHours;
  if (price === null) totals.unpricedGpuHours += gpuHours;
  else totals.costUsd += gpuHours * price;
}

function addTotals(into: SpendTotals, more: SpendTotals): void {
  into.gpuHours += more.gpuHours;
  into.costUsd += more.costUsd;
  into.unpricedGpuHours += more.unpricedGpuHours;
}

function upsert<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function byCost(a: SpendTotals, b: SpendTotals): number {
  return b.costUsd - a.costUsd || b.gpuHours - a.gpuHours;
}
