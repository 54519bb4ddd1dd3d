// One line format for events, wherever they are shown: the CLI and the monitor format them with formatEvent, the
// trainer writes trainer.log with its own formatter, and both are checked against one table of event -> line
// (protocol/golden/event-lines.json; python/tests/test_event_lines.py is the trainer's side).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunEvent } from '../../../src/contracts/events';
import { formatEvent } from '../../../src/core/runs/formatEvent';

const table = JSON.parse(readFileSync('protocol/golden/event-lines.json', 'utf8')) as { event: unknown; line: string }[];

describe('event lines', () => {
  it('formats every event of the shared table as the table says', () => {
    for (const { event, line } of table) expect(formatEvent(RunEvent.parse(event))).toBe(line);
  });

  it('covers every event type of the protocol', () => {
    const types = new Set(table.map(({ event }) => (event as { type: string }).type));
    const protocolTypes = RunEvent.options.map((option) => option.shape.type.value);
    expect([...types].sort()).toEqual([...protocolTypes].sort());
  });

  it('is the table its generator writes, so a case added by hand cannot drift from the script', () => {
    expect(() => execFileSync('npx', ['tsx', 'scripts/gen-event-lines.ts', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('adds the cost and the latest eval loss to a metrics line only where the CLI asks', () => {
    const metrics = table.map(({ event }) => RunEvent.parse(event)).find((e) => e.type === 'metrics')!;
    const plain = formatEvent(metrics);
    expect(formatEvent(metrics, { costUsd: 1.5, evalLoss: 0.5 })).toBe(`${plain}  eval 0.5000  cost $1.50`);
  });
});
