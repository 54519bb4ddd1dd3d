// Exact token counts from the base model's own tokenizer.json (found from a path, a model folder, or the
// model's folder in the local Hugging Face cache). Tokenizers we cannot reproduce exactly fall back to the
// approximate counter, with a note that says why.
import { readFile } from 'node:fs/promises';
import type { TokenCounter } from '../types';
import { approximateCounter, memoise } from './simpleCounters';
import { ByteLevelBpe, UnsupportedTokenizer } from './byteLevelBpe';
import { findTokenizerJson } from './findTokenizer';

export async function exactCounter(source: string): Promise<TokenCounter> {
  const fallback = async (why: string): Promise<TokenCounter> => {
    const approx = await approximateCounter();
    return { ...approx, note: `${why} Token counts are approximate.` };
  };
  const file = await findTokenizerJson(source);
  if (!file) return fallback(`No tokenizer.json found for "${source}" (looked at the path, the folder, and the local Hugging Face cache).`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return fallback(`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  try {
    const bpe = new ByteLevelBpe(json);
    return {
      name: `tokenizer.json (${source})`,
      approximate: false,
      spec: { kind: 'exact', source },
      count: memoise((text) => bpe.count(text)),
    };
  } catch (error) {
    if (error instanceof UnsupportedTokenizer) return fallback(`${file}: ${error.message}`);
    throw error;
  }
}
