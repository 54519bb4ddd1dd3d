// Sweep ids are generated, like run ids ("sweep-<date>-<time>-<hex>"), and sort by launch time.
import { newRunId } from '../runs/runId';

export function newSweepId(now: Date = new Date()): string {
  return `sweep-${newRunId(now)}`;
}
