import { describe, expect, it } from 'vitest';
import { appendedLines } from '../../../src/vscode/panels/logTail';

describe('appendedLines', () => {
  it('returns only the lines after the overlap', () => {
    expect(appendedLines(['a', 'b', 'c'], ['b', 'c', 'd', 'e'])).toEqual(['d', 'e']);
  });
  it('returns nothing when the window did not move', () => {
    expect(appendedLines(['a', 'b'], ['a', 'b'])).toEqual([]);
  });
  it('handles repeated lines by taking the longest overlap', () => {
    expect(appendedLines(['x', 'step', 'step'], ['step', 'step', 'done'])).toEqual(['done']);
  });
  it('treats a window with no overlap as all new', () => {
    expect(appendedLines(['a'], ['y', 'z'])).toEqual(['y', 'z']);
    expect(appendedLines([], ['first'])).toEqual(['first']);
  });
});
