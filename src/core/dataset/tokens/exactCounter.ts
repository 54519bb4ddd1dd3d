// Exact token counts from the base model's own files (a model folder, a tokenizer.json, or the model's folder in
// the local Hugging Face cache): each example is rendered through the model's chat template and counted with its
// tokenizer, as the trainer tokenizes it (modelCounter.ts). A tokenizer we cannot load falls back to the
// approximate counter, with a note that says why.
import { dirname, join } from 'node:path';
import type { TokenCounter } from '../../../contracts/dataset';
import { approximateCounter } from './simpleCounters';
import type { ModelFiles } from './modelCounter';
import type { TokenizerFiles } from './tokenizerFiles';

export async function exactCounter(source: string, tokenizerFiles: TokenizerFiles): Promise<TokenCounter> {
  const fallback = async (why: string): Promise<TokenCounter> => {
    const approx = await approximateCounter();
    return { ...approx, note: `${why} Token counts are approximate.` };
  };
  const file = await tokenizerFiles.find(source);
  if (!file) return fallback(`No tokenizer.json found for "${source}" (looked at the path, the folder, and the local Hugging Face cache).`);
  let files: ModelFiles;
  try {
    files = await readModelFiles(tokenizerFiles, file);
  } catch (error) {
    return fallback(`Could not read the tokenizer files beside ${file}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  // Loaded on demand: the tokenizer and template libraries are not needed by the default counts.
  const { modelCounter } = await import('./modelCounter');
  try {
    return modelCounter(files, source);
  } catch (error) {
    return fallback(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * tokenizer.json and what transformers reads beside it: tokenizer_config.json (special tokens, chat template),
 * chat_template.jinja and additional_chat_templates/*.jinja (which take priority over the config's template),
 * and special_tokens_map.json (used by older configs without added_tokens_decoder).
 */
async function readModelFiles(tokenizerFiles: TokenizerFiles, tokenizerJson: string): Promise<ModelFiles> {
  const folder = dirname(tokenizerJson);
  const optional = (name: string) => tokenizerFiles.readText(join(folder, name));
  const json = async (name: string) => {
    const text = await optional(name);
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  };
  const templateFiles: Record<string, string> = {};
  const main = await optional('chat_template.jinja');
  if (main !== undefined) templateFiles.default = main;
  const extra = (await tokenizerFiles.list(join(folder, 'additional_chat_templates'))).filter((name) => name.endsWith('.jinja'));
  for (const name of extra) templateFiles[name.slice(0, -'.jinja'.length)] = (await optional(join('additional_chat_templates', name)))!;
  const tokenizer = await tokenizerFiles.readText(tokenizerJson);
  if (tokenizer === undefined) throw new Error(`${tokenizerJson} is gone`);
  return {
    tokenizer: JSON.parse(tokenizer) as Record<string, unknown>,
    config: (await json('tokenizer_config.json')) ?? {},
    specialTokensMap: await json('special_tokens_map.json'),
    templateFiles,
  };
}
