import { describe, expect, it } from 'vitest';
import { lttb, type Point } from '../../webview/src/common/lttb';

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
