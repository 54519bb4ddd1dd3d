import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesceAfter } from '../../../src/vscode/spend/coalesce';

describe('coalesceAfter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('folds the requests of one second into one run, and runs again for later ones', () => {
    let runs = 0;
    const coalescer = coalesceAfter(1000)(() => runs++);
    for (let i = 0; i < 50; i++) coalescer.request();
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(1);
    coalescer.request();
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(2);
  });

  it('runs nothing after it is disposed', () => {
    let runs = 0;
    const coalescer = coalesceAfter(1000)(() => runs++);
    coalescer.request();
    coalescer.dispose();
    vi.advanceTimersByTime(5000);
    expect(runs).toBe(0);
  });
});
