// A run's place in a sweep, kept in its run record: enough to list the sweep, rank it and apply its early stop
// from the records alone (a sweep has no file of its own).
import * as z from 'zod';
import { SWEEP_METRICS } from '../../contracts/sweep';
import { lazySchema } from '../../contracts/lazySchema';

export const SweepMembership = lazySchema(() =>
  z.object({
    /** "sweep-<date>-<time>-<hex>", generated at launch. */
    id: z.string().min(1),
    /** The config's name, else its file name. */
    name: z.string(),
    /** 0-based place of this run in the sweep's expansion. */
    index: z.number().int().min(0),
    /** Runs the sweep launched. */
    size: z.number().int().min(1),
    /** The values this run got, by hyper-parameter name. */
    parameters: z.record(z.string(), z.number()),
    metric: z.enum(SWEEP_METRICS),
    goal: z.enum(['min', 'max']),
    earlyStop: z.object({ rule: z.literal('median'), afterEvaluations: z.number().int().min(1), minRuns: z.number().int().min(1) }).nullable(),
  }),
);
export type SweepMembership = z.infer<typeof SweepMembership>;
