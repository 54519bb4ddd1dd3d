import { describe, expect, it } from 'vitest';
import { activationMark, activationTimeMessage } from '../../../src/vscode/activationTime';

const mark = (wall: number, cpuMs: number) => ({ wall, cpu: { user: cpuMs * 600, system: cpuMs * 400 } });

describe('the activation time logged to the output channel', () => {
  it('gives activate() as wall time and as CPU time (the sources run without the bundle here)', () => {
    const message = activationTimeMessage({ loaded: mark(100, 40), started: mark(110, 41) }, mark(122.5, 46));
    expect(message).toBe('Activated in 12.5 ms (activate(); CPU time 5.0 ms)');
  });

  it('marks the wall clock and the process CPU time', () => {
    const before = process.cpuUsage();
    const at = activationMark();
    expect(at.wall).toBeGreaterThan(0);
    expect(at.cpu.user + at.cpu.system).toBeGreaterThanOrEqual(before.user + before.system);
  });
});
