import { describe, expect, it } from 'vitest';
import { budgetNotification, completedNotification, failedNotification, notificationForTransition } from '../../../src/vscode/runs/notificationText';
import { run } from './helpers/runFixture';

describe('run notifications', () => {
  it('reports the final eval loss and offers Push to Hub when there is an adapter', () => {
    const note = completedNotification(run({ state: 'completed', evalLoss: 1.5, adapterPath: '/runs/r1/adapter', costUsd: 0.5 }));
    expect(note.message).toBe('Training run "r1" completed on local: final eval loss 1.500, cost $0.50.');
    expect(note.actions).toEqual(['Open', 'Push to Hub']);
  });

  it('says when no eval set was used', () => {
    expect(completedNotification(run({ state: 'completed', costUsd: null })).message).toContain('final train loss 1.235 (no eval set)');
  });

  it('gives the reason and the hint of a failure with a Show Log action', () => {
    const note = failedNotification(run({ state: 'failed', exitReason: 'CUDA out of memory.', hint: 'Lower batchSize or enable gradientCheckpointing' }));
    expect(note.severity).toBe('error');
    expect(note.message).toBe('Training run "r1" failed on local: CUDA out of memory. Lower batchSize or enable gradientCheckpointing.');
    expect(note.actions[0]).toBe('Show Log');
  });

  it('points at the log when the trainer gave no reason', () => {
    expect(failedNotification(run({ state: 'failed' })).message).toMatch(/without saying why\. See the log/);
  });

  it('explains a budget stop', () => {
    const note = budgetNotification(run({ state: 'cancelled', budgetUsd: 5, costUsd: 4.9 }));
    expect(note.message).toContain('reached its budget of $5.00 (spent $4.90)');
  });

  it('fires once per transition, never for runs restored already ended', () => {
    const running = run();
    expect(notificationForTransition(running, running)).toBeNull();
    expect(notificationForTransition(undefined, run({ state: 'completed' }))).toBeNull();
    expect(notificationForTransition(running, run({ state: 'completed' }))?.severity).toBe('info');
    expect(notificationForTransition(running, run({ state: 'failed' }))?.severity).toBe('error');
    expect(notificationForTransition(running, run({ state: 'cancelled', exitReason: 'Budget of $5 reached' }))?.severity).toBe('warning');
    expect(notificationForTransition(running, run({ state: 'cancelled', exitReason: 'Cancelled by the user' }))).toBeNull();
  });
});
