import { describe, expect, it } from 'vitest';
import { budgetLevel, checkMonth, computeSpend, isoWeek, spendRunOf, type SpendRun } from '../../../src/core/runs/spend';
import { costUsd, gpuSeconds } from '../../../src/core/runs/cost';
import { RunRecord } from '../../../src/core/runs/runRecord';
import { SpendReport } from '../../../src/contracts/spend';

// Thursday 3 December 2026, noon UTC.
const NOW = new Date('2026-12-03T12:00:00Z');

function run(overrides: Partial<SpendRun> & Pick<SpendRun, 'id' | 'attempts'>): SpendRun {
  return { name: null, host: 'local', project: null, state: 'completed', gpus: 1, pricePerGpuHour: null, ...overrides };
}

/** A: 2 GPUs at $2.50, 22:00 on 30 Nov to 02:00 on 1 Dec (2 h in each month: 4 GPU-h, $10 each side).
 *  B: 1 GPU at $4, failed 23:00-01:00 across 2/3 Dec, recovered at 10:00 on 3 Dec and still running (2 h to noon).
 *  C: 4 GPUs without a price, 06:00-07:30 on 1 Dec (6 GPU-h, cost unknown).
 *  D: October, 1 GPU at $1 for 10 h. */
const RUNS: SpendRun[] = [
  run({
    id: 'a',
    name: 'chat-v1',
    host: 'gpu-box',
    project: 'chat',
    gpus: 2,
    pricePerGpuHour: 2.5,
    attempts: [{ startedAt: '2026-11-30T22:00:00Z', endedAt: '2026-12-01T02:00:00Z' }],
  }),
  run({
    id: 'b',
    state: 'running',
    pricePerGpuHour: 4,
    attempts: [
      { startedAt: '2026-12-02T23:00:00Z', endedAt: '2026-12-03T01:00:00Z' },
      { startedAt: '2026-12-03T10:00:00Z', endedAt: null },
    ],
  }),
  run({ id: 'c', project: 'chat', gpus: 4, attempts: [{ startedAt: '2026-12-01T06:00:00Z', endedAt: '2026-12-01T07:30:00Z' }] }),
  run({ id: 'd', pricePerGpuHour: 1, attempts: [{ startedAt: '2026-10-15T00:00:00Z', endedAt: '2026-10-15T10:00:00Z' }] }),
];

