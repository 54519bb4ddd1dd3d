// <runDir>/status.json: replaced atomically by the trainer (and by the launcher before the trainer starts).
// Single source of truth; its JSON Schema is generated into python/brightrun_trainer/schemas/.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

export const RUN_STATES = ['starting', 'running', 'completed', 'failed', 'cancelled'] as const;

/** A run waiting in a scheduler's queue (a pending Slurm job). */
export const RunQueue = lazySchema(() =>
  z.object({
    /** The scheduler's reason, as it says it (Slurm: Resources, Priority, BeginTime, ...). */
    reason: z.string(),
    /** 1 = next to start; null when the scheduler does not say. */
    position: z.number().int().min(1).nullable(),
    /** The scheduler's expected start time; null when unknown. */
    expected_start: z.string().nullable(),
  }),
);
export type RunQueue = z.infer<typeof RunQueue>;

export const RunStatus = lazySchema(() =>
  z.object({
    state: z.enum(RUN_STATES),
    pid: z.number().int().nullable(),
    pgid: z.number().int().nullable(),
    step: z.number().int().min(0),
    total_steps: z.number().int().min(0).nullable(),
    updated_at: z.string(),
    /** Why the run ended, in words a user can act on; null while it runs or when it completed. */
    exit_reason: z.string().nullable(),
    /** Set while the run waits in a scheduler's queue (a Slurm job pending); absent or null otherwise. */
    queue: RunQueue.nullable().optional(),
  }),
);

export type RunStatus = z.infer<typeof RunStatus>;
export type RunState = (typeof RUN_STATES)[number];
export const TERMINAL_STATES: readonly RunState[] = ['completed', 'failed', 'cancelled'];
