import { describe, expect, it } from 'vitest';
import { findingKey, findingRange, fixEdit, lineRange } from '../../../src/vscode/validation/positions';
import { LineMirror } from '../../../src/vscode/validation/lineMirror';

const lengths = (lines: string[]) => (line: number) => lines[line].length;

/** Applies an edit to lines through the same mirror the editor path uses. */
function applyEdit(lines: string[], edit: ReturnType<typeof fixEdit>): string[] {
  const mirror = new LineMirror(lines);
  mirror.apply({ ...edit.range, text: edit.newText });
  return Array.from({ length: mirror.lineCount }, (_, i) => mirror.line(i)!);
}

describe('findingRange', () => {
  it('converts 1-based, end-exclusive columns to a 0-based range', () => {
    expect(findingRange({ line: 3, column: 5, endColumn: 12 })).toEqual({ startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 11 });
  });

  it('widens an empty span to the whole line when the line is known', () => {
    expect(findingRange({ line: 1, column: 4, endColumn: 4 }, () => 20)).toEqual({ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 20 });
  });

  it('clamps columns past the end of the line', () => {
    expect(findingRange({ line: 1, column: 8, endColumn: 30 }, () => 10)).toEqual({ startLine: 0, startCharacter: 7, endLine: 0, endCharacter: 10 });
  });

  it('keeps the columns as given when the line is not known (disk validation)', () => {
    expect(findingRange({ line: 10, column: 1, endColumn: 1 })).toEqual({ startLine: 9, startCharacter: 0, endLine: 9, endCharacter: 0 });
  });

  it('lineRange covers a whole line', () => {
    expect(lineRange(2, () => 9)).toEqual({ startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 9 });
  });
});

describe('fixEdit', () => {
  const lines = ['{"a":1}', '{"a":1}', '{"b":2}'];

  it('deletes a middle line with its line break', () => {
    const edit = fixEdit({ kind: 'deleteLine', title: 'Remove duplicate', line: 2 }, lines.length, lengths(lines));
    expect(applyEdit(lines, edit)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('deletes the last line together with the preceding line break', () => {
    const edit = fixEdit({ kind: 'deleteLine', title: 'Remove duplicate', line: 3 }, lines.length, lengths(lines));
    expect(applyEdit(lines, edit)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('empties a single-line document', () => {
    const one = ['{"a":1}'];
    expect(applyEdit(one, fixEdit({ kind: 'deleteLine', title: 'x', line: 1 }, 1, lengths(one)))).toEqual(['']);
  });

  it('renames a misspelled key in place', () => {
    const doc = ['{"messages":[{"role":"user","contents":"hi"}]}'];
    const start = doc[0].indexOf('"contents"') + 1;
    const edit = fixEdit(
      { kind: 'replace', title: 'Rename to content', line: 1, column: start + 1, endColumn: start + 1 + 8, text: 'content' },
      1,
      lengths(doc),
    );
    expect(applyEdit(doc, edit)).toEqual(['{"messages":[{"role":"user","content":"hi"}]}']);
  });

  it('drops a trailing comma', () => {
    const doc = ['{"prompt":"a","completion":"b",}'];
    const comma = doc[0].lastIndexOf(',') + 1;
    const edit = fixEdit({ kind: 'replace', title: 'Remove trailing comma', line: 1, column: comma, endColumn: comma + 1, text: '' }, 1, lengths(doc));
    expect(applyEdit(doc, edit)).toEqual(['{"prompt":"a","completion":"b"}']);
  });

  it('refuses a fix for a line that no longer exists', () => {
    expect(() => fixEdit({ kind: 'deleteLine', title: 'x', line: 9 }, 3, lengths(lines))).toThrow(RangeError);
  });
});

describe('findingKey', () => {
  it('differs when code, range or message differ', () => {
    const r = { startLine: 0, startCharacter: 1, endLine: 0, endCharacter: 2 };
    const key = findingKey('a', r, 'm');
    expect(findingKey('a', { ...r }, 'm')).toBe(key);
    expect(findingKey('b', r, 'm')).not.toBe(key);
    expect(findingKey('a', { ...r, endCharacter: 3 }, 'm')).not.toBe(key);
    expect(findingKey('a', r, 'n')).not.toBe(key);
  });
});
