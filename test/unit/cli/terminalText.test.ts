import { describe, expect, it } from 'vitest';
import { escapeForTerminal, escapeJsonForTerminal, escapeLinesForTerminal, escapeStrings } from '../../../src/cli/terminalText';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('escapeForTerminal', () => {
  it('makes ESC sequences, C0 and C1 controls visible', () => {
    expect(escapeForTerminal('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeForTerminal('\x1b]0;title\x07')).toBe('\\x1b]0;title\\x07');
    expect(escapeForTerminal('\u009b31mred\u0085')).toBe('\\u009b31mred\\u0085');
    expect(escapeForTerminal('one\ntwo\rthree\tfour\x00\x7f')).toBe('one\\ntwo\\rthree\\tfour\\x00\\x7f');
    expect(escapeForTerminal('abc\u202eevil\u2028')).toBe('abc\\u202eevil\\u2028');
  });

  it('leaves ordinary text alone, accents, CJK and emoji included', () => {
    const text = 'Café — 東京 🚀 "quoted" C:\\path\\file.jsonl';
    expect(escapeForTerminal(text)).toBe(text);
  });

  it('leaves no raw control character in any input', () => {
    let all = '';
    for (let c = 0; c < 0x2100; c++) all += String.fromCharCode(c);
    expect(escapeForTerminal(all)).not.toMatch(RAW_CONTROL);
  });
});

describe('escapeLinesForTerminal', () => {
  it('keeps line breaks and escapes the rest', () => {
    expect(escapeLinesForTerminal('a\n\x1b[31mb\r\nc\n')).toBe('a\n\\x1b[31mb\\r\nc\n');
  });
});

describe('escapeJsonForTerminal', () => {
  it('writes the controls JSON.stringify leaves raw as \\u escapes, meaning the same JSON', () => {
    const value = { s: 'x\u009b2J\u007f\u2028\x1b' };
    const json = escapeJsonForTerminal(JSON.stringify(value));
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('escapeStrings', () => {
  it('escapes every string inside a value and keeps its shape', () => {
    expect(escapeStrings({ type: 'log', n: 3, nested: [{ m: 'a\nb' }, null, true] })).toEqual({ type: 'log', n: 3, nested: [{ m: 'a\\nb' }, null, true] });
  });
});
