// Automatic recovery's decision, pure: how a run failed + its recovery setting + what was already tried -> the next
// attempt (what it changes) or giving up, with what else to try. The engine (runRecovery.ts) carries it out.
import type { AttemptChange, RecoveryReason } from '../../contracts/events';
import type { RecoverySettings } from '../../contracts/recovery';

/** How an attempt ended, as far as recovery cares. `other` (a data or config error, a crash in our code, a CUDA
 *  fault) is never retried: the same attempt would fail the same way. */
export type FailureKind = RecoveryReason | 'other';

export interface BatchSettings {
  batchSize: number;
  gradAccum: number;
}

export interface RecoveryState {
  /** Automatic restarts made so far. */
  restarts: number;
  /** The micro-batch and gradient accumulation the failed attempt trained with. */
  batch: BatchSettings;
}

export type RecoveryDecision =
  { retry: true; reason: RecoveryReason; message: string; batch: BatchSettings; changes: AttemptChange[] } | { retry: false; advice: string | null };

export const OOM_ADVICE =
  'set gradientCheckpointing: true, shorten maxSeqLen, turn packing off for very long examples, use quantization: "4bit" (QLoRA), or a GPU with more memory';

/** The largest micro-batch of at most half the current one that divides it: the gradient accumulation grows by
 *  the same factor, so the effective batch (micro-batch x accumulation) stays exactly the same. */
export function halvedBatch(batch: BatchSettings): BatchSettings | null {
  for (let size = Math.floor(batch.batchSize / 2); size >= 1; size--) {
    if (batch.batchSize % size === 0) return { batchSize: size, gradAccum: (batch.gradAccum * batch.batchSize) / size };
  }
  return null;
}

const WHAT_HAPPENED: Record<RecoveryReason, string> = {
  oom: 'ran out of memory',
  killed: 'the trainer was killed',
  host_lost: 'the host went away (reboot, spot reclaim or lost power) and came back',
};

export function decideRecovery(failure: FailureKind, settings: RecoverySettings, state: RecoveryState): RecoveryDecision {
  if (failure === 'other' || !settings.enabled) return { retry: false, advice: null };
  if (state.restarts >= settings.maxAttempts) {
    const more = failure === 'oom' ? `; to fit in memory, ${OOM_ADVICE}` : '; resume it by hand once the cause is fixed';
    return { retry: false, advice: `automatic recovery gave up after ${state.restarts} restart(s) (recovery.maxAttempts is ${settings.maxAttempts})${more}` };
  }
  const number = state.restarts + 2;
  if (failure === 'oom') {
    const smaller = halvedBatch(state.batch);
    if (!smaller) return { retry: false, advice: `out of memory at micro-batch 1, so halving it cannot help: ${OOM_ADVICE}` };
    return {
      retry: true,
      reason: 'oom',
      message: `Attempt ${number}: ${WHAT_HAPPENED.oom} at micro-batch ${state.batch.batchSize}; restarted with micro-batch ${smaller.batchSize} and gradient accumulation ${smaller.gradAccum} (the same effective batch of ${smaller.batchSize * smaller.gradAccum}).`,
      batch: smaller,
      changes: [
        { setting: 'batch_size', from: state.batch.batchSize, to: smaller.batchSize },
        { setting: 'grad_accum', from: state.batch.gradAccum, to: smaller.gradAccum },
      ],
    };
  }
  return {
    retry: true,
    reason: failure,
    message: `Attempt ${number}: ${WHAT_HAPPENED[failure]}; resumed from the last checkpoint with the same settings.`,
    batch: state.batch,
    changes: [],
  };
}
