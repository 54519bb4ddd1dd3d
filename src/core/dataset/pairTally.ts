// The dataset-level checks and statistics of a preference file, fed pair by pair in file order by both
// validators (the file validator's DatasetPass and the incremental DocumentValidator): pairs that say the same
// thing as an earlier one (duplicate_pair), the length bias between chosen and rejected (length_bias), and the
// prompt and response token percentiles.
import type { PairFacts } from './analyzeLine';
import { duplicatePairFinding, lengthBiasFinding } from './datasetFindings';
import type { FindingCollector } from './findingLimits';
import { percentile } from './stats';
import type { PreferenceStats, TokenPercentiles } from '../../contracts/dataset';

/**
 * length_bias is reported when the chosen response is the longer one in more than this share of the pairs, or
 * in less than 1 - it. DPO raises the likelihood margin of chosen over rejected, and a longer response can widen
 * that margin by length alone: where length predicts the label in 4 pairs out of 5, the model is known to learn
 * "longer is better" instead of the quality difference (Park et al. 2024, "Disentangling Length from Quality in
 * Direct Preference Optimization"; Singhal et al. 2023, "A Long Way to Go: Investigating Length Correlations
 * in RLHF"). A deliberate, well-understood preference for concise (or thorough) answers can switch it off.
 */
export const LENGTH_BIAS_SHARE = 0.8;
/**
 * Fewer pairs (of unequal length) than this say nothing about bias: with no bias at all, 17 or more of 20 pairs
 * fall on one side 0.26% of the time, but 9 or more of 10 already 2%.
 */
export const LENGTH_BIAS_MIN_PAIRS = 20;

interface FirstPair {
  line: number;
  key2: number;
  textId: number;
}

export class PairTally {
  private readonly firstByKey = new Map<number, FirstPair>();
  private readonly prompt: number[] = [];
  private readonly chosen: number[] = [];
  private readonly rejected: number[] = [];
  private chosenLonger = 0;
  private unequal = 0;
  private firstLine: { line: number; length: number } | undefined;

  constructor(private readonly collector: FindingCollector) {}

  /**
   * `textId` stands for the line's text (its hash, or its group of identical lines): an exact copy of the first
   * pair is duplicate_example's, not reported again.
   */
  add(line: number, length: number, pair: PairFacts, textId: number): void {
    this.firstLine ??= { line, length };
    this.prompt.push(pair.promptTokens);
    this.chosen.push(pair.chosenTokens);
    this.rejected.push(pair.rejectedTokens);
    if (pair.chosenTokens !== pair.rejectedTokens) {
      this.unequal++;
      if (pair.chosenTokens > pair.rejectedTokens) this.chosenLonger++;
    }
    const first = this.firstByKey.get(pair.key1);
    if (first === undefined) this.firstByKey.set(pair.key1, { line, key2: pair.key2, textId });
    else if (first.key2 === pair.key2 && first.textId !== textId) {
      this.collector.addLazily('duplicate_pair', line, () => duplicatePairFinding(line, first.line, length));
    }
  }

  /** The length_bias finding, once the whole file is seen. */
  finish(): void {
    if (!this.firstLine || this.unequal < LENGTH_BIAS_MIN_PAIRS) return;
    const share = this.chosenLonger / this.unequal;
    if (share > LENGTH_BIAS_SHARE || share < 1 - LENGTH_BIAS_SHARE) {
      this.collector.add(lengthBiasFinding(this.firstLine.line, this.firstLine.length, share, this.unequal, LENGTH_BIAS_SHARE));
    }
  }

  stats(): PreferenceStats {
    return {
      pairs: this.prompt.length,
      promptTokens: percentiles(this.prompt),
      chosenTokens: percentiles(this.chosen),
      rejectedTokens: percentiles(this.rejected),
      chosenLongerShare: this.unequal === 0 ? 0 : this.chosenLonger / this.unequal,
    };
  }
}

function percentiles(values: readonly number[]): TokenPercentiles {
  const sorted = Int32Array.from(values).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.length ? sorted[sorted.length - 1] : 0 };
}
