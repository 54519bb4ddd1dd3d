import { describe, expect, it } from 'vitest';
import { explainExit } from '../../../src/core/runs/exitReason';

describe('explainExit', () => {
  it('prefers the error event the trainer wrote', () => {
    const e = explainExit('noise', { v: 1, seq: 3, ts: 't', type: 'error', kind: 'data', message: 'bad line 4', hint: 'fix it' });
    expect(e).toEqual({ kind: 'exception', reason: 'bad line 4 (fix it)' });
  });

  it("reports a traceback's last line", () => {
    const log = 'step 1\nTraceback (most recent call last):\n  File "x.py", line 3, in <module>\n    boom()\nValueError: the data is odd\n';
    expect(explainExit(log)).toEqual({ kind: 'exception', reason: 'the trainer crashed: ValueError: the data is odd' });
  });

  it('says what to do when the Python lacks the trainer requirements', () => {
    const log = 'Traceback (most recent call last):\n  File "<frozen runpy>", line 1\nModuleNotFoundError: No module named \'torch\'\n';
    expect(explainExit(log).reason).toMatch(/No module named 'torch'.*install python\/requirements.txt/);
  });

  it('recognises running out of memory', () => {
    expect(explainExit('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate').kind).toBe('oom');
    expect(explainExit('Traceback (most recent call last):\nMemoryError\n').reason).toMatch(/out of RAM/);
    expect(explainExit('step 3\nKilled\n').reason).toMatch(/out-of-memory killer/);
  });

  it('says what it can when the log tells nothing', () => {
    const e = explainExit('step 5 loss 1.2\n');
    expect(e.kind).toBe('killed');
    expect(e.reason).toMatch(/without reporting why.*last log line: step 5 loss 1.2/);
  });
});
