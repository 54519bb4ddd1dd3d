// Property test: thousands of random mutations of valid lines never throw, never hang, and each mutation
// (designed to always make the line wrong) yields a finding on exactly the mutated line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../scripts/lib/seededRandom.mjs';
import { DocumentValidator } from '../../../src/core/dataset';
import { baseOptions } from './helpers';

/** Indexes of characters outside string literals (where any change breaks minified JSON). */
function structuralPositions(text: string): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else out.push(i);
  }
  return out;
}

type Mutation = (text: string, r: () => number) => string | undefined;
const pickOf = <T>(xs: T[], r: () => number) => xs[Math.floor(r() * xs.length)];

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, r) => t.slice(0, 1 + Math.floor(r() * (t.length - 1))),
  deleteStructural: (t, r) => {
    const i = pickOf(structuralPositions(t), r);
    return t.slice(0, i) + t.slice(i + 1);
  },
  deleteQuote: (t, r) => {
    const quotes = [...t.matchAll(/"/g)].map((m) => m.index!);
    const i = pickOf(quotes, r);
    return t.slice(0, i) + t.slice(i + 1);
  },
  insertGarbage: (t, r) => {
    const i = pickOf(structuralPositions(t), r);
    return t.slice(0, i) + pickOf(['x', '#', "'", '}', ']', ':', ',,', '\\'], r) + t.slice(i);
  },
  misspellKey: (t, r) => {
    const keys = [...t.matchAll(/"(role|content|messages|conversations|from|value|instruction|output|prompt|completion|text)":/g)];
    if (keys.length === 0) return undefined;
    const m = pickOf(keys, r);
    const key = m[1];
    const typo = key.slice(0, -1) + (key.endsWith('x') ? 'y' : 'x');
    return t.slice(0, m.index!) + `"${typo}":` + t.slice(m.index! + m[0].length);
  },
  badRole: (t) => (t.includes('"role":"user"') ? t.replace('"role":"user"', '"role":"customer"') : undefined),
  blankContent: (t) => (t.includes('"content":"') ? t.replace(/"content":"[^"]*"/, '"content":"   "') : undefined),
  numberContent: (t) => (t.includes('"content":"') ? t.replace(/"content":"[^"]*"/, '"content":7') : undefined),
  notAnObject: (t, r) => pickOf(['[' + t + ']', '"' + t.length + '"', '42', 'null'], r),
};

const valid = ['chat-train', 'sharegpt', 'alpaca', 'prompt-completion', 'text'].flatMap((name) =>
  readFileSync(`samples/${name}.jsonl`, 'utf8').split('\n').filter(Boolean).slice(0, 8),
);

describe('fuzz', () => {
  it('3000 random mutations always produce a finding on the mutated line', () => {
    const random = seededRandom(7);
    const names = Object.keys(MUTATIONS);
    let applied = 0;
    const byFormat = new Map<string, DocumentValidator>();
    for (let n = 0; n < 3000; n++) {
      const source = pickOf(valid, random);
      const mutated = MUTATIONS[pickOf(names, random)](source, random);
      if (mutated === undefined || mutated === source) continue;
      // A document of valid lines of the same format around the mutated one (line 3).
      const key = source.slice(0, 12);
      let doc = byFormat.get(key);
      if (!doc) {
        doc = new DocumentValidator(baseOptions());
        const same = valid.filter((v) => v.slice(0, 12) === key);
        doc.reset([same[0], same[1] ?? same[0].replace(/.$/, ' }'), source, same[2] ?? same[0].replace(/.$/, '  }')]);
        byFormat.set(key, doc);
      }
      doc.applyChange(2, 1, [mutated]);
      const onLine = doc.findings().filter((f) => f.line === 3);
      expect(onLine.length, `no finding for ${JSON.stringify(mutated)}`).toBeGreaterThan(0);
      for (const f of onLine) {
        expect(f.column).toBeGreaterThanOrEqual(1);
        expect(f.endColumn).toBeLessThanOrEqual(mutated.length + 1);
      }
      doc.applyChange(2, 1, [source]);
      applied++;
    }
    expect(applied).toBeGreaterThan(2000);
  }, 60_000);
});

describe('pathological lines', () => {
  it('deep nesting, huge keys and unterminated input never throw', () => {
    const doc = new DocumentValidator(baseOptions());
    const lines = [
      '['.repeat(100_000) + ']'.repeat(100_000),
      '{"messages":' + '['.repeat(100_000),
      '{"messages":[{"role":"user","content":' + '['.repeat(20_000) + ']'.repeat(20_000) + '},{"role":"assistant","content":"x"}]}',
      '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"tools":[' + '['.repeat(50_000) + ']'.repeat(50_000) + ']}',
      '{"' + 'k'.repeat(100_000) + '": 1}',
      '\u0000\u0001{}',
    ];
    doc.reset(lines);
    const findings = doc.findings();
    for (let line = 1; line <= lines.length; line++)
      expect(
        findings.some((f) => f.line === line),
        `line ${line}`,
      ).toBe(true);
  });
});
