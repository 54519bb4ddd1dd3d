import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../../src/core/runs/runInfo';
import { MonitorRun } from '../../../src/shared/monitorProtocol';
import { etaSeconds, lastLines, monitorRunFromInfo } from '../../../src/vscode/runs/monitorRun';
import { completedAdapter, endReason } from '../../../src/vscode/runs/runFacts';

function info(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    id: '20261124-080000-abcdef',
    host: 'local',
    state: 'running',
    stage: 'training',
    step: 10,
    totalSteps: 40,
    loss: 2.1,
    evalLoss: null,
    learningRate: 1e-4,
    tokensPerS: 900,
    costUsd: 0.02,
    projectedCostUsd: 0.08,
    budgetUsd: null,
    pricePerGpuHour: 2.5,
    gpus: 2,
    createdAt: '2026-11-24T08:00:00.000Z',
    startedAt: '2026-11-24T08:00:00.000Z',
    endedAt: null,
    attempts: 1,
    runDir: '/w/runs/x',
    mirrorDir: '/s/mirror/x',
    adapterPath: null,
    exitReason: null,
    stopReason: null,
    hint: null,
    configFile: '/ws/a.brightrun.json',
    following: true,
    sweep: null,
    config: {
      name: 'bot',
      project: null,
      baseModel: 'Qwen/Qwen2.5-0.5B',
      preset: 'balanced',
      trainFile: '/ws/t.jsonl',
      validationFile: null,
      epochs: 1,
      maxSteps: null,
      learningRate: 1e-4,
      loraR: 16,
      loraAlpha: 32,
      batchSize: 4,
      gradAccum: 4,
      maxSeqLen: 2048,
      packing: false,
    },
    ...overrides,
  };
}

describe("what the editor shows of the engine's runs", () => {
  it('offers an adapter only once the run completed, and explains a budget stop by the budget', () => {
    expect(completedAdapter(info({ state: 'completed', adapterPath: '/w/runs/x/adapter' }))).toBe('/w/runs/x/adapter');
    expect(completedAdapter(info({ adapterPath: '/w/runs/x/adapter' }))).toBeNull();
    expect(endReason(info({ state: 'cancelled', exitReason: 'SIGTERM', stopReason: 'projected cost passes the budget' }))).toMatch(/budget/);
    expect(endReason(info({ state: 'failed', exitReason: 'out of memory' }))).toBe('out of memory');
    expect(monitorRunFromInfo(info({ state: 'cancelled', exitReason: 'SIGTERM', stopReason: 'over budget' }), 0).exitReason).toBe('over budget');
  });

  it('projects the ETA from the pace so far', () => {
    const now = Date.parse('2026-11-24T08:01:40.000Z'); // 100 s for 10 of 40 steps
    expect(etaSeconds(info(), now)).toBeCloseTo(300);
    expect(etaSeconds(info({ step: 0 }), now)).toBeNull();
    expect(etaSeconds(info({ state: 'completed' }), now)).toBeNull();
  });

  it('builds a monitor summary the monitor protocol accepts', () => {
    const summary = monitorRunFromInfo(info(), Date.parse('2026-11-24T08:01:40.000Z'));
    expect(MonitorRun.safeParse(summary).success).toBe(true);
    expect(summary).toMatchObject({ canCancel: true, canResume: false, cost: { soFarUsd: 0.02, projectedUsd: 0.08, pricePerGpuHour: 2.5 } });
    expect(monitorRunFromInfo(info({ pricePerGpuHour: null, costUsd: null }), 0).cost).toMatchObject({ pricePerGpuHour: null, soFarUsd: null });
    expect(monitorRunFromInfo(info({ state: 'failed', endedAt: '2026-11-24T08:02:00.000Z' }), 0)).toMatchObject({
      canCancel: false,
      canResume: true,
      updatedAt: '2026-11-24T08:02:00.000Z',
    });
  });

  it('takes the last lines of a log window, dropping a cut first line', () => {
    expect(lastLines('ut line\nb\nc\n', 5, true)).toEqual(['b', 'c']);
    expect(lastLines('a\nb\nc', 2, false)).toEqual(['b', 'c']);
  });
});
