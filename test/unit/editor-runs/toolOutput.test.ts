import { describe, expect, it } from 'vitest';
import { generateAnswers, parseToolOutput, toolFailure } from '../../../src/vscode/models/toolOutput';

const ev = (seq: number, rest: Record<string, unknown>) => JSON.stringify({ v: 1, seq, ts: '2026-11-24T08:00:00Z', ...rest });

describe('trainer tool output', () => {
  it('reads generate answers from the result line', () => {
    const out = parseToolOutput(
      [
        ev(1, { type: 'stage', name: 'loading_model' }),
        ev(2, { type: 'stage', name: 'evaluating' }),
        '{"prompt": "hi", "base_output": "base says", "adapter_output": "tuned says"}',
        '',
      ].join('\n'),
    );
    expect(out.events).toHaveLength(2);
    expect(generateAnswers(out)).toEqual({ base: 'base says', adapter: 'tuned says' });
  });

  it('explains a failure with the error event and its hint', () => {
    const out = parseToolOutput(
      [ev(1, { type: 'error', kind: 'config', message: 'adapter folder not found', hint: 'Download it first.' }), 'Traceback...'].join('\n'),
    );
    expect(toolFailure(out, '')).toBe('adapter folder not found Download it first.');
    expect(toolFailure(parseToolOutput('plain text'), 'ModuleNotFoundError: torch')).toBe('plain text ModuleNotFoundError: torch');
  });
});
