// Builds the token counter a TokenizerSpec names, and the spec a user's `--tokenizer` / setting value means.
// The same function runs in worker threads, which is why counters are described by a serialisable spec rather
// than passed around as objects.
import type { TokenCounter, TokenizerSpec } from '../../../contracts/dataset';
import { approximateCounter, estimateCounter } from './simpleCounters';
import { sampledCounter } from './sampledCounter';
import { exactCounter } from './exactCounter';
import type { TokenizerFiles } from './tokenizerFiles';

export async function loadTokenCounter(spec: TokenizerSpec, files: TokenizerFiles): Promise<TokenCounter> {
  switch (spec.kind) {
    case 'estimate':
      return estimateCounter();
    case 'approximate':
      return approximateCounter();
    case 'sampled':
      return sampledCounter(spec.maxSeqLen);
    case 'exact':
      return exactCounter(spec.source, files);
  }
}

/**
 * What a tokenizer setting means: "" or "default": cl100k on a sample, estimated elsewhere (the default);
 * "cl100k": cl100k on every text (slower); "estimate": ~4 characters per token (fastest); anything else: a
 * tokenizer.json, a model folder or a model id in the local Hugging Face cache, for the model's exact counts.
 */
export function tokenizerSpecFor(setting: string, maxSeqLen: number): TokenizerSpec {
  const value = setting.trim();
  if (value === '' || value === 'default' || value === 'approximate') return { kind: 'sampled', maxSeqLen };
  if (value === 'cl100k') return { kind: 'approximate' };
  if (value === 'estimate') return { kind: 'estimate' };
  return { kind: 'exact', source: value };
}
