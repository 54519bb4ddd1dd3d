// The log tail is re-read as a window of the last N lines; this finds which lines of the new window are new,
// so the monitor appends only those. Pure.

/** Lines of `next` after the longest suffix of `previous` that `next` starts with. */
export function appendedLines(previous: readonly string[], next: readonly string[]): string[] {
  if (previous.length === 0) return [...next];
  const max = Math.min(previous.length, next.length);
  for (let overlap = max; overlap > 0; overlap--) {
    let same = true;
    for (let i = 0; i < overlap && same; i++) same = previous[previous.length - overlap + i] === next[i];
    if (same) return next.slice(overlap);
  }
  // No overlap: the log moved on by more than a whole window (or was rotated); everything is new.
  return [...next];
}