describe('spend report', () => {
  it("totals this month's GPU-hours and cost, keeping unpriced GPU-hours apart", () => {
    const report = computeSpend(RUNS, { now: NOW });
    expect(report.month).toBe('2026-12');
    expect(report.total).toEqual({ gpuHours: 14, costUsd: 26, unpricedGpuHours: 6 });
    expect(() => SpendReport.parse(report)).not.toThrow();
  });

  it('splits attempts at UTC midnight into days, and counts a running attempt up to now', () => {
    const report = computeSpend(RUNS, { now: NOW });
    expect(report.days).toEqual([
      { day: '2026-12-01', gpuHours: 10, costUsd: 10, unpricedGpuHours: 6 },
      { day: '2026-12-02', gpuHours: 1, costUsd: 4, unpricedGpuHours: 0 },
      { day: '2026-12-03', gpuHours: 3, costUsd: 12, unpricedGpuHours: 0 },
    ]);
    const anHourLater = computeSpend(RUNS, { now: new Date('2026-12-03T13:00:00Z') });
    expect(anHourLater.days[2]).toEqual({ day: '2026-12-03', gpuHours: 4, costUsd: 16, unpricedGpuHours: 0 });
  });

  it('counts a run across a month boundary in both months, each at its launch price', () => {
    const november = computeSpend(RUNS, { now: NOW, month: '2026-11' });
    expect(november.total).toEqual({ gpuHours: 4, costUsd: 10, unpricedGpuHours: 0 });
    expect(november.days).toHaveLength(30);
    expect(november.days.at(-1)).toEqual({ day: '2026-11-30', gpuHours: 4, costUsd: 10, unpricedGpuHours: 0 });
    expect(november.runs.map((r) => [r.id, r.costUsd])).toEqual([['a', 10]]);
    expect(november.months).toEqual([
      { month: '2026-10', gpuHours: 10, costUsd: 10, unpricedGpuHours: 0 },
      { month: '2026-11', gpuHours: 4, costUsd: 10, unpricedGpuHours: 0 },
      { month: '2026-12', gpuHours: 14, costUsd: 26, unpricedGpuHours: 6 },
    ]);
    // The two months together are exactly the run's cost as the run list shows it.
    const a = RUNS[0];
    expect(costUsd(gpuSeconds(a.attempts, NOW.getTime()), 2.5, 2)).toBe(20);
  });

  it('groups days into ISO weeks cut at the month edges', () => {
    // 1 Nov 2026 is a Sunday (the end of 2026-W44), 30 Nov a Monday (the start of 2026-W49).
    const november = computeSpend(RUNS, { now: NOW, month: '2026-11' });
    expect(november.weeks.map((w) => [w.week, w.from, w.to])).toEqual([
      ['2026-W44', '2026-11-01', '2026-11-01'],
      ['2026-W45', '2026-11-02', '2026-11-08'],
      ['2026-W46', '2026-11-09', '2026-11-15'],
      ['2026-W47', '2026-11-16', '2026-11-22'],
      ['2026-W48', '2026-11-23', '2026-11-29'],
      ['2026-W49', '2026-11-30', '2026-11-30'],
    ]);
    expect(november.weeks.at(-1)!.costUsd).toBe(10);
    const december = computeSpend(RUNS, { now: NOW });
    expect(december.weeks).toEqual([{ week: '2026-W49', from: '2026-12-01', to: '2026-12-03', gpuHours: 14, costUsd: 26, unpricedGpuHours: 6 }]);
    expect(isoWeek(Date.parse('2027-01-01T00:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(Date.parse('2025-12-29T00:00:00Z'))).toBe('2026-W01');
  });

  it('breaks the month down per host, per project (runs without one together) and per run', () => {
    const report = computeSpend(RUNS, { now: NOW });
    expect(report.hosts).toEqual([
      { host: 'local', runs: 2, gpuHours: 10, costUsd: 16, unpricedGpuHours: 6 },
      { host: 'gpu-box', runs: 1, gpuHours: 4, costUsd: 10, unpricedGpuHours: 0 },
    ]);
    expect(report.projects).toEqual([
      { project: null, runs: 1, gpuHours: 4, costUsd: 16, unpricedGpuHours: 0 },
      { project: 'chat', runs: 2, gpuHours: 10, costUsd: 10, unpricedGpuHours: 6 },
    ]);
    expect(report.runs.map((r) => [r.id, r.gpuHours, r.costUsd, r.unpricedGpuHours, r.pricePerGpuHour])).toEqual([
      ['b', 4, 16, 0, 4],
      ['a', 4, 10, 0, 2.5],
      ['c', 6, 0, 6, null],
    ]);
  });

  it('gives the budget verdict: share, projection at the rate so far, level', () => {
    // $26 in the first 2.5 days of a 31-day month: $26 x 31 / 2.5 = $322.40 by the end.
    expect(computeSpend(RUNS, { now: NOW, budgetUsd: 30 }).budget).toEqual({
      budgetUsd: 30,
      spentUsd: 26,
      share: 26 / 30,
      projectedUsd: expect.closeTo(322.4, 9) as number,
      level: 'warning',
      unpricedGpuHours: 6,
    });
    expect(computeSpend(RUNS, { now: NOW, budgetUsd: 100 }).budget?.level).toBe('ok');
    expect(computeSpend(RUNS, { now: NOW, budgetUsd: 26 }).budget?.level).toBe('exceeded');
    expect(computeSpend(RUNS, { now: NOW, budgetUsd: 0 }).budget).toBeNull();
    expect(computeSpend(RUNS, { now: NOW }).budget).toBeNull();
    // A month that is over: its spend is final.
    expect(computeSpend(RUNS, { now: NOW, month: '2026-11', budgetUsd: 8 }).budget).toMatchObject({ projectedUsd: 10, level: 'exceeded' });
    expect([budgetLevel(0.7999), budgetLevel(0.8), budgetLevel(0.9999), budgetLevel(1)]).toEqual(['ok', 'warning', 'warning', 'exceeded']);
  });

  it('reports a month without runs as zeros, and refuses a malformed month', () => {
    const empty = computeSpend([], { now: NOW, budgetUsd: 50 });
    expect(empty.total).toEqual({ gpuHours: 0, costUsd: 0, unpricedGpuHours: 0 });
    expect(empty.days).toHaveLength(3);
    expect(empty.budget).toMatchObject({ spentUsd: 0, projectedUsd: 0, level: 'ok' });
    expect(computeSpend(RUNS, { now: NOW, month: '2027-01' }).days).toEqual([]);
    expect(checkMonth('2026-13')).toMatch(/YYYY-MM/);
    expect(() => computeSpend(RUNS, { now: NOW, month: '12/2026' })).toThrow(/month must be YYYY-MM/);
  });

  it('reads cost inputs from run records, older ones without a project', () => {
    const record = RunRecord.parse({
      v: 1,
      id: 'old',
      host: 'local',
      runDir: '/w/runs/old',
      createdAt: '2026-12-01T00:00:00Z',
      configFile: null,
      config: {
        name: null,
        baseModel: 'tiny',
        preset: null,
        trainFile: 't.jsonl',
        validationFile: null,
        epochs: 1,
        maxSteps: null,
        learningRate: 1e-4,
        loraR: 8,
        loraAlpha: 16,
        batchSize: 1,
        gradAccum: 1,
        maxSeqLen: 64,
        packing: false,
      },
      budgetUsd: null,
      attempts: [{ startedAt: '2026-12-01T00:00:00Z', endedAt: '2026-12-01T00:30:00Z' }],
      state: 'completed',
      exitReason: null,
      stopReason: null,
    });
    expect(spendRunOf(record)).toMatchObject({ project: null, gpus: 1, pricePerGpuHour: null });
    expect(computeSpend([spendRunOf(record)], { now: NOW }).projects).toEqual([{ project: null, runs: 1, gpuHours: 0.5, costUsd: 0, unpricedGpuHours: 0.5 }]);
  });

  it('sums thousands of runs, each overlapping the next', () => {
    const many: SpendRun[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = Date.parse('2026-12-01T00:00:00Z') + i * 60_000;
      many.push(
        run({ id: `r${i}`, pricePerGpuHour: 1, attempts: [{ startedAt: new Date(start).toISOString(), endedAt: new Date(start + 3_600_000).toISOString() }] }),
      );
    }
    const report = computeSpend(many, { now: NOW });
    expect(report.runs).toHaveLength(2000);
    expect(report.total.gpuHours).toBeCloseTo(2000, 6);
    expect(report.total.costUsd).toBeCloseTo(2000, 6);
  });
});
