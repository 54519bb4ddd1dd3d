// The TypeScript reader's side of the protocol contract: every golden event file the trainer produced parses
// with RunEvent, and seq runs 1, 2, 3... without gaps. The Python writer is tested against the same files.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunEvent } from '../../src/contracts/events';

const dir = 'protocol/golden';
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.jsonl'))
  .sort();

function load(file: string): RunEvent[] {
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = RunEvent.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

describe('golden event files', () => {
  it('covers a completed, a failed, a cancelled, a preference (DPO) and a tracked (TensorBoard) run', () => {
    expect(files).toEqual(['cancelled.jsonl', 'completed.jsonl', 'failed.jsonl', 'preference.jsonl', 'tracking.jsonl']);
  });

  for (const file of files) {
    it(`${file}: every line parses with RunEvent and seq has no gaps`, () => {
      const events = load(file);
      expect(events.length).toBeGreaterThan(2);
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
      const last = events[events.length - 1];
      expect(last.type).toBe('done');
    });
  }

  it('completed.jsonl has a plan, metrics, evals, checkpoints and an adapter', () => {
    const events = load('completed.jsonl');
    const types = new Set(events.map((event) => event.type));
    for (const type of ['plan', 'metrics', 'eval', 'checkpoint']) expect(types.has(type as RunEvent['type'])).toBe(true);
    const done = events[events.length - 1];
    expect(done.type === 'done' && done.state === 'completed' && done.adapter).toBeTruthy();
  });

  it('failed.jsonl reports a data error at its line', () => {
    const error = load('failed.jsonl').find((event) => event.type === 'error');
    expect(error).toMatchObject({ kind: 'data', line: 5 });
  });

  it('cancelled.jsonl checkpoints at the last step before done', () => {
    const events = load('cancelled.jsonl');
    const lastMetrics = [...events].reverse().find((event) => event.type === 'metrics');
    const checkpoint = [...events].reverse().find((event) => event.type === 'checkpoint');
    expect(checkpoint && lastMetrics && checkpoint.type === 'checkpoint' && lastMetrics.type === 'metrics' && checkpoint.step === lastMetrics.step).toBe(true);
    const done = events[events.length - 1];
    expect(done.type === 'done' && done.state).toBe('cancelled');
  });

  it('preference.jsonl carries the preference fields in every metrics and eval event', () => {
    const events = load('preference.jsonl');
    const metrics = events.filter((event) => event.type === 'metrics');
    const evals = events.filter((event) => event.type === 'eval');
    expect(metrics.length).toBeGreaterThan(0);
    expect(evals.length).toBeGreaterThan(0);
    for (const m of metrics) {
      if (m.type !== 'metrics') continue;
      for (const key of ['logps_chosen', 'logps_rejected', 'reward_chosen', 'reward_rejected', 'reward_margin', 'preference_accuracy'] as const) {
        expect(typeof m[key]).toBe('number');
      }
      expect(m.reward_margin).toBeCloseTo((m.reward_chosen ?? 0) - (m.reward_rejected ?? 0), 9);
      expect(m.log_odds_ratio).toBeUndefined(); // ORPO only
    }
    for (const e of evals) expect(e.type === 'eval' && typeof e.preference_accuracy === 'number' && typeof e.reward_margin === 'number').toBe(true);
  });
});
