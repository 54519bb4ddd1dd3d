// Loads a large document into the incremental validator in slices, yielding to the event loop between them,
// so opening a 40 MB dataset does not freeze the extension host (and every other extension) for seconds.
// The result is the same as one `reset(lines)`: the first slice resets, the others are appended as edits.

export interface SliceTarget {
  reset(lines: string[]): void;
  applyChange(startLine: number, removedCount: number, insertedLines: string[]): void;
}

export const SLICE_LINES = 2000;

export async function loadInSlices(
  target: SliceTarget,
  lines: readonly string[],
  yieldNow: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  sliceLines = SLICE_LINES,
  cancelled: () => boolean = () => false,
): Promise<boolean> {
  target.reset(lines.slice(0, sliceLines));
  for (let start = sliceLines; start < lines.length; start += sliceLines) {
    await yieldNow();
    if (cancelled()) return false;
    target.applyChange(start, 0, lines.slice(start, start + sliceLines)); // append after the lines loaded so far
  }
  return true;
}
