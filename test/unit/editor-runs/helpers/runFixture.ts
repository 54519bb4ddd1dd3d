import type { RunView } from '../../../../src/vscode/runs/runView';

/** A running run at step 21 of 50 on the local host; override what a test is about. */
export function run(overrides: Partial<RunView> = {}): RunView {
  return {
    id: 'r1', host: 'local', state: 'running', baseModel: 'tiny', step: 21, totalSteps: 50, loss: 1.23456, evalLoss: null,
    costUsd: 0.1234, budgetUsd: null, startedAt: '2026-11-24T08:00:00Z', endedAt: null, stage: 'training', exitReason: null,
    hint: null, adapterPath: null, ...overrides,
  };
}
