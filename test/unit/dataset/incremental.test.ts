// The incremental DocumentValidator must always agree with a full re-validation of the same text, whatever
// sequence of edits brought the document there (dataset-level findings such as duplicates included).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../scripts/lib/seededRandom.mjs';
import { DocumentValidator, validationSetFromLines } from '../../../src/core/dataset';
import { baseOptions, OK, OK2 } from './helpers';

const pool = [
  ...readFileSync('samples/broken.jsonl', 'utf8').split('\n'),
  ...readFileSync('samples/chat-train.jsonl', 'utf8').split('\n').slice(0, 20),
  ...readFileSync('samples/alpaca.jsonl', 'utf8').split('\n').slice(0, 3),
  '',
  '  ',
  '{"text": "plain"}',
  '{"foo": 1}',
  OK,
  OK,
  OK2,
];

describe('DocumentValidator', () => {
  it('equals a full re-validation after each of 300 random edits', () => {
    const random = seededRandom(42);
    const pick = () => pool[Math.floor(random() * pool.length)];
    const options = { ...baseOptions(), maxSeqLen: 200, validationSet: validationSetFromLines('val.jsonl', [OK2]) };
    const doc = new DocumentValidator(options);
    let lines = Array.from({ length: 30 }, pick);
    doc.reset(lines);
    for (let step = 0; step < 300; step++) {
      const start = Math.floor(random() * (lines.length + 1));
      const removed = Math.min(lines.length - start, Math.floor(random() * 3));
      const inserted = Array.from({ length: Math.floor(random() * 3) }, pick);
      doc.applyChange(start, removed, inserted);
      lines = [...lines.slice(0, start), ...inserted, ...lines.slice(start + removed)];
      const full = new DocumentValidator(options);
      full.reset(lines);
      expect(doc.findings(), `after step ${step}`).toEqual(full.findings());
      expect(doc.stats()).toEqual(full.stats());
    }
  }, 60_000);

  it('keeps a duplicate finding up to date when the first copy is edited away', () => {
    const doc = new DocumentValidator(baseOptions());
    doc.reset([OK, OK2, OK]);
    expect(doc.findings().map((f) => [f.code, f.line])).toEqual([['duplicate_example', 3]]);
    doc.applyChange(0, 1, []);
    expect(doc.findings()).toEqual([]);
    doc.applyChange(2, 0, [OK2]);
    expect(doc.findings().map((f) => [f.code, f.line, f.related?.[0].line])).toEqual([['duplicate_example', 3, 1]]);
  });

  it('changing options re-checks without a new document', () => {
    const doc = new DocumentValidator(baseOptions());
    doc.reset([OK, OK2]);
    expect(doc.stats().examplesOverMaxSeqLen).toBe(0);
    doc.setOptions({ maxSeqLen: 5 });
    expect(doc.findings().map((f) => f.code)).toEqual(['too_long', 'too_long']);
    expect(doc.lineInfo(1)).toEqual({ tokens: expect.any(Number), turns: ['user', 'assistant'] });
    expect(doc.lineInfo(3)).toBeUndefined();
  });

  it('rejects an edit outside the document', () => {
    const doc = new DocumentValidator(baseOptions());
    doc.reset([OK]);
    expect(() => doc.applyChange(5, 1, [])).toThrow(RangeError);
  });
});

describe('incremental work', () => {
  it('an edit re-parses and re-counts only the changed lines', () => {
    const counted: string[] = [];
    const counter = { name: 'counting', approximate: true, spec: { kind: 'estimate' as const }, count: (t: string) => (counted.push(t), 1) };
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `q${i}` },
          { role: 'assistant', content: `a${i}` },
        ],
      }),
    );
    const doc = new DocumentValidator({ maxSeqLen: 2048, tokenCounter: counter });
    doc.reset(lines);
    doc.findings();
    counted.length = 0;
    doc.applyChange(1000, 1, [
      JSON.stringify({
        messages: [
          { role: 'user', content: 'edited' },
          { role: 'assistant', content: 'reply' },
        ],
      }),
    ]);
    expect(doc.findings()).toEqual([]);
    expect(doc.stats().examples).toBe(2000);
    expect(counted).toEqual(['edited', 'reply']);
  });
});
