import { describe, expect, it } from 'vitest';
import { lttb, lttbIndices, type Point } from '../../webview/src/common/lttb';

function wave(n: number): Point[] {
  return Array.from({ length: n }, (_, i) => ({ x: i, y: Math.sin(i / 50) + ((i * 7919) % 13) / 100 }));
}

describe('LTTB downsampling', () => {
  it('returns short series unchanged', () => {
    const points = wave(100);
    expect(lttb(points, 2000)).toEqual(points);
  });

  it('keeps the first and last points and about the threshold count', () => {
    const points = wave(100_000);
    const out = lttb(points, 2000);
    expect(out[0]).toBe(points[0]);
    expect(out[out.length - 1]).toBe(points[points.length - 1]);
    expect(out.length).toBeGreaterThanOrEqual(2000);
    expect(out.length).toBeLessThanOrEqual(2002);
  });

  it('keeps x order and picks only original points', () => {
    const points = wave(10_000);
    const out = lttb(points, 500);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
    const originals = new Set(points);
    expect(out.every((p) => originals.has(p))).toBe(true);
  });

  it('never drops the global extremes, even a one-point spike next to another large value', () => {
    const points: Point[] = Array.from({ length: 50_000 }, (_, i) => ({ x: i, y: 1 }));
    points[12_345] = { x: 12_345, y: 40 };
    points[12_346] = { x: 12_346, y: 39.9 };
    points[33_333] = { x: 33_333, y: -7 };
    const out = lttb(points, 300);
    expect(out.some((p) => p.y === 40)).toBe(true);
    expect(out.some((p) => p.y === -7)).toBe(true);
  });
});

/** Deterministic pseudo-random numbers (a linear congruential generator), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('LTTB over columns', () => {
  it('selects exactly the points the point version selects, on random data', () => {
    const next = random(42);
    for (const [n, threshold] of [
      [10_000, 2000],
      [5_003, 97],
      [1_000, 3],
      [64, 10],
      [3, 2],
    ] as const) {
      let x = 0;
      const points: Point[] = Array.from({ length: n }, () => ({ x: (x += 1 + Math.floor(next() * 5)), y: next() * 100 - 50 }));
      const xs = points.map((p) => p.x);
      const ys = points.map((p) => p.y);
      const indices = lttbIndices(xs, ys, threshold);
      expect(indices.map((i) => points[i])).toEqual(lttb(points, threshold));
    }
  });

  it('keeps the first and last points and the global extremes, in ascending order', () => {
    const next = random(7);
    const n = 50_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = Array.from({ length: n }, () => next());
    ys[12_345] = 40;
    ys[12_346] = 39.9;
    ys[33_333] = -7;
    const indices = lttbIndices(xs, ys, 300);
    expect(indices[0]).toBe(0);
    expect(indices[indices.length - 1]).toBe(n - 1);
    expect(indices).toContain(12_345);
    expect(indices).toContain(33_333);
    expect(indices.length).toBeLessThanOrEqual(302);
    for (let i = 1; i < indices.length; i++) expect(indices[i]).toBeGreaterThan(indices[i - 1]);
  });

  it('returns every index of a series shorter than the threshold', () => {
    expect(lttbIndices([1, 2, 3], [5, 4, 6], 2000)).toEqual([0, 1, 2]);
    expect(lttbIndices([], [], 2000)).toEqual([]);
  });
});
