// Agreement with the trainer and with OpenAI's checker on the edges: unpaired surrogates, weights on turns
// that are never trained, content-part lists in every format, and speaker/role names that are also the names
// of JavaScript object properties.
import { describe, expect, it } from 'vitest';
import { convertToOpenAiChat, DocumentValidator, estimateCounter } from '../../../src/core/dataset';
import { assistant, baseOptions, chat, covered, OK, system, user, validateLines, validateText } from './helpers';

const codes = (lines: string[]) => validateLines(lines).findings.map((f) => f.code);

describe('unpaired UTF-16 surrogates', () => {
  const line = (content: string) => `{"messages": [{"role": "user", "content": "${content}"}, {"role": "assistant", "content": "ok"}]}`;

  it('an escaped lone surrogate is an error on the escape itself, from disk and in the editor', async () => {
    for (const [content, escape] of [
      ['a\\ud800b', '\\ud800'],
      ['a\\udc00', '\\udc00'],
      ['\\ude00\\ud83d', '\\ude00'],
      ['x\\uD83D', '\\uD83D'],
    ]) {
      const lines = [line(content)];
      const report = await validateText(lines.join('\n'));
      const hits = report.findings.filter((f) => f.code === 'invalid_surrogate');
      expect(hits.length, content).toBeGreaterThanOrEqual(1);
      expect(covered(lines, hits[0])).toBe(escape);
      expect(hits[0].severity).toBe('error');
      expect(hits[0].message).toMatch(/Remove it, or write the whole character/);
      expect(validateLines(lines).findings).toEqual(report.findings);
    }
  });

  it('pairs, other escapes and an escaped backslash before "ud800" are fine', () => {
    for (const content of ['\\ud83d\\ude00', '\\u00e9t\\u00e9', '\\\\ud800', 'plain 😀 text']) expect(codes([line(content)]), content).toEqual([]);
  });

  it('a raw lone surrogate in the editor text is reported at its column', () => {
    const text = line(`ab\ud800cd`);
    const { findings } = validateLines([text]);
    expect(findings.map((f) => f.code)).toEqual(['invalid_surrogate']);
    expect(findings[0].column).toBe(text.indexOf('\ud800') + 1);
    expect(findings[0].endColumn).toBe(findings[0].column + 1);
  });

  it('also in keys and in examples of other formats', () => {
    expect(codes(['{"prompt": "a", "completion": "b\\udfff"}'])).toEqual(['invalid_surrogate']);
    expect(codes(['{"text": "fine", "\\ud800": 1}'])).toContain('invalid_surrogate');
  });
});

describe('weights on turns that are never trained', () => {
  it('0 or 1 on a user or system message is a warning that it changes nothing, not an error', () => {
    const { findings, validator } = validateLines([chat({ ...system('s'), weight: 1 }, { ...user('a'), weight: 0 }, { ...assistant('b'), weight: 1 })]);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ['weight_ignored', 'warning'],
      ['weight_ignored', 'warning'],
    ]);
    expect(findings[1].message).toMatch(/no effect on message 2 \(user\)/);
    expect(validator.stats().errors).toBe(0);
  });

  it('any other value is still an error, on any turn', () => {
    expect(codes([chat({ ...user('a'), weight: 0.5 }, assistant('b'))])).toEqual(['invalid_weight']);
    expect(codes([chat(user('a'), { ...assistant('b'), weight: '1' })])).toEqual(['invalid_weight']);
  });
});

describe('content-part lists in every format', () => {
  const text = (t: string) => ({ type: 'text', text: t });
  const image = { type: 'image_url', image_url: { url: 'https://example.com/lamp.png' } };

  it('are accepted wherever a text is, and their text parts are counted', () => {
    const rows = [
      { prompt: [text('What colour is the lamp?')], completion: [text('Sand.')] },
      { instruction: [text('Name the colour.')], output: 'Sand.' },
      {
        conversations: [
          { from: 'human', value: [text('Colour?')] },
          { from: 'gpt', value: [text('Sand.')] },
        ],
      },
      { text: [text('Once upon a time there was a sand-coloured lamp.')] },
    ];
    for (const row of rows) {
      const { findings, validator } = validateLines([JSON.stringify(row)]);
      expect(findings, JSON.stringify(row)).toEqual([]);
      expect(validator.stats().tokens.total).toBeGreaterThan(3);
    }
  });

  it('a malformed part is invalid_content on that part, in every format', () => {
    const line = JSON.stringify({ prompt: [text('a'), { type: 'audio', audio: 'x' }], completion: 'b' });
    const { findings } = validateLines([line]);
    expect(findings.map((f) => f.code)).toEqual(['invalid_content']);
    expect(covered([line], findings[0])).toBe('{"type":"audio","audio":"x"}');
    expect(codes([JSON.stringify({ prompt: 7, completion: 'b' })])).toEqual(['invalid_field_type']);
  });

  it('image parts are reported once per file, on the first example that has them, with the totals', async () => {
    const withImage = (q: string) => chat(user([text(q), image, image]), assistant('A lamp.'));
    const lines = [OK, withImage('What is this?'), withImage('And this?'), JSON.stringify({ messages: [user('q'), assistant([text('a'), image])] })];
    const report = await validateText(lines.join('\n'));
    const hits = report.findings.filter((f) => f.code === 'image_content');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ line: 2, severity: 'warning' });
    expect(hits[0].message).toMatch(
      /This example and 2 more have 5 image part\(s\) in all: a text-only model drops image parts and is trained on the text parts only/,
    );
    expect(validateLines(lines).findings).toEqual(report.findings);
  });
});

describe('names that are also JavaScript property names', () => {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it('ShareGPT speakers are unrecognised, never looked up on the prototype', () => {
    for (const from of names) {
      const line = JSON.stringify({
        conversations: [
          { from: 'human', value: 'q' },
          { from, value: 'a' },
        ],
      });
      const { findings, validator } = validateLines([line]);
      expect(
        findings.map((f) => f.code),
        from,
      ).toContain('unrecognized_role');
      expect(validator.lineInfo(1)?.turns).toEqual(['user', 'unknown']);
      expect(convertToOpenAiChat([line]).skipped).toEqual([{ line: 1, reason: `turn 2: speaker "${from}" has no plain chat equivalent` }]);
    }
  });

  it('chat roles and top-level keys likewise', () => {
    for (const role of names) {
      expect(codes([chat(user('q'), { role, content: 'a' })]), role).toContain('unrecognized_role');
      expect(codes([`{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "${role}": 1}`]), role).toEqual([
        'unrecognized_key',
      ]);
    }
    // An object whose only key is "__proto__" is of no known format, whatever that key holds.
    expect(codes(['{"__proto__": {"messages": []}}'])).toEqual(['unknown_format']);
  });

  it('severity overrides are read from their own entries only', () => {
    const inherited = Object.create({ duplicate_example: 'off' }) as Record<string, 'off'>;
    expect(codes([OK, OK])).toEqual(['duplicate_example']);
    expect(validateLines([OK, OK], { severityOverrides: inherited }).findings.map((f) => f.code)).toEqual(['duplicate_example']);
  });

  it('the validator keeps working for a document that uses them everywhere', () => {
    const doc = new DocumentValidator({ ...baseOptions(), tokenCounter: estimateCounter() });
    doc.reset(names.map((n) => JSON.stringify({ conversations: [{ from: n, value: n }], [n]: n })));
    expect(doc.stats().examples).toBe(names.length);
    expect(doc.findings().length).toBeGreaterThan(names.length);
  });
});
