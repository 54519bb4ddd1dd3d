import { describe, expect, it } from 'vitest';
import { displayTurns, renderPreview } from '../../../src/vscode/datasets/previewMarkdown';

describe('displayTurns', () => {
  it('shows every format as turns', () => {
    expect(displayTurns({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'text', text: 'yo' }] }] }))
      .toEqual([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'yo' }]);
    expect(displayTurns({ conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] }))
      .toEqual([{ role: 'human', content: 'q' }, { role: 'gpt', content: 'a' }]);
    expect(displayTurns({ instruction: 'Sum', input: '1 2', output: '3', system: 'calc' }))
      .toEqual([{ role: 'system', content: 'calc' }, { role: 'user', content: 'Sum\n\n1 2' }, { role: 'assistant', content: '3' }]);
    expect(displayTurns({ prompt: 'p', completion: 'c' })).toEqual([{ role: 'prompt', content: 'p' }, { role: 'completion', content: 'c' }]);
    expect(displayTurns({ text: 't' })).toEqual([{ role: 'text', content: 't' }]);
  });

  it('returns undefined for shapes it does not know', () => {
    expect(displayTurns([1, 2])).toBeUndefined();
    expect(displayTurns({ foo: 1 })).toBeUndefined();
    expect(displayTurns('text')).toBeUndefined();
  });

  it('mentions tool calls and images', () => {
    const turns = displayTurns({ messages: [{ role: 'assistant', tool_calls: [{ id: 'c1' }] }, { role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] })!;
    expect(turns[0].content).toContain('tool calls');
    expect(turns[1].content).toBe('[image]');
  });
});

describe('renderPreview', () => {
  it('renders conversations with line numbers, and bad lines without failing', () => {
    const md = renderPreview('train.jsonl', [
      { line: 1, text: '{"messages":[{"role":"user","content":"# not a heading <script>"}]}' },
      { line: 3, text: '{"broken": ' },
      { line: 4, text: '{"unknown": true}' },
    ], true);
    expect(md).toContain('# train.jsonl');
    expect(md).toContain('more follow');
    expect(md).toContain('## Line 1');
    expect(md).toContain('> # not a heading &lt;script&gt;');
    expect(md).not.toContain('<script>');
    expect(md).toContain('## Line 3\n\n_Not valid JSON:_');
    expect(md).toContain('_Unrecognised shape:_');
  });

  it('clips very long content', () => {
    const md = renderPreview('x.jsonl', [{ line: 1, text: JSON.stringify({ text: 'a'.repeat(5000) }) }], false, 100);
    expect(md).toContain('(4900 more characters)');
  });
});
