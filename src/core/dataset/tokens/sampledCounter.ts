// The default token counter: cl100k (gpt-tokenizer) on a sample of the texts, a calibrated estimate on the
// rest, and cl100k on every text of an example whose count comes near maxSeqLen (so `too_long` is exact).
// Counting every text with cl100k made validation run at about a quarter of the speed of merely parsing the
// file; the estimate reads the characters (one in several on long texts) once (scriptEstimate.ts).
//
// The estimate's fixed weights are corrected by the ratio of exact to estimated tokens over the sampled texts
// (a ratio estimator: the sample is an unbiased pick of texts, so the corrected total converges on the exact
// one whatever the mix of languages and code in the file). Texts repeated across examples (system prompts) are
// counted exactly once and then taken from a memo. The totals stay within 3% of counting every text
// (test/unit/dataset/tokenSampling.test.ts; bench/validate prints the error on its own data).
import type { TokenCounter } from '../../../contracts/dataset';
import { estimateTokens } from './scriptEstimate';
import { cl100kCount, MEMO_MIN_LENGTH } from './simpleCounters';
import { seededRandom } from '../../seededRandom';

/**
 * Share of texts counted exactly, chosen by a seeded generator (a fixed stride could always hit the same turn).
 * gpt-tokenizer counts ~3 MB/s, some 300 times slower than the estimate: 1/32 of the texts took as long as all
 * the rules, 1/256 still 0.3 s of CPU on 200 MB. So the share is high only until SAMPLE_TARGET texts are sampled
 * (enough for the correction to settle within ~1%; ~60 ms of counting), then drops to LATE_SAMPLE_SHARE.
 */
export const SAMPLE_SHARE = 1 / 16;
export const SAMPLE_TARGET = 1000;
export const LATE_SAMPLE_SHARE = 1 / 4096;
/** The first characters are all counted exactly: small files get exact counts and the calibration a start. */
export const WARMUP_CHARS = 16_384;
/**
 * Examples whose counted total reaches this share of maxSeqLen are counted exactly. On texts of 20+ tokens the
 * estimate stays within about 0.6x-1.5x of cl100k (bench/validate/calibrate.mjs prints the worst per kind of
 * text), and examples near maxSeqLen are long enough to be read at hundreds of places, so an example estimated
 * under half of maxSeqLen is not over it.
 */
export const EXACT_FROM_SHARE = 0.5;
/** Pseudo-counts for the correction ratio before the sample has grown: start at 1, the fitted weights. */
const PRIOR_TOKENS = 256;
const MEMO_LIMIT = 20_000;

export async function sampledCounter(maxSeqLen: number): Promise<TokenCounter> {
  const exact = await cl100kCount();
  let memo = new Map<string, number>();
  // Looking a text up in the memo hashes all of it, which costs as much as estimating it: only texts whose
  // quick key (length and three characters) matches one of the memo's are looked up.
  let memoKeys = new Set<number>();
  let exactChars = 0;
  let sampledExact = PRIOR_TOKENS;
  let sampledEstimate = PRIOR_TOKENS;
  let sampled = 0;
  const random = seededRandom(0x5eed);

  const countExact = (text: string): number => {
    if (text.length < MEMO_MIN_LENGTH) return exact(text);
    const known = memo.get(text);
    if (known !== undefined) return known;
    const n = exact(text);
    if (memo.size >= MEMO_LIMIT) {
      memo = new Map();
      memoKeys = new Set();
    }
    memo.set(text, n);
    memoKeys.add(quickKey(text));
    return n;
  };

  const count = (text: string): number => {
    if (text.length === 0) return 0;
    if (text.length >= MEMO_MIN_LENGTH && memoKeys.has(quickKey(text))) {
      const known = memo.get(text);
      if (known !== undefined) return known;
    }
    const estimate = estimateTokens(text);
    if (exactChars < WARMUP_CHARS || random() < (sampled < SAMPLE_TARGET ? SAMPLE_SHARE : LATE_SAMPLE_SHARE)) {
      const n = countExact(text);
      sampled++;
      exactChars += text.length;
      sampledExact += n;
      sampledEstimate += estimate;
      return n;
    }
    return Math.max(1, Math.round((estimate * sampledExact) / sampledEstimate));
  };

  return {
    name: `cl100k (gpt-tokenizer) on a sample of texts and on examples near max_seq_len ${maxSeqLen}, estimated from characters elsewhere (approximate)`,
    approximate: true,
    spec: { kind: 'sampled', maxSeqLen },
    count,
    countExact,
    exactFrom: Math.floor(maxSeqLen * EXACT_FROM_SHARE),
  };
}

function quickKey(text: string): number {
  const n = text.length;
  return (Math.imul(n, 0x9e3779b1) ^ (text.charCodeAt(n >> 1) << 16) ^ (text.charCodeAt(n - 1) << 8) ^ text.charCodeAt(n >> 2)) | 0;
}
