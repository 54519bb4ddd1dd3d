// What the Runs view and the CLI show about a run, folded from its events: stage, step, latest losses, speed,
// adapter. Replaying the mirror through this gives the same answer after a restart as live following did. The
// schema is the one definition: the stored snapshot (progressSnapshot.ts) extends it, RunInfo picks from it.
import * as z from 'zod';
import { DoneEvent, ErrorEvent, STAGE_NAMES, type RunEvent } from '../../contracts/events';
import { lazySchema } from '../../contracts/lazySchema';

export const RunProgress = lazySchema(() =>
  z.object({
    stage: z.enum(STAGE_NAMES).nullable(),
    step: z.number(),
    totalSteps: z.number().nullable(),
    loss: z.number().nullable(),
    evalLoss: z.number().nullable(),
    learningRate: z.number().nullable(),
    tokensPerS: z.number().nullable(),
    /** Adapter folder on the host, once the run saved one. */
    adapterPath: z.string().nullable(),
    /** The `done` event of the latest attempt; null while an attempt is going. */
    done: DoneEvent.nullable(),
    lastError: ErrorEvent.nullable(),
    lastSeq: z.number().int().min(0),
    firstEventAt: z.string().nullable(),
    lastEventAt: z.string().nullable(),
  }),
);
export type RunProgress = z.infer<typeof RunProgress>;

/** The progress fields RunInfo shows as they are; the rest is the fold's own bookkeeping. */
export type ShownProgressField = 'stage' | 'step' | 'totalSteps' | 'loss' | 'evalLoss' | 'learningRate' | 'tokensPerS' | 'adapterPath';

export function emptyProgress(): RunProgress {
  return {
    stage: null,
    step: 0,
    totalSteps: null,
    loss: null,
    evalLoss: null,
    learningRate: null,
    tokensPerS: null,
    adapterPath: null,
    done: null,
    lastError: null,
    lastSeq: 0,
    firstEventAt: null,
    lastEventAt: null,
  };
}

/** Folds one event in (events must arrive in seq order; older seqs are ignored). */
export function applyEvent(p: RunProgress, e: RunEvent): void {
  if (e.seq <= p.lastSeq) return;
  p.lastSeq = e.seq;
  p.firstEventAt ??= e.ts;
  p.lastEventAt = e.ts;
  // Anything after a `done` is a resumed attempt at work.
  if (e.type !== 'done' && p.done) {
    p.done = null;
    p.lastError = null;
  }
  switch (e.type) {
    case 'stage':
      p.stage = e.name;
      break;
    case 'plan':
      p.totalSteps = e.total_steps;
      break;
    case 'metrics':
      p.step = e.step;
      if (e.total_steps !== undefined) p.totalSteps = e.total_steps;
      p.loss = e.loss;
      p.learningRate = e.learning_rate;
      p.tokensPerS = e.tokens_per_s;
      break;
    case 'eval':
      p.evalLoss = e.eval_loss;
      break;
    case 'error':
      p.lastError = e;
      break;
    case 'done':
      p.done = e;
      p.stage = 'done';
      if (e.adapter) p.adapterPath = e.adapter;
      p.step = Math.max(p.step, e.summary.steps);
      if (e.summary.final_eval_loss != null) p.evalLoss = e.summary.final_eval_loss;
      break;
    default:
      break;
  }
}
