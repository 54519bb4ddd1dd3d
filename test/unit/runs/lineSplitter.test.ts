import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/core/runs/lineSplitter';

describe('LineSplitter', () => {
  it('keeps a partial last line for the next chunk and reports byte offsets', () => {
    const s = new LineSplitter(100);
    expect(s.push(Buffer.from('{"a":1}\n{"b"'))).toEqual([{ text: '{"a":1}', endOffset: 108 }]);
    expect(s.completeOffset).toBe(108);
    expect(s.push(Buffer.from(':2}\n'))).toEqual([{ text: '{"b":2}', endOffset: 116 }]);
  });

  it('counts bytes, not characters, even when a chunk splits a UTF-8 character', () => {
    const line = Buffer.from('{"m":"héllo ✓"}\n');
    const s = new LineSplitter(0);
    const cut = line.indexOf(0xe2) + 1; // inside the 3-byte check mark
    expect(s.push(line.subarray(0, cut))).toEqual([]);
    expect(s.push(line.subarray(cut))).toEqual([{ text: '{"m":"héllo ✓"}', endOffset: line.length }]);
  });

  it('handles CRLF and skips blank lines while still advancing the offset', () => {
    const s = new LineSplitter(0);
    expect(s.push(Buffer.from('a\r\n\nb\n'))).toEqual([
      { text: 'a', endOffset: 3 },
      { text: 'b', endOffset: 6 },
    ]);
    expect(s.completeOffset).toBe(6);
  });
});
