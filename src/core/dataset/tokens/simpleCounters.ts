// The two counters that need no model files: a quick length-based estimate (for very large files, where even
// an approximate BPE costs more than the rest of validation), and gpt-tokenizer's cl100k BPE, which is close
// to what modern LLM tokenizers produce and is the default. Both are labelled as not exact.
import type { TokenCounter } from '../types';

/** About 4 characters per token for English text: the usual rule of thumb, within ~20% on prose. */
export const ESTIMATE_CHARS_PER_TOKEN = 4;

export function estimateCounter(): TokenCounter {
  return {
    name: `estimate (~${ESTIMATE_CHARS_PER_TOKEN} characters per token)`,
    approximate: true,
    spec: { kind: 'estimate' },
    count: (text) => Math.ceil(text.length / ESTIMATE_CHARS_PER_TOKEN),
  };
}

/**
 * gpt-tokenizer (cl100k_base), loaded lazily: its tables take ~100 ms to load, which must not happen at
 * editor start-up. Counts are memoised per text because real datasets repeat the same system prompt in every
 * example; the memo is bounded so a large file cannot grow it without limit.
 */
export async function approximateCounter(): Promise<TokenCounter> {
  const { countTokens } = await import('gpt-tokenizer/encoding/cl100k_base');
  // Text such as "<|endoftext|>" in a dataset is data for another model's tokenizer: count it as plain text
  // (gpt-tokenizer would otherwise throw on OpenAI's own special tokens).
  const plain = { disallowedSpecial: new Set<string>() };
  return {
    name: 'gpt-tokenizer cl100k (approximate)',
    approximate: true,
    spec: { kind: 'approximate' },
    count: memoise((text) => countTokens(text, plain)),
  };
}

const MEMO_LIMIT = 20_000;
/** Only texts at least this long are memoised; shorter ones are cheaper to count than to hash and store. */
const MEMO_MIN_LENGTH = 64;

export function memoise(count: (text: string) => number): (text: string) => number {
  let memo = new Map<string, number>();
  return (text) => {
    if (text.length < MEMO_MIN_LENGTH) return count(text);
    const known = memo.get(text);
    if (known !== undefined) return known;
    const n = count(text);
    if (memo.size >= MEMO_LIMIT) memo = new Map();
    memo.set(text, n);
    return n;
  };
}
