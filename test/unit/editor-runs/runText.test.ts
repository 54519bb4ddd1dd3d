import { describe, expect, it } from 'vitest';
import {
  groupRunsByHost,
  hostDescription,
  runContextValue,
  runDescription,
  runStateIcon,
  runTooltip,
  statusBarText,
  formatDuration,
  formatUsd,
} from '../../../src/vscode/runs/runText';
import { progressPercent } from '../../../src/vscode/runs/runFacts';
import { run } from './helpers/runFixture';

describe('runDescription', () => {
  it('shows progress, current loss and cost while running', () => {
    expect(runDescription(run())).toBe('42% · loss 1.235 · $0.12');
  });
  it('shows the stage before the total is known', () => {
    expect(runDescription(run({ totalSteps: null, stage: 'loading_model', loss: null, costUsd: null }))).toBe('loading model');
  });
  it('shows the final eval loss of a completed run', () => {
    expect(runDescription(run({ state: 'completed', evalLoss: 0.98765, costUsd: 0.004 }))).toBe('eval loss 0.988 · <$0.01');
  });
  it("names a failed run's state", () => {
    expect(runDescription(run({ state: 'failed', loss: null, costUsd: null }))).toBe('failed');
  });
});

describe('runTooltip', () => {
  it('includes the reason and the hint of a failure', () => {
    const text = runTooltip(run({ state: 'failed', exitReason: 'Out of GPU memory', hint: 'Lower batchSize', config: { name: 'support bot' } }));
    expect(text).toContain('support bot — failed on local');
    expect(text).toContain('Reason: Out of GPU memory');
    expect(text).toContain('Try: Lower batchSize');
    expect(text).toContain('Run id: r1');
    expect(text).not.toContain('Project:');
  });
  it('names the project a run is counted under in spend', () => {
    expect(runTooltip(run({ config: { project: 'support-bot' } }))).toContain('Project: support-bot');
  });
});

describe('icons and context values', () => {
  it('spins for active runs and colours outcomes', () => {
    expect(runStateIcon('running').icon).toMatch(/~spin$/);
    expect(runStateIcon('completed')).toEqual({ icon: 'pass-filled', color: 'testing.iconPassed' });
    expect(runStateIcon('failed').color).toBe('testing.iconFailed');
  });
  it('encodes state and adapter for the menus', () => {
    expect(runContextValue(run())).toBe('run:running');
    expect(runContextValue(run({ state: 'completed', adapterPath: '/x/adapter' }))).toBe('run:completed:adapter');
    expect(/^run:(failed|cancelled)/.test(runContextValue(run({ state: 'cancelled' })))).toBe(true);
  });
});

describe('groupRunsByHost', () => {
  it('puts local first and newest runs first', () => {
    const groups = groupRunsByHost([
      run({ id: 'a', host: 'gpu-box', startedAt: '2026-01-01T00:00:00Z' }),
      run({ id: 'b', host: 'local', startedAt: '2026-01-01T00:00:00Z' }),
      run({ id: 'c', host: 'local', startedAt: '2026-01-02T00:00:00Z' }),
      run({ id: 'd', host: 'alpha', startedAt: '2026-01-01T00:00:00Z' }),
    ]);
    expect(groups.map((g) => g.host)).toEqual(['local', 'alpha', 'gpu-box']);
    expect(groups[0].runs.map((r) => r.id)).toEqual(['c', 'b']);
    expect(hostDescription(groups[0].runs)).toBe('2 runs, 2 active');
    expect(hostDescription([run({ state: 'completed' })])).toBe('1 run');
  });
});

describe('statusBarText', () => {
  it('is hidden when nothing runs', () => {
    expect(statusBarText([run({ state: 'completed' })])).toBeNull();
  });
  it('names a single run with its progress', () => {
    expect(statusBarText([run({ config: { name: 'bot' } })])?.text).toBe('$(sync~spin) bot 42%');
  });
  it('counts several runs with their mean progress', () => {
    const status = statusBarText([run(), run({ id: 'r2', step: 40 }), run({ id: 'r3', state: 'failed' })]);
    expect(status?.text).toBe('$(sync~spin) 2 runs 61%');
    expect(status?.tooltip).toContain('r2 (80%)');
  });
});

describe('formatting', () => {
  it('formats progress, durations and money', () => {
    expect(progressPercent(run({ step: 60 }))).toBe(100);
    expect(progressPercent(run({ state: 'completed', totalSteps: null }))).toBe(100);
    expect(formatDuration(3725)).toBe('1h 02m');
    expect(formatDuration(65)).toBe('1m 05s');
    expect(formatUsd(null)).toBeNull();
    expect(formatUsd(12.345)).toBe('$12.35');
  });
});
