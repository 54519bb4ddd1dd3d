// Which token counter a `brightrun.validation.tokenizer` setting means. Empty: gpt-tokenizer's approximate
// counts (no download). Otherwise the validator's exact counter for that tokenizer.json / model folder / cached
// Hub model; if it cannot be used the counter says why in `note` and falls back to approximate counts.
import { approximateCounter, exactCounter, type TokenCounter } from '../../core/dataset';

export function loadTokenCounter(tokenizer: string): Promise<TokenCounter> {
  return tokenizer === '' ? approximateCounter() : exactCounter(tokenizer);
}
