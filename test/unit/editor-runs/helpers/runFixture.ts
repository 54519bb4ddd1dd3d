import type { ConfigSummary } from '../../../../src/core/runs';
import type { RunInfo } from '../../../../src/core/runs/runInfo';

export type RunOverrides = Partial<Omit<RunInfo, 'config'>> & { config?: Partial<ConfigSummary> };

/** A running run at step 21 of 50 on the local host, as the engine lists it; override what a test is about. */
export function run(overrides: RunOverrides = {}): RunInfo {
  const { config, ...rest } = overrides;
  return {
    id: 'r1',
    host: 'local',
    state: 'running',
    stage: 'training',
    step: 21,
    totalSteps: 50,
    loss: 1.23456,
    evalLoss: null,
    learningRate: 1e-4,
    tokensPerS: 900,
    costUsd: 0.1234,
    projectedCostUsd: null,
    budgetUsd: null,
    pricePerGpuHour: null,
    gpus: 1,
    createdAt: '2026-11-24T08:00:00Z',
    startedAt: '2026-11-24T08:00:00Z',
    endedAt: null,
    attempts: 1,
    runDir: '/w/runs/r1',
    mirrorDir: '/s/mirror/r1',
    adapterPath: null,
    exitReason: null,
    stopReason: null,
    hint: null,
    configFile: null,
    following: true,
    sweep: null,
    config: {
      name: null,
      project: null,
      baseModel: 'tiny',
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
      ...config,
    },
    ...rest,
  };
}
