import { describe, expect, it } from 'vitest';
import { decideRecovery, halvedBatch } from '../../../src/core/runs/recoveryPolicy';

const on = { enabled: true, maxAttempts: 3 };

describe('automatic recovery policy', () => {
  it('restarts an out-of-memory run with half the micro-batch and twice the accumulation', () => {
    const decision = decideRecovery('oom', on, { restarts: 0, batch: { batchSize: 8, gradAccum: 2 } });
    expect(decision).toMatchObject({
      retry: true,
      reason: 'oom',
      batch: { batchSize: 4, gradAccum: 4 },
      changes: [
        { setting: 'batch_size', from: 8, to: 4 },
        { setting: 'grad_accum', from: 2, to: 4 },
      ],
    });
    if (decision.retry) expect(decision.message).toMatch(/^Attempt 2: ran out of memory at micro-batch 8; .*effective batch of 16/);
  });

  it('keeps the effective batch exact when the micro-batch is odd', () => {
    expect(halvedBatch({ batchSize: 3, gradAccum: 2 })).toEqual({ batchSize: 1, gradAccum: 6 });
    expect(halvedBatch({ batchSize: 6, gradAccum: 1 })).toEqual({ batchSize: 3, gradAccum: 2 });
    expect(halvedBatch({ batchSize: 2, gradAccum: 5 })).toEqual({ batchSize: 1, gradAccum: 10 });
    expect(halvedBatch({ batchSize: 1, gradAccum: 5 })).toBeNull();
  });

  it('gives up on out of memory at micro-batch 1 and says what else to try', () => {
    const decision = decideRecovery('oom', on, { restarts: 1, batch: { batchSize: 1, gradAccum: 8 } });
    expect(decision.retry).toBe(false);
    if (!decision.retry) expect(decision.advice).toMatch(/micro-batch 1.*gradientCheckpointing.*maxSeqLen.*4bit/);
  });

  it('resumes a killed trainer and a vanished host with the same settings', () => {
    for (const failure of ['killed', 'host_lost'] as const) {
      const decision = decideRecovery(failure, on, { restarts: 2, batch: { batchSize: 4, gradAccum: 1 } });
      expect(decision).toMatchObject({ retry: true, reason: failure, batch: { batchSize: 4, gradAccum: 1 }, changes: [] });
      if (decision.retry) expect(decision.message).toMatch(/^Attempt 4: .*resumed from the last checkpoint/);
    }
  });

  it('stops at the retry limit, with advice', () => {
    const decision = decideRecovery('killed', on, { restarts: 3, batch: { batchSize: 4, gradAccum: 1 } });
    expect(decision).toEqual({ retry: false, advice: expect.stringMatching(/gave up after 3 restart\(s\) \(recovery.maxAttempts is 3\)/) });
    const oom = decideRecovery('oom', { enabled: true, maxAttempts: 1 }, { restarts: 1, batch: { batchSize: 4, gradAccum: 1 } });
    expect(oom).toEqual({ retry: false, advice: expect.stringMatching(/gave up.*gradientCheckpointing/) });
  });

  it('never retries a failure that would repeat, nor a run with recovery off', () => {
    expect(decideRecovery('other', on, { restarts: 0, batch: { batchSize: 4, gradAccum: 1 } })).toEqual({ retry: false, advice: null });
    expect(decideRecovery('oom', { enabled: false, maxAttempts: 3 }, { restarts: 0, batch: { batchSize: 4, gradAccum: 1 } })).toEqual({
      retry: false,
      advice: null,
    });
  });
});
