// Which token counter a `brightrun.validation.tokenizer` setting means. Empty: gpt-tokenizer's cl100k counts on
// every text (approximate; no download; per-line hovers stay stable as lines are edited). Otherwise the model's
// own counts for that model folder / tokenizer.json / cached Hub model: each example rendered through its chat
// template and counted with its tokenizer, as the trainer does; if that cannot be used the counter says why in
// `note` and falls back to approximate counts.
import { approximateCounter, exactCounter } from '../../core/dataset';
import type { TokenCounter } from '../../contracts/dataset';
import { nodeTokenizerFiles } from '../../platform/nodeTokenizerFiles';

export function loadTokenCounter(tokenizer: string): Promise<TokenCounter> {
  return tokenizer === '' ? approximateCounter() : exactCounter(tokenizer, nodeTokenizerFiles);
}
