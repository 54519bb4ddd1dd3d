// A month of runs for the Spend panel's preview and tests: three hosts, three projects (and runs without one),
// one run without a price, one still running, one across midnight; reported on 18 December 2026 at 15:00 UTC
// against a $600 budget (past 80%). The report is computed by the real spend code from these run records.
import { computeSpend, type SpendRun } from '../../src/core/runs/spend';
import type { SpendReport } from '../../src/contracts/spend';

export const SPEND_NOW = new Date('2026-12-18T15:00:00Z');

function at(day: number, hour: number, minutes = 0): string {
  return new Date(Date.UTC(2026, 11, day, hour, minutes)).toISOString();
}

export function spendRuns(): SpendRun[] {
  const runs: SpendRun[] = [];
  const hosts = [
    { host: 'a100-box', gpus: 1, price: 1.89 },
    { host: 'h100-node', gpus: 8, price: 2.99 },
    { host: 'local', gpus: 1, price: null },
  ];
  const projects = ['support-bot', 'order-intent', null, 'support-bot', 'code-review'];
  for (let day = 1; day <= 18; day++) {
    const count = day % 7 === 6 ? 0 : 1 + (day % 3);
    for (let i = 0; i < count; i++) {
      const h = hosts[(day + i) % hosts.length];
      const start = 8 + ((day * 5 + i * 3) % 9);
      const hours = 0.5 + ((day * 7 + i * 11) % 10) / 4;
      runs.push({
        id: `202612${String(day).padStart(2, '0')}-${String(start).padStart(2, '0')}0000-${(day * 97 + i * 13).toString(16).padStart(6, '0')}`,
        name: `${projects[(day + i) % projects.length] ?? 'scratch'}-${day}.${i}`,
        host: h.host,
        project: projects[(day + i) % projects.length],
        state: 'completed',
        gpus: h.host === 'h100-node' ? 4 + (day % 2) * 4 : h.gpus,
        pricePerGpuHour: h.price,
        attempts: [{ startedAt: at(day, start), endedAt: at(day, start, Math.round(hours * 60)) }],
      });
    }
  }
  // Across midnight, with a recovered second attempt.
  runs.push({
    id: '20261214-221500-0a0b0c',
    name: 'support-bot · Qwen2.5-7B · long context',
    host: 'h100-node',
    project: 'support-bot',
    state: 'completed',
    gpus: 8,
    pricePerGpuHour: 2.99,
    attempts: [
      { startedAt: at(14, 22, 15), endedAt: at(15, 1, 40) },
      { startedAt: at(15, 1, 55), endedAt: at(15, 3, 10) },
    ],
  });
  runs.push({
    id: '20261218-120000-feed01',
    name: 'order-intent · DPO · Qwen2.5-1.5B',
    host: 'a100-box',
    project: 'order-intent',
    state: 'running',
    gpus: 1,
    pricePerGpuHour: 1.89,
    attempts: [{ startedAt: at(18, 12), endedAt: null }],
  });
  // Last month, for the per-month totals.
  runs.push({
    id: '20261120-090000-0ld001',
    name: 'support-bot baseline',
    host: 'h100-node',
    project: 'support-bot',
    state: 'completed',
    gpus: 8,
    pricePerGpuHour: 2.99,
    attempts: [{ startedAt: '2026-11-20T09:00:00.000Z', endedAt: '2026-11-20T15:30:00.000Z' }],
  });
  return runs;
}

export function spendReport(options: { budgetUsd?: number; month?: string } = {}): SpendReport {
  return computeSpend(spendRuns(), { now: SPEND_NOW, budgetUsd: options.budgetUsd ?? 600, month: options.month });
}

export function spendMessage(options: { budgetUsd?: number; month?: string } = {}) {
  return { type: 'report' as const, report: spendReport(options), currentMonth: '2026-12' };
}
