// Token count of one example as the trainer would see it. Chat-like formats are rendered through a chat
// template, which adds a few tokens around every turn (role header and end-of-turn markers: 4 in Llama-3 and
// ChatML-style templates); every example also gets a begin-of-sequence token. These constants keep the count
// within a few tokens of the real template without needing it.
import type { DatasetFormat } from '../../config/trainerConfig';
import type { ExampleShape } from '../checks/shape';
import { isChatLike } from '../formats';
import type { TokenCounter } from '../types';

export const MESSAGE_OVERHEAD_TOKENS = 4;
export const EXAMPLE_OVERHEAD_TOKENS = 1;

export interface ExampleTokens {
  total: number;
  /** Tokens the model is trained to produce (assistant turns with weight != 0, completions, text). */
  trained: number;
}

export function countExampleTokens(format: DatasetFormat, shape: ExampleShape, counter: TokenCounter): ExampleTokens {
  let total = EXAMPLE_OVERHEAD_TOKENS;
  let trained = 0;
  for (let i = 0; i < shape.texts.length; i++) {
    const n = counter.count(shape.texts[i]);
    total += n;
    if (shape.trained[i]) trained += n;
  }
  if (isChatLike(format)) total += MESSAGE_OVERHEAD_TOKENS * shape.turns.length;
  return { total, trained };
}
