// The default token counter counts cl100k on a sample and estimates the rest: its totals must stay within 3%
// of counting every text, on every kind of text, and `too_long` must stay exact.
import { describe, expect, it } from 'vitest';
import { approximateCounter, DocumentValidator, sampledCounter, validateFile } from '../../../src/core/dataset';
import { nodeDatasetFiles as files } from '../../../src/platform/nodeDatasetFiles';
import { seededRandom } from '../../../scripts/lib/seededRandom.mjs';
import { TEXT_KINDS, variedChatLines } from '../../../scripts/lib/variedText.mjs';
import { writeTemp } from './helpers';

const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });

async function totals(lines: string[], maxSeqLen = 4096) {
  const path = writeTemp(lines.join('\n') + '\n');
  const sampled = await validateFile(path, { files, maxSeqLen });
  const exact = await validateFile(path, { files, maxSeqLen, tokenCounter: await approximateCounter() });
  return { sampled, exact };
}

describe('default token counts (cl100k on a sample, estimated elsewhere)', () => {
  it('stays within 3% of counting every text on a varied chat corpus, and says it estimates', async () => {
    const { sampled, exact } = await totals(variedChatLines(11, 3000));
    expect(exact.stats.tokens.total).toBeGreaterThan(300_000);
    expect(Math.abs(sampled.stats.tokens.total / exact.stats.tokens.total - 1)).toBeLessThan(0.03);
    expect(Math.abs(sampled.stats.tokens.assistant / exact.stats.tokens.assistant - 1)).toBeLessThan(0.03);
    expect(sampled.stats.tokensApproximate).toBe(true);
    expect(sampled.stats.tokenizer).toMatch(/sample.*estimated/);
  }, 60_000);

  for (const [kind, make] of Object.entries(TEXT_KINDS)) {
    it(`stays within 3% on ${kind} alone`, async () => {
      const random = seededRandom(kind.length * 7919);
      const lines = Array.from({ length: 1500 }, () => JSON.stringify({ messages: [user(make(random)), assistant(make(random))] }));
      const { sampled, exact } = await totals(lines);
      expect(Math.abs(sampled.stats.tokens.total / exact.stats.tokens.total - 1)).toBeLessThan(0.03);
    }, 60_000);
  }

  it('estimates most examples (the counts differ from cl100k on some lines)', async () => {
    const lines = variedChatLines(12, 2000);
    const counts = async (counter: Awaited<ReturnType<typeof approximateCounter>>) => {
      const doc = new DocumentValidator({ maxSeqLen: 4096, tokenCounter: counter });
      doc.reset(lines);
      return lines.map((_, i) => doc.lineInfo(i + 1)!.tokens);
    };
    const sampled = await counts(await sampledCounter(4096));
    const exact = await counts(await approximateCounter());
    const differing = sampled.filter((n, i) => n !== exact[i]).length;
    expect(differing).toBeGreaterThan(lines.length / 2);
  }, 60_000);

  it('counts examples near max_seq_len exactly, so too_long matches counting every text', async () => {
    // Examples from ~100 to ~700 tokens around a limit of 400: every one whose estimate reaches 200 is recounted.
    const random = seededRandom(5);
    const kinds = Object.values(TEXT_KINDS);
    const lines = Array.from({ length: 600 }, (_, i) => {
      const parts: string[] = [];
      const target = 400 + 2000 * (random() - 0.5);
      while (parts.join(' ').length < target) parts.push(kinds[i % kinds.length](random));
      return JSON.stringify({ messages: [user(`Question ${i}?`), assistant(parts.join(' '))] });
    });
    const { sampled, exact } = await totals(lines, 400);
    const tooLong = (r: typeof sampled) => r.findings.filter((f) => f.code === 'too_long').map((f) => f.line);
    expect(exact.stats.examplesOverMaxSeqLen).toBeGreaterThan(100);
    expect(exact.stats.examplesOverMaxSeqLen).toBeLessThan(500);
    expect(tooLong(sampled)).toEqual(tooLong(exact));
    expect(sampled.stats.tokens.max).toBe(exact.stats.tokens.max);
  }, 60_000);

  it('finds too_long examples that repeat with a fixed period (rows of a fixed width) among estimated ones', async () => {
    // Two ASCII letters then CJK: read at the same place in every period, such text would look all-ASCII.
    const lines: string[] = [];
    for (const period of [5, 7, 11, 13, 26]) {
      const unit = 'ab' + '数据模型训练损失学习率梯度适配器层权重'.repeat(2).slice(0, period - 2);
      for (const repeats of [60, 120, 240]) lines.push(JSON.stringify({ messages: [user('Table?'), assistant(unit.repeat(repeats))] }));
    }
    lines.push(...variedChatLines(13, 300));
    const { sampled, exact } = await totals(lines, 1000);
    const tooLong = (r: typeof sampled) => r.findings.filter((f) => f.code === 'too_long').map((f) => f.line);
    expect(tooLong(exact).length).toBeGreaterThan(3);
    expect(tooLong(sampled)).toEqual(tooLong(exact));
  }, 60_000);
});
