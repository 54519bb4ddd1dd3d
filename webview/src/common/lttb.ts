// Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): keeps the visual shape of a series with a
// fixed number of points, so a 100k-step history draws as fast as a 2k one. The full series stays in state;
// only what is drawn is reduced. Global minimum and maximum are always kept, so a loss spike never vanishes.

export interface Point {
  x: number;
  y: number;
}

export function lttb<P extends Point>(points: readonly P[], threshold: number): P[] {
  const n = points.length;
  if (threshold >= n || n <= 2) return points.slice();
  if (threshold < 3) threshold = 3;

  const chosen: number[] = [0];
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0; // the last chosen point
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.min(Math.floor((bucket + 1) * bucketSize) + 1, n - 1);
    // The third triangle corner: the average of the next bucket (the last point for the final bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgX += points[i].x;
      avgY += points[i].y;
    }
    const count = Math.max(nextEnd - nextStart, 1);
    avgX /= count;
    avgY /= count;

    const ax = points[a].x;
    const ay = points[a].y;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - avgX) * (points[i].y - ay) - (ax - points[i].x) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    chosen.push(best);
    a = best;
  }
  chosen.push(n - 1);
  return withExtremes(points, chosen).map((i) => points[i]);
}

/** Adds the indices of the global minimum and maximum y when LTTB did not pick them. */
function withExtremes(points: readonly Point[], chosen: number[]): number[] {
  let min = 0;
  let max = 0;
  for (let i = 1; i < points.length; i++) {
    if (points[i].y < points[min].y) min = i;
    if (points[i].y > points[max].y) max = i;
  }
  const set = new Set(chosen);
  if (set.has(min) && set.has(max)) return chosen;
  set.add(min);
  set.add(max);
  return [...set].sort((p, q) => p - q);
}

/** A series as two numeric columns, point i at (xs[i], ys[i]): how the run history keeps its series, so a 100k-step
 *  series is downsampled without first building 100k point objects. */
export interface SeriesColumns {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
}

/** LTTB over columns: the indices (ascending) of the points `lttb` would pick from the same points, global minimum
 *  and maximum y included. Reads only the first ys.length points. */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const n = ys.length;
  if (threshold >= n || n <= 2) return Array.from({ length: n }, (_, i) => i);
  if (threshold < 3) threshold = 3;

  const chosen: number[] = [0];
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.min(Math.floor((bucket + 1) * bucketSize) + 1, n - 1);
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let i = end; i < nextEnd; i++) {
      avgX += xs[i];
      avgY += ys[i];
    }
    const count = Math.max(nextEnd - end, 1);
    avgX /= count;
    avgY /= count;

    const ax = xs[a];
    const ay = ys[a];
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      // The same expression as `lttb`, term for term, so both pick the same point when areas tie.
      const area = Math.abs((ax - avgX) * (ys[i] - ay) - (ax - xs[i]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    chosen.push(best);
    a = best;
  }
  chosen.push(n - 1);

  let min = 0;
  let max = 0;
  for (let i = 1; i < n; i++) {
    if (ys[i] < ys[min]) min = i;
    if (ys[i] > ys[max]) max = i;
  }
  for (const extreme of min === max ? [min] : [min, max]) {
    if (!chosen.includes(extreme)) chosen.splice(insertionPoint(chosen, extreme), 0, extreme);
  }
  return chosen;
}

/** Where `value` goes in the ascending `sorted` (binary search). */
function insertionPoint(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Display resolution per series. */
export const DISPLAY_POINTS = 2000;
