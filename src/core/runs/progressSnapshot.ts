// A run's folded progress (and its step clock) as stored in runs.json and in the mirror's mirror.json, so the
// run list opens without replaying any run's events.jsonl. The events stay the source of truth: a missing or
// unreadable snapshot is rebuilt by replaying them.
import * as z from 'zod';
import { RunProgress } from './runProgress';
import type { ClockSamples, StepClock } from './cost';
import { lazySchema } from '../../contracts/lazySchema';

const ClockPoint = lazySchema(() => z.object({ t: z.number(), step: z.number() }));

export const ProgressSnapshot = lazySchema(() =>
  RunProgress.extend({
    /** The current attempt's first and latest (time, step) samples: the projected cost of a running run. */
    clock: z.object({ first: ClockPoint.nullable(), last: ClockPoint.nullable() }),
  }),
);
export type ProgressSnapshot = z.infer<typeof ProgressSnapshot>;

export function snapshotProgress(progress: RunProgress, clock: StepClock): ProgressSnapshot {
  return { ...progress, clock: clock.save() };
}

/** The snapshot's progress and clock, or null when it is not a valid snapshot. */
export function restoreProgress(value: unknown): { progress: RunProgress; clock: ClockSamples } | null {
  const parsed = ProgressSnapshot.safeParse(value);
  if (!parsed.success) return null;
  const { clock, ...progress } = parsed.data;
  return { progress, clock };
}
