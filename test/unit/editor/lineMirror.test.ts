import { describe, expect, it } from 'vitest';
import { LineMirror, MirrorOutOfSyncError, splitLines, type LineEdit, type TextChange } from '../../../src/vscode/validation/lineMirror';

/** Applies character-range changes to a plain string, the reference the mirror must agree with. */
function applyToText(text: string, change: TextChange): string {
  const lines = splitLines(text);
  const offset = (line: number, character: number) => lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + Math.min(character, lines[line].length);
  const start = offset(change.startLine, change.startCharacter);
  const end = offset(change.endLine, change.endCharacter);
  return text.slice(0, start) + change.text + text.slice(end);
}

/** Replays line edits the way DocumentValidator.applyChange will. */
function replay(lines: string[], edits: LineEdit[]): string[] {
  const result = [...lines];
  for (const edit of edits) result.splice(edit.startLine, edit.removedCount, ...edit.insertedLines);
  return result;
}

const change = (startLine: number, startCharacter: number, endLine: number, endCharacter: number, text: string): TextChange => ({
  startLine,
  startCharacter,
  endLine,
  endCharacter,
  text,
});

describe('LineMirror', () => {
  it('maps a single-character insertion to a one-line replacement', () => {
    const mirror = new LineMirror(['{"a":1}', '{"b":2}']);
    const edit = mirror.apply(change(1, 1, 1, 1, ' '));
    expect(edit).toEqual({ startLine: 1, removedCount: 1, insertedLines: ['{ "b":2}'] });
  });

  it('maps a pasted block with newlines to several inserted lines', () => {
    const mirror = new LineMirror(['{"a":1}', '']);
    const edit = mirror.apply(change(1, 0, 1, 0, '{"b":2}\n{"c":3}\n'));
    expect(edit).toEqual({ startLine: 1, removedCount: 1, insertedLines: ['{"b":2}', '{"c":3}', ''] });
    expect(mirror.lineCount).toBe(4);
  });

  it('maps a deletion across lines to a removal of all touched lines', () => {
    const mirror = new LineMirror(['one', 'two', 'three', 'four']);
    const edit = mirror.apply(change(0, 2, 2, 1, ''));
    expect(edit).toEqual({ startLine: 0, removedCount: 3, insertedLines: ['onhree'] });
    expect(mirror.lineCount).toBe(2);
  });

  it('handles CRLF text in a change', () => {
    const mirror = new LineMirror(['a']);
    const edit = mirror.apply(change(0, 1, 0, 1, '\r\nb\r\nc'));
    expect(edit.insertedLines).toEqual(['a', 'b', 'c']);
  });

  it('applies a multi-cursor event in order, each range on the result of the previous', () => {
    // VS Code sends multi-cursor edits bottom-up; applying them in order keeps every range valid.
    const lines = ['{"x":1}', '{"x":2}', '{"x":3}'];
    const changes = [change(2, 1, 2, 4, '"y"'), change(0, 1, 0, 4, '"y"')];
    const mirror = new LineMirror(lines);
    const edits = mirror.applyAll(changes);
    expect(replay(lines, edits)).toEqual(['{"y":1}', '{"x":2}', '{"y":3}']);
  });

  it('agrees with a plain-text reference over many random edits', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['', 'a', '{"k":"v"}', '\n', 'x\ny', '\n\n', 'é😀'];
    let text = '{"a":1}\n{"b":2}\n';
    let lines = splitLines(text);
    const mirror = new LineMirror(lines);
    for (let i = 0; i < 2000; i++) {
      const current = splitLines(text);
      const l1 = random(current.length);
      const l2 = l1 + random(Math.min(3, current.length - l1));
      const c1 = random(current[l1].length + 1);
      const c2 = l2 === l1 ? c1 + random(current[l1].length - c1 + 1) : random(current[l2].length + 1);
      const c = change(l1, c1, l2, c2, pieces[random(pieces.length)]);
      text = applyToText(text, c);
      lines = replay(lines, [mirror.apply(c)]);
    }
    expect(lines).toEqual(splitLines(text));
    expect(mirror.lineCount).toBe(lines.length);
  });

  it('handles pastes larger than the spread-argument limit', () => {
    const mirror = new LineMirror(['start', 'end']);
    const big = Array.from({ length: 200_000 }, (_, i) => `{"i":${i}}`).join('\n');
    const edit = mirror.apply(change(1, 0, 1, 0, big + '\n'));
    expect(edit.insertedLines).toHaveLength(200_001);
    expect(mirror.lineCount).toBe(200_002);
    expect(mirror.line(200_001)).toBe('end');
    expect(mirror.line(1)).toBe('{"i":0}');
  });

  it('refuses a change outside the mirror so the caller can re-sync', () => {
    const mirror = new LineMirror(['only']);
    expect(() => mirror.apply(change(3, 0, 3, 0, 'x'))).toThrow(MirrorOutOfSyncError);
  });

  it('starts an empty document with one empty line, as VS Code does', () => {
    expect(new LineMirror([]).lineCount).toBe(1);
  });
});
