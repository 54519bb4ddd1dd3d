// Token count of one example as the trainer would see it. A model's own tokenizer renders the example through
// its chat template (modelCounter.ts). The other counters count the texts and add a few tokens around every
// turn (role header and end-of-turn markers: 4 in Llama-3 and ChatML-style templates) and a begin-of-sequence
// token per example: within a few tokens of the real template without needing it.
import type { DatasetFormat } from '../../../contracts/trainerConfig';
import type { ExampleShape } from '../checks/shape';
import type { ChatMessage, PairView } from '../checks/preference';
import { isChatLike } from '../formats';
import type { TokenCounter } from '../../../contracts/dataset';

export const MESSAGE_OVERHEAD_TOKENS = 4;
export const EXAMPLE_OVERHEAD_TOKENS = 1;

export interface ExampleTokens {
  total: number;
  /** Tokens the model is trained to produce (assistant turns with weight != 0, completions, text). */
  trained: number;
}

export function countExampleTokens(format: DatasetFormat, example: Record<string, unknown>, shape: ExampleShape, counter: TokenCounter): ExampleTokens {
  const rendered = counter.countExample?.(format, example);
  if (rendered) return rendered;
  const counted = sumTexts(format, shape, counter.count);
  // An estimating counter counts examples near maxSeqLen again, exactly.
  if (counter.countExact && counter.exactFrom !== undefined && counted.total >= counter.exactFrom) return sumTexts(format, shape, counter.countExact);
  return counted;
}

function sumTexts(format: DatasetFormat, shape: ExampleShape, count: (text: string) => number): ExampleTokens {
  let total = EXAMPLE_OVERHEAD_TOKENS;
  let trained = 0;
  for (let i = 0; i < shape.texts.length; i++) {
    const n = count(shape.texts[i]);
    total += n;
    if (shape.trained[i]) trained += n;
  }
  if (isChatLike(format)) total += MESSAGE_OVERHEAD_TOKENS * shape.turns.length;
  return { total, trained };
}

export interface PairTokens extends ExampleTokens {
  /** The prompt with the chat template around it (the longer side's total less its response). */
  prompt: number;
  chosen: number;
  rejected: number;
}

/**
 * A preference pair is trained as two sequences, the prompt followed by each response; `total` is the longer
 * one (what max_seq_len must hold), `trained` both responses. Each sequence is counted like an openai-chat
 * example of the prompt's turns and that response, so a pair is measured exactly as `too_long` measures chat.
 */
export function countPairTokens(pair: PairView, counter: TokenCounter): PairTokens {
  const chosen = countSide(pair, pair.chosen, pair.chosenTexts, counter);
  const rejected = countSide(pair, pair.rejected, pair.rejectedTexts, counter);
  return {
    total: Math.max(chosen.total, rejected.total),
    trained: chosen.trained + rejected.trained,
    prompt: chosen.total - chosen.trained,
    chosen: chosen.trained,
    rejected: rejected.trained,
  };
}

function countSide(pair: PairView, answer: ChatMessage[], answerTexts: string[], counter: TokenCounter): ExampleTokens {
  // Assistant turns of a multi-turn prompt are context, not trained: weight 0, as the trainer treats them.
  const prompt = pair.prompt.map((m) => (m.role === 'assistant' ? { ...m, weight: 0 } : m));
  const messages = [...prompt, ...answer];
  const rendered = counter.countExample?.('openai-chat', pair.tools ? { messages, tools: pair.tools } : { messages });
  if (rendered) return rendered;
  const shape: ExampleShape = {
    turns: messages.map(() => 'turn'),
    texts: [...pair.promptTexts, ...answerTexts],
    trained: [...pair.promptTexts.map(() => false), ...answerTexts.map(() => true)],
    images: 0,
  };
  const counted = sumTexts('openai-chat', shape, counter.count);
  if (counter.countExact && counter.exactFrom !== undefined && counted.total >= counter.exactFrom) return sumTexts('openai-chat', shape, counter.countExact);
  return counted;
}
