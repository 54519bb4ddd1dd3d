// Finding ranges sit on the offending key or value, in UTF-16 columns (what VS Code uses), whatever the line
// endings, a BOM, or multi-byte characters before the problem; invalid_json columns match V8's position.
import { describe, expect, it } from 'vitest';
import { covered, validateLines, validateText } from './helpers';

describe('positions', () => {
  it('a misspelled key is underlined exactly, after emoji and CJK text', () => {
    const line = '{"messages":[{"role":"user","content":"😀 你好 café"},{"role":"assistant","contnt":"x"}]}';
    const { findings } = validateLines([line]);
    const f = findings.find((x) => x.code === 'message_unrecognized_key')!;
    expect(covered([line], f)).toBe('"contnt"');
    expect(f.column).toBe(line.indexOf('"contnt"') + 1);
  });

  it('a bad value is underlined, not the whole line', () => {
    const line = '{"messages":[{"role":"user","content":"🎉🎉"},{"role":"assistant","content":"x","weight":3}]}';
    const f = validateLines([line]).findings.find((x) => x.code === 'invalid_weight')!;
    expect(covered([line], f)).toBe('3');
  });

  it('CRLF line endings and a BOM change neither line numbers nor columns', async () => {
    const lines = ['{"messages":[{"role":"user","content":"ü"},{"role":"bot","content":"x"}]}', '{"text": "fine"}', '{"messages": [}'];
    const plain = await validateText(lines.join('\n'));
    const crlfBom = await validateText('\uFEFF' + lines.join('\r\n') + '\r\n');
    const strip = (fs: typeof plain.findings) => fs.filter((f) => f.code !== 'empty_line');
    expect(strip(crlfBom.findings)).toEqual(strip(plain.findings));
    const role = plain.findings.find((f) => f.code === 'unrecognized_role')!;
    expect(role.line).toBe(1);
    expect(covered(lines, role)).toBe('"bot"');
    // The editor gets the lines with the BOM still on line 1 in some hosts: it is stripped the same way.
    const doc = validateLines(['\uFEFF' + lines[0] + '\r', lines[1], lines[2]]);
    expect(doc.findings).toEqual(plain.findings);
  });

  const broken = ['{"a" 1}', '{"a": tru}', '{"a": [1 2]}', '{"a": 1} x', "{'a': 1}", '{"a": "x\\q"}', '{"é😀": 01}', '{"a": 1', '{"x": "😀😀" "y"}'];
  for (const text of broken) {
    it(`invalid_json column is V8's position for ${text}`, () => {
      let position = -1;
      try {
        JSON.parse(text);
      } catch (e) {
        position = Number(/position (\d+)/.exec((e as Error).message)?.[1] ?? text.length);
      }
      const f = validateLines([text]).findings.find((x) => x.code === 'invalid_json')!;
      expect(f).toBeDefined();
      expect(f.column).toBe(position + 1);
    });
  }

  it('a trailing comma is reported on the comma itself', () => {
    const line = '{"messages": [{"role": "user", "content": "a"},]}';
    const f = validateLines([line]).findings[0];
    expect(f.code).toBe('invalid_json');
    expect(covered([line], f)).toBe(',');
    expect(f.column).toBe(line.indexOf(',]') + 1);
  });
});
