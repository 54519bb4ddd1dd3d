// Automatic recovery of runs: the per-run setting (`recovery` in *.brightrun.json) and <runDir>/recovery.json, the
// host-side record of automatic restarts. The engine (src/core/runs/runRecovery.ts) writes recovery.json before
// it restarts the trainer; the trainer reads it: the newest entry's batch_size and grad_accum replace the
// config's (so any later resume keeps them), and the entry whose number it was started with (`--attempt N`)
// becomes its first event, `attempt`. Its JSON Schema is generated into python/brightrun_trainer/schemas/.
import * as z from 'zod';
import { AttemptChange, RECOVERY_REASONS } from './events';
import { lazySchema } from './lazySchema';

export const DEFAULT_MAX_ATTEMPTS = 3;

export const RecoverySettings = lazySchema(() =>
  z
    .strictObject({
      enabled: z.boolean().default(true).describe('Restart the run by itself after running out of memory, a killed trainer or a host that went away.'),
      maxAttempts: z
        .number()
        .int()
        .min(1)
        .max(20)
        .default(DEFAULT_MAX_ATTEMPTS)
        .describe('Automatic restarts at most, each from the last checkpoint (the first start does not count).'),
    })
    .describe(
      'Automatic recovery: out of memory restarts from the last checkpoint with half the micro-batch and twice the gradient accumulation (same effective batch); a trainer or host that died is resumed when the host is reachable again.',
    ),
);
export type RecoverySettings = z.output<typeof RecoverySettings>;

export const RecoveryAttempt = lazySchema(() =>
  z.object({
    number: z.number().int().min(2),
    reason: z.enum(RECOVERY_REASONS),
    message: z.string(),
    from_step: z.number().int().min(0),
    changes: z.array(AttemptChange),
    /** The micro-batch and gradient accumulation this attempt (and every later one) trains with. */
    batch_size: z.number().int().min(1),
    grad_accum: z.number().int().min(1),
    started_at: z.string(),
  }),
);
export type RecoveryAttempt = z.infer<typeof RecoveryAttempt>;

export const RecoveryFile = lazySchema(() => z.object({ v: z.literal(1), attempts: z.array(RecoveryAttempt) }));
export type RecoveryFile = z.infer<typeof RecoveryFile>;
