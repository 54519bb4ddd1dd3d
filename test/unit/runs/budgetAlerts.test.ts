import { describe, expect, it } from 'vitest';
import { budgetAlertDue, readBudgetAlertMemory } from '../../../src/core/runs/budgetAlerts';
import { computeSpend, type SpendRun } from '../../../src/core/runs/spend';

const run: SpendRun = {
  id: 'r',
  name: null,
  host: 'local',
  project: null,
  state: 'completed',
  gpus: 1,
  pricePerGpuHour: 10,
  attempts: [{ startedAt: '2026-12-01T00:00:00Z', endedAt: '2026-12-01T09:00:00Z' }], // $90
};
const report = (budgetUsd: number) => computeSpend([run], { now: new Date('2026-12-02T00:00:00Z'), budgetUsd });

describe('budget alerts', () => {
  it('announces 80% and 100% once each per month', () => {
    expect(budgetAlertDue(report(200), null)).toEqual({ alert: null, memory: null });
    const warned = budgetAlertDue(report(100), null);
    expect(warned).toEqual({ alert: 'warning', memory: { month: '2026-12', announced: ['warning'] } });
    expect(budgetAlertDue(report(100), warned.memory).alert).toBeNull();
    const over = budgetAlertDue(report(80), warned.memory);
    expect(over).toEqual({ alert: 'exceeded', memory: { month: '2026-12', announced: ['warning', 'exceeded'] } });
    expect(budgetAlertDue(report(100), over.memory).alert).toBeNull();
  });

  it('announces only 100% when the spend jumps past it, and starts over in a new month', () => {
    expect(budgetAlertDue(report(50), null)).toEqual({ alert: 'exceeded', memory: { month: '2026-12', announced: ['warning', 'exceeded'] } });
    expect(budgetAlertDue(report(100), { month: '2026-11', announced: ['warning', 'exceeded'] }).alert).toBe('warning');
  });

  it('reads what was stored, and nothing from a value of another shape', () => {
    expect(readBudgetAlertMemory({ month: '2026-12', announced: ['warning', 'bogus'] })).toEqual({ month: '2026-12', announced: ['warning'] });
    expect(readBudgetAlertMemory(undefined)).toBeNull();
    expect(readBudgetAlertMemory({ month: 3, announced: [] })).toBeNull();
    expect(readBudgetAlertMemory('x')).toBeNull();
  });
});
