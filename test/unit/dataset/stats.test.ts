// Statistics: percentiles, padding waste, per-format token counting, the cost of an epoch; and conversion.
import { describe, expect, it } from 'vitest';
import { convertToOpenAiChat, costPerEpoch, paddingWaste, percentile, MESSAGE_OVERHEAD_TOKENS, EXAMPLE_OVERHEAD_TOKENS } from '../../../src/core/dataset';
import { assistant, chat, user, validateLines } from './helpers';

describe('statistics', () => {
  it('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile([], 50)).toBe(0);
  });

  it('padding waste pads each batch to its longest example, truncated at maxSeqLen', () => {
    expect(paddingWaste([10, 10, 10, 10], 100, 2)).toBe(0);
    expect(paddingWaste([10, 30], 100, 2)).toBeCloseTo(20 / 60);
    expect(paddingWaste([10, 300], 100, 2)).toBeCloseTo(90 / 200);
  });

  it('chat examples count content plus a documented overhead per message', () => {
    const { validator } = validateLines([chat(user('abcdefgh'), assistant('abcd'))]);
    const stats = validator.stats();
    // estimate counter: 4 characters per token.
    expect(stats.tokens.total).toBe(2 + 1 + 2 * MESSAGE_OVERHEAD_TOKENS + EXAMPLE_OVERHEAD_TOKENS);
    expect(stats.tokens.assistant).toBe(1);
    expect(stats.messages).toBe(2);
    expect(stats.tokensApproximate).toBe(true);
  });

  it('assistant turns with weight 0 are not trained on', () => {
    const { validator } = validateLines([chat(user('a'), { ...assistant('abcdefgh'), weight: 0 }, user('b'), assistant('abcd'))]);
    expect(validator.stats().tokens.assistant).toBe(1);
  });

  it('prices an epoch', () => {
    const { validator } = validateLines([chat(user('a'.repeat(4000)), assistant('b'))]);
    const cost = costPerEpoch(validator.stats(), 10);
    expect(cost.tokens).toBe(validator.stats().tokens.total);
    expect(cost.dollars).toBeCloseTo((cost.tokens / 1e6) * 10);
    expect(cost.line).toMatch(/^1 epoch = 1\d{3} tokens ≈ \$0\.01\d* at \$10\/1M tokens \(approximate token counts\)$/);
  });
});

describe('conversion to openai-chat', () => {
  it('converts each format and reports what it cannot convert', () => {
    const result = convertToOpenAiChat([
      JSON.stringify({
        conversations: [
          { from: 'system', value: 's' },
          { from: 'human', value: 'q' },
          { from: 'gpt', value: 'a' },
        ],
      }),
      JSON.stringify({ instruction: 'do', input: 'this', output: 'done', history: [['h1', 'r1']] }),
      JSON.stringify({ prompt: 'p', completion: 'c' }),
      '',
      JSON.stringify({ text: 'plain' }),
      '{bad',
    ]);
    expect(result.lines.map((l) => JSON.parse(l))).toEqual([
      {
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a' },
        ],
      },
      {
        messages: [
          { role: 'user', content: 'h1' },
          { role: 'assistant', content: 'r1' },
          { role: 'user', content: 'do\n\nthis' },
          { role: 'assistant', content: 'done' },
        ],
      },
      {
        messages: [
          { role: 'user', content: 'p' },
          { role: 'assistant', content: 'c' },
        ],
      },
    ]);
    expect(result.skipped).toEqual([
      { line: 5, reason: expect.stringMatching(/plain text/) },
      { line: 6, reason: 'not valid JSON' },
    ]);
    expect(result.sourceFormats).toEqual(['sharegpt', 'alpaca', 'prompt-completion', 'text']);
    expect(validateLines(result.lines).findings).toEqual([]);
  });
});
