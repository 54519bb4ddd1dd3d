import { expect } from 'vitest';

// On a fast host the running run may end (and the next one start) while a test is still looking at the queue; what is
// left must be in queue order, without the cancelled run, and a run still queued behind a running one is next.
export function expectQueueOrder(entries: { run_id: string; state: string; position: number | null }[], running: string, next: string, cancelled: string) {
  const ids = entries.map((e) => e.run_id);
  expect(ids).not.toContain(cancelled);
  expect(ids).toEqual([running, next].filter((id) => ids.includes(id)));
  if (ids[0] === running) expect(entries.find((e) => e.run_id === next)).toMatchObject({ state: 'waiting', position: 1 });
}
