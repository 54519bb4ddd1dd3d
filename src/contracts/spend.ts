// The spend report: what GPU time cost, per day, ISO week and calendar month (UTC), per host, project and run,
// and the month's budget verdict. One shape for `brightrun spend --json`, the Spend panel and the budget
// warnings; src/core/runs/spend.ts computes it. Version 1 only ever gains optional fields.
import * as z from 'zod';
import { RUN_STATES } from './status';
import { lazySchema } from './lazySchema';

/** The project name under which runs without a project are grouped. */
export const NO_PROJECT = '(no project)';

/** GPU time and its cost over one span. A run launched without a price adds GPU-hours but no dollars: its share
 *  stays in unpricedGpuHours, so a cost is never shown as $0 when it is unknown. */
export const SpendTotals = lazySchema(() =>
  z.object({
    /** GPU-hours held: wall time of every attempt x the run's GPUs. Priced and unpriced runs alike. */
    gpuHours: z.number().finite().min(0),
    /** USD of the runs that had a price (each at the price it was launched with). */
    costUsd: z.number().finite().min(0),
    /** GPU-hours of runs without a price: their cost is unknown, not zero. */
    unpricedGpuHours: z.number().finite().min(0),
  }),
);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const SpendDay = lazySchema(() => SpendTotals.extend({ day: z.string().regex(DAY) }));

export const SpendWeek = lazySchema(() =>
  SpendTotals.extend({
    /** ISO 8601 week, e.g. "2026-W49". */
    week: z.string().regex(/^\d{4}-W\d{2}$/),
    /** The week's first and last day inside the report's month (a week that straddles two months is cut). */
    from: z.string().regex(DAY),
    to: z.string().regex(DAY),
  }),
);

export const SpendMonth = lazySchema(() => SpendTotals.extend({ month: z.string().regex(/^\d{4}-\d{2}$/) }));

export const SpendHost = lazySchema(() => SpendTotals.extend({ host: z.string(), runs: z.number().int().min(0) }));

export const SpendProject = lazySchema(() =>
  SpendTotals.extend({
    /** The runs' project label; null for runs without one (shown as NO_PROJECT). */
    project: z.string().nullable(),
    runs: z.number().int().min(0),
  }),
);

export const SpendRunRow = lazySchema(() =>
  SpendTotals.extend({
    id: z.string(),
    name: z.string().nullable(),
    host: z.string(),
    project: z.string().nullable(),
    state: z.enum(RUN_STATES),
    gpus: z.number().int().min(1),
    /** The price the run was launched with; null when none was known. */
    pricePerGpuHour: z.number().min(0).nullable(),
  }),
);

export const BUDGET_LEVELS = ['ok', 'warning', 'exceeded'] as const;
export type BudgetLevel = (typeof BUDGET_LEVELS)[number];

export const SpendBudget = lazySchema(() =>
  z.object({
    budgetUsd: z.number().finite().positive(),
    /** The month's priced spend (same as total.costUsd). */
    spentUsd: z.number().finite().min(0),
    /** spentUsd / budgetUsd (1 = the whole budget). */
    share: z.number().finite().min(0),
    /** Month-end spend at this month's rate so far (spent / elapsed part of the month); a past month: its spend. */
    projectedUsd: z.number().finite().min(0),
    /** ok below 80% of the budget, warning from 80%, exceeded from 100%. */
    level: z.enum(BUDGET_LEVELS),
    /** GPU-hours this month whose cost is unknown: the real spend is higher than spentUsd by their price. */
    unpricedGpuHours: z.number().finite().min(0),
  }),
);

export const SpendReport = lazySchema(() =>
  z.object({
    v: z.literal(1),
    /** When the report was computed (running attempts are counted up to this instant). */
    now: z.string(),
    /** The calendar month reported on (UTC), "YYYY-MM". */
    month: z.string().regex(/^\d{4}-\d{2}$/),
    /** The month's totals. */
    total: SpendTotals,
    /** Each day of the month up to today (all of it for a past month), zero days included, oldest first. */
    days: z.array(SpendDay),
    /** The ISO weeks that touch the month, counting only the month's days, oldest first. */
    weeks: z.array(SpendWeek),
    /** Every calendar month with GPU time, oldest first (all history, not only the reported month). */
    months: z.array(SpendMonth),
    /** The month's spend per host, per project and per run, highest cost first (then GPU-hours). */
    hosts: z.array(SpendHost),
    projects: z.array(SpendProject),
    runs: z.array(SpendRunRow),
    /** The month's budget verdict; null when no budget is set. */
    budget: SpendBudget.nullable(),
  }),
);

export type SpendTotals = z.infer<typeof SpendTotals>;
export type SpendDay = z.infer<typeof SpendDay>;
export type SpendWeek = z.infer<typeof SpendWeek>;
export type SpendMonth = z.infer<typeof SpendMonth>;
export type SpendHost = z.infer<typeof SpendHost>;
export type SpendProject = z.infer<typeof SpendProject>;
export type SpendRunRow = z.infer<typeof SpendRunRow>;
export type SpendBudget = z.infer<typeof SpendBudget>;
export type SpendReport = z.infer<typeof SpendReport>;
