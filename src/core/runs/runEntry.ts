// One run as the registry holds it in memory: its record, its mirror (opened on first use) and the progress
// folded from its events, which is what gets snapshotted into runs.json and mirror.json.
import type { RunEvent } from '../../contracts/events';
import type { RunQueue } from '../../contracts/status';
import type { RunFollower } from './runFollower';
import type { RunMirror } from './runMirror';
import type { RunRecord } from './runRecord';
import { applyEvent, emptyProgress, type RunProgress } from './runProgress';
import { restoreProgress, snapshotProgress, type ProgressSnapshot } from './progressSnapshot';
import { StepClock } from './cost';

export interface RunEntry {
  record: RunRecord;
  /** Opened on first use (following, syncing, resuming, reading the history): an ended run's mirror is not
   *  touched when the registry opens. */
  mirror: Promise<RunMirror> | undefined;
  progress: RunProgress;
  clock: StepClock;
  follower?: RunFollower;
  stopping: boolean;
  /** The mirror was damaged and reset: its events are re-read from the host on the next attach. */
  needsRefill: boolean;
  /** Where the run waits in its host's scheduler (status.json's queue); null once it runs. */
  queue: RunQueue | null;
  /** An attempt failed and automatic recovery is deciding or restarting it: the run has not ended. */
  recovering: boolean;
  /** The follower has ended and the registry is recording that end (the mirror, recovery, the saved record): whoever
   *  waits for the end waits for it to be written, so a CLI that exits then, or a test that then removes the state,
   *  does not cut the save short. The promise settles when it is written. */
  ending: Promise<void> | null;
}

export function newEntry(record: RunRecord): RunEntry {
  return {
    record,
    mirror: undefined,
    progress: emptyProgress(),
    clock: new StepClock(),
    stopping: false,
    needsRefill: false,
    queue: null,
    recovering: false,
    ending: null,
  };
}

export function foldEvent(entry: RunEntry, event: RunEvent): void {
  applyEvent(entry.progress, event);
  if (event.type === 'done') entry.clock.reset();
  if (event.type === 'metrics') entry.clock.record(Date.parse(event.ts), event.step);
}

export function snapshotOf(entry: RunEntry): ProgressSnapshot {
  return snapshotProgress(entry.progress, entry.clock);
}

/** Takes the progress from a stored snapshot; false when it is missing or not a valid snapshot. */
export function restoreSnapshot(entry: RunEntry, snapshot: unknown): boolean {
  const saved = restoreProgress(snapshot);
  if (!saved) return false;
  entry.progress = saved.progress;
  entry.clock = StepClock.restore(saved.clock);
  return true;
}

/** Makes `mirror` the entry's. What the mirror appends is folded into the entry's progress before the mirror
 *  writes its state, so the snapshot in mirror.json always matches the offset stored next to it. */
export function adoptMirror(entry: RunEntry, mirror: RunMirror): RunMirror {
  mirror.trackProgress((fresh) => {
    for (const event of fresh) foldEvent(entry, event);
    return snapshotOf(entry);
  }, snapshotOf(entry));
  entry.mirror = Promise.resolve(mirror);
  return mirror;
}
