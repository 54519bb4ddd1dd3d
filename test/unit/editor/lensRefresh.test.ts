import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LATE_REFRESH_MS, LensRefresh } from '../../../src/vscode/validation/lensRefresh';

describe('LensRefresh', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires at once and once more later, for an editor that lost focus meanwhile', () => {
    const fire = vi.fn();
    const refresh = new LensRefresh(fire, 1000);
    refresh.refresh();
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('leaves one late fire after a burst, counted from its last refresh', () => {
    const fire = vi.fn();
    const refresh = new LensRefresh(fire, 1000);
    refresh.refresh();
    vi.advanceTimersByTime(600);
    refresh.refresh();
    refresh.refresh();
    expect(fire).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(999);
    expect(fire).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(4);
    vi.advanceTimersByTime(10_000);
    expect(fire).toHaveBeenCalledTimes(4);
  });

  it('fires nothing late once disposed', () => {
    const fire = vi.fn();
    const refresh = new LensRefresh(fire);
    refresh.refresh();
    refresh.dispose();
    vi.advanceTimersByTime(LATE_REFRESH_MS * 2);
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
