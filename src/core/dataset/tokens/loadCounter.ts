// Builds the token counter a TokenizerSpec names. The same function runs in worker threads, which is why
// counters are described by a serialisable spec rather than passed around as objects.
import type { TokenCounter, TokenizerSpec } from '../types';
import { approximateCounter, estimateCounter } from './simpleCounters';
import { exactCounter } from './exactCounter';

export async function loadTokenCounter(spec: TokenizerSpec): Promise<TokenCounter> {
  switch (spec.kind) {
    case 'estimate':
      return estimateCounter();
    case 'approximate':
      return approximateCounter();
    case 'exact':
      return exactCounter(spec.source);
  }
}
