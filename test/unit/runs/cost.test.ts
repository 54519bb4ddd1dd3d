import { describe, expect, it } from 'vitest';
import { checkBudget, costUsd, gpuSeconds, projectedCostUsd, StepClock } from '../../../src/core/runs/cost';

describe('live cost and budget', () => {
  it('sums GPU time over every attempt, the open one up to now', () => {
    const attempts = [
      { startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T01:00:00Z' },
      { startedAt: '2026-01-01T02:00:00Z', endedAt: null },
    ];
    expect(gpuSeconds(attempts, Date.parse('2026-01-01T02:30:00Z'))).toBe(5400);
    expect(costUsd(5400, 2, 4)).toBeCloseTo(12);
    expect(costUsd(5400, undefined, 4)).toBeNull();
  });

  it('measures seconds per step from two distinct steps', () => {
    const clock = new StepClock();
    clock.record(1000, 1);
    expect(clock.secondsPerStep).toBeNull();
    clock.record(21000, 11);
    expect(clock.secondsPerStep).toBe(2);
    clock.reset();
    expect(clock.secondsPerStep).toBeNull();
  });

  it('projects the remaining steps at the measured speed', () => {
    // 90 steps left at 40 s each on 2 GPUs at $4.5/h: 3600 s x 2 x 4.5 / 3600 = $9 more.
    expect(projectedCostUsd(1, { step: 10, totalSteps: 100, secondsPerStep: 40 }, 4.5, 2)).toBeCloseTo(10);
    expect(projectedCostUsd(1, { step: 10, totalSteps: null, secondsPerStep: 40 }, 4.5, 2)).toBeNull();
  });

  it('stops when spent or projected cost passes the budget, and says why', () => {
    expect(checkBudget(undefined, 100, 200).exceeded).toBe(false);
    expect(checkBudget(10, 2, 8).exceeded).toBe(false);
    expect(checkBudget(10, 2, null).exceeded).toBe(false);
    const projected = checkBudget(10, 2, 12.5);
    expect(projected.exceeded).toBe(true);
    expect(projected.reason).toMatch(/projected \$12.50 > budget \$10.00/);
    expect(checkBudget(10, 10.01, null).reason).toMatch(/budget reached/);
  });
});
