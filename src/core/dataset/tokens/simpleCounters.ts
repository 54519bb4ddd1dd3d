// The counters that need no model files: a quick length-based estimate, and gpt-tokenizer's cl100k BPE (close
// to what modern LLM tokenizers produce) on every text. Both are labelled as not exact. The default, cl100k on
// a sample with calibrated estimates elsewhere, is in sampledCounter.ts.
import type { TokenCounter } from '../../../contracts/dataset';

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
 * gpt-tokenizer (cl100k_base) on every text, loaded lazily: its tables take ~100 ms to load, which must not
 * happen at editor start-up. Counts are memoised per text because real datasets repeat the same system prompt
 * in every example; the memo is bounded so a large file cannot grow it without limit.
 */
export async function approximateCounter(): Promise<TokenCounter> {
  return { name: 'gpt-tokenizer cl100k (approximate)', approximate: true, spec: { kind: 'approximate' }, count: memoise(await cl100kCount()) };
}

/**
 * Pre-tokens longer than this are counted in pieces of this length. gpt-tokenizer merges a pre-token in time
 * quadratic in its length: one unbroken run of 32k letters, spaces or symbols took 1.8-3.1 s here and 200k
 * would take minutes, while in 256-character pieces 200k letters take well under a second. A cut changes the
 * count by at most a token or two per piece (exact when the run repeats a multiple of the merged token).
 */
export const MAX_PRE_TOKEN = 256;

/** The runs gpt-tokenizer's cl100k pattern can make into one pre-token of unbounded length. */
const LONG_RUN = new RegExp(`\\p{L}{${MAX_PRE_TOKEN + 1},}|\\s{${MAX_PRE_TOKEN + 1},}|[^\\s\\p{L}\\p{N}]{${MAX_PRE_TOKEN + 1},}`, 'gu');

/** cl100k counts, with special-token text counted as plain text and long runs counted in bounded pieces. */
export async function cl100kCount(): Promise<(text: string) => number> {
  const { countTokens } = await import('gpt-tokenizer/encoding/cl100k_base');
  // Text such as "<|endoftext|>" in a dataset is data for another model's tokenizer: count it as plain text
  // (gpt-tokenizer would otherwise throw on OpenAI's own special tokens).
  const plain = { disallowedSpecial: new Set<string>() };
  const count = (text: string) => countTokens(text, plain);
  return (text) => (text.length <= MAX_PRE_TOKEN ? count(text) : countBounded(text, count));
}

function countBounded(text: string, count: (text: string) => number): number {
  let n = 0;
  let last = 0;
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(text); m; m = LONG_RUN.exec(text)) {
    if (m.index > last) n += count(text.slice(last, m.index));
    const end = m.index + m[0].length;
    for (let start = m.index; start < end;) {
      let stop = Math.min(end, start + MAX_PRE_TOKEN);
      // Never cut a surrogate pair in two.
      if (stop < end && isHighSurrogate(text.charCodeAt(stop - 1))) stop++;
      n += count(text.slice(start, stop));
      start = stop;
    }
    last = end;
  }
  if (last < text.length) n += count(text.slice(last));
  return n;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

const MEMO_LIMIT = 20_000;
/** Only texts at least this long are memoised; shorter ones are cheaper to count than to hash and store. */
export const MEMO_MIN_LENGTH = 64;

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
