// Certain fixes: applying one removes its finding and introduces no new one.
import { describe, expect, it } from 'vitest';
import { applyFix, assistant, chat, OK, OK2, user, validateLines } from './helpers';

function fixOnce(lines: string[], code: string) {
  const finding = validateLines(lines).findings.find((f) => f.code === code);
  expect(finding?.fixes?.length, `${code} has a fix`).toBeGreaterThan(0);
  return applyFix(lines, finding!.fixes![0]);
}

describe('fixes', () => {
  it('drops a trailing comma', () => {
    const fixed = fixOnce(['{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},]}'], 'invalid_json');
    expect(validateLines(fixed).findings).toEqual([]);
    expect(() => JSON.parse(fixed[0])).not.toThrow();
  });

  it('drops a trailing comma in an object', () => {
    const fixed = fixOnce(['{"text": "a",}'], 'invalid_json');
    expect(fixed).toEqual(['{"text": "a"}']);
  });

  it('renames contents -> content', () => {
    const fixed = fixOnce([chat({ role: 'user', contents: 'a' }, assistant('b'))], 'message_unrecognized_key');
    expect(fixed[0]).toBe(chat(user('a'), assistant('b')).replace('"role":"user","content"', '"role":"user","content"'));
    expect(validateLines(fixed).findings).toEqual([]);
  });

  it('renames a misspelled role key and a misspelled role value', () => {
    let lines = [chat({ rloe: 'user', content: 'a' }, { role: 'asistant', content: 'b' })];
    lines = fixOnce(lines, 'message_unrecognized_key');
    lines = fixOnce(lines, 'unrecognized_role');
    expect(validateLines(lines).findings).toEqual([]);
  });

  it('renames mesages -> messages', () => {
    const fixed = fixOnce(['{"mesages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}'], 'missing_messages_list');
    expect(validateLines(fixed).findings).toEqual([]);
  });

  it('deletes a duplicate line and a blank line', () => {
    let lines = [OK, '', OK2, OK];
    lines = fixOnce(lines, 'duplicate_example');
    lines = fixOnce(lines, 'empty_line');
    expect(lines).toEqual([OK, OK2]);
    expect(validateLines(lines).findings).toEqual([]);
  });

  it('offers no fix when two keys are equally close (a guess is not certain)', () => {
    // "nam" is one edit from "name" and two from others; "rolee" is unambiguous; "xyz" matches nothing.
    const { findings } = validateLines([chat({ role: 'user', content: 'a', xyz: 1 }, assistant('b'))]);
    expect(findings[0].code).toBe('message_unrecognized_key');
    expect(findings[0].fixes).toBeUndefined();
  });
});
