// Dataset statistics from the per-example token counts: percentiles, padding waste, and the cost of an epoch.
import type { DatasetStats, PreferenceStats, TokenPercentiles, TokenStats } from '../../contracts/dataset';

/** Batch size assumed by the padding-waste estimate when the caller does not give one. */
export const PADDING_BATCH_SIZE = 8;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function tokenStats(lengths: ArrayLike<number>, trainedTotal: number): TokenStats {
  const sorted = Float64Array.from(lengths).sort();
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i];
  return { total, assistant: trainedTotal, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.length ? sorted[sorted.length - 1] : 0 };
}

/**
 * Share of the tokens in padded batches that would be padding when examples are batched in file order without
 * packing: each batch is padded to its longest example, and examples longer than maxSeqLen are truncated to it.
 */
export function paddingWaste(lengths: ArrayLike<number>, maxSeqLen: number, batchSize = PADDING_BATCH_SIZE): number {
  let padded = 0;
  let real = 0;
  for (let start = 0; start < lengths.length; start += batchSize) {
    const end = Math.min(lengths.length, start + batchSize);
    let longest = 0;
    for (let i = start; i < end; i++) {
      const n = Math.min(lengths[i], maxSeqLen);
      real += n;
      if (n > longest) longest = n;
    }
    padded += longest * (end - start);
  }
  return padded === 0 ? 0 : (padded - real) / padded;
}

export interface EpochCost {
  tokens: number;
  dollars: number;
  /** e.g. "1 epoch = 1.23M tokens ≈ $0.0123 at $0.01/1M tokens (approximate token counts)". */
  line: string;
}

/** What one pass over the training set costs at a price per million tokens (training APIs price this way). */
export function costPerEpoch(stats: DatasetStats, dollarsPerMillionTokens: number): EpochCost {
  const tokens = stats.tokens.total;
  const dollars = (tokens / 1e6) * dollarsPerMillionTokens;
  const approx = stats.tokensApproximate ? ' (approximate token counts)' : '';
  return { tokens, dollars, line: `1 epoch = ${formatTokens(tokens)} tokens ≈ $${formatDollars(dollars)} at $${dollarsPerMillionTokens}/1M tokens${approx}` };
}

export function formatTokens(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function formatDollars(d: number): string {
  return d >= 100 ? d.toFixed(0) : d >= 1 ? d.toFixed(2) : d.toPrecision(2);
}

/**
 * Example lengths as a multiset that supports removal, for the incremental validator: percentiles come from
 * the few distinct lengths instead of sorting every example after each edit.
 */
export class LengthHistogram {
  private readonly counts = new Map<number, number>();
  private n = 0;
  private sum = 0;
  private sortedKeys: number[] | undefined;

  add(length: number): void {
    const c = this.counts.get(length);
    this.counts.set(length, (c ?? 0) + 1);
    if (c === undefined) this.sortedKeys = undefined;
    this.n++;
    this.sum += length;
  }

  remove(length: number): void {
    const c = this.counts.get(length);
    if (c === undefined) return;
    if (c === 1) {
      this.counts.delete(length);
      this.sortedKeys = undefined;
    } else this.counts.set(length, c - 1);
    this.n--;
    this.sum -= length;
  }

  /** Same nearest-rank definition as percentile(). */
  percentile(p: number): number {
    if (this.n === 0) return 0;
    this.sortedKeys ??= [...this.counts.keys()].sort((a, b) => a - b);
    const rank = Math.min(this.n, Math.max(1, Math.ceil((p / 100) * this.n)));
    let seen = 0;
    for (const key of this.sortedKeys) {
      seen += this.counts.get(key)!;
      if (seen >= rank) return key;
    }
    return this.sortedKeys[this.sortedKeys.length - 1];
  }

  stats(trained: number): TokenStats {
    return { total: this.sum, assistant: trained, p50: this.percentile(50), p95: this.percentile(95), max: this.percentile(100) };
  }
}

/** "300 pairs; tokens per prompt p50 40 / p95 80 / max 120, chosen ..., rejected ...; chosen longer in 52% of pairs". */
export function preferenceLine(p: PreferenceStats): string {
  const pct = (t: TokenPercentiles) => `p50 ${t.p50} / p95 ${t.p95} / max ${t.max}`;
  return `${p.pairs} pairs; tokens per prompt ${pct(p.promptTokens)}, chosen ${pct(p.chosenTokens)}, rejected ${pct(p.rejectedTokens)}; chosen longer in ${Math.round(100 * p.chosenLongerShare)}% of pairs`;
}
