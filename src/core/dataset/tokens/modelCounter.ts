// A model's exact token counts, as python/brightrun_trainer/data/tokenize.py computes them: chat examples are
// rendered through the model's chat template (or the trainer's fallback template) and cut into segments around
// the trained assistant turns, each tokenized without added special tokens; text examples are tokenized with
// them, plus EOS when the tokenizer did not end with it. Tokenization is @huggingface/tokenizers (BPE,
// SentencePiece/Unigram, WordPiece...), or our byte-level BPE where it applies (byteLevelBpe.ts says why).
import { Tokenizer } from '@huggingface/tokenizers';
import type { DatasetFormat } from '../../../contracts/trainerConfig';
import type { TokenCounter } from '../../../contracts/dataset';
import { ByteLevelBpe, UnsupportedTokenizer } from './byteLevelBpe';
import { chatRenderer, TemplateRefused, type ChatTemplates } from './chatTemplate';
import { memoise } from './simpleCounters';
import { trainerExample } from './trainerExample';

export interface ModelFiles {
  tokenizer: Record<string, unknown>;
  /** tokenizer_config.json ({} when absent). */
  config: Record<string, unknown>;
  specialTokensMap?: Record<string, unknown>;
  /** chat_template.jinja as "default", additional_chat_templates/NAME.jinja as NAME. */
  templateFiles: Record<string, string>;
}

const SPECIAL_TOKEN_ATTRIBUTES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;

export function modelCounter(files: ModelFiles, source: string): TokenCounter {
  const library = new Tokenizer(files.tokenizer, files.config);
  const countPlain = memoise(plainCounter(files, library));
  const special = specialTokens(files);
  const eos = typeof special.eos_token === 'string' ? special.eos_token : undefined;
  const eosId = eos === undefined ? undefined : library.token_to_id(eos);
  const renderer = chatRenderer(chatTemplates(files), special, eos);
  const withSpecials = specialTokensAround(library);
  // A text that ends with EOS ends with the EOS token only where EOS is an added token (split off whole).
  const eosIsAdded = ((files.tokenizer.added_tokens ?? []) as { content?: unknown }[]).some((a) => a.content === eos);

  const countExample = (format: DatasetFormat, value: Record<string, unknown>) => {
    const example = trainerExample(format, value);
    if (!example) return undefined;
    if (example.kind === 'text') {
      // tokenize.py: the text with the tokenizer's special tokens, then EOS unless it already ends with EOS.
      const tokens = countPlain(example.text) + withSpecials.count;
      const lastId = withSpecials.lastId ?? (eos !== undefined && eosIsAdded && example.text.endsWith(eos) ? eosId : undefined);
      const total = tokens + (eosId !== undefined && lastId !== eosId ? 1 : 0);
      return { total, trained: total };
    }
    let segments: { text: string; trained: boolean }[];
    try {
      segments = renderer.segments(example.messages, example.tools, example.trainTurns);
    } catch (error) {
      if (error instanceof TemplateRefused) return undefined;
      throw error;
    }
    let total = 0;
    let trained = 0;
    for (const segment of segments) {
      const n = countPlain(segment.text);
      total += n;
      if (segment.trained) trained += n;
    }
    return { total, trained };
  };

  const template = renderer.usesFallback ? "the trainer's fallback chat template (the model has none)" : 'its chat template';
  return {
    name: `${source}: the model's tokenizer and ${template} (exact)`,
    approximate: false,
    spec: { kind: 'exact', source },
    count: countPlain,
    countExample,
  };
}

/**
 * Tokens of a text without added special tokens. Our byte-level BPE when it reproduces this tokenizer (it throws
 * UnsupportedTokenizer otherwise) and no added token strips spaces around itself; else the library.
 */
function plainCounter(files: ModelFiles, library: Tokenizer): (text: string) => number {
  const added = (files.tokenizer.added_tokens ?? []) as {
    lstrip?: boolean;
    rstrip?: boolean;
    single_word?: boolean;
    normalized?: boolean;
    special?: boolean;
  }[];
  const hasNormalizer = files.tokenizer.normalizer !== null && files.tokenizer.normalizer !== undefined;
  const plainAdded = added.every((a) => !a.lstrip && !a.rstrip && !a.single_word && !(a.normalized && hasNormalizer));
  if (plainAdded) {
    try {
      const bpe = new ByteLevelBpe(files.tokenizer);
      return (text) => bpe.count(text);
    } catch (error) {
      if (!(error instanceof UnsupportedTokenizer)) throw error;
    }
  }
  return (text) => library.encode(text, { add_special_tokens: false }).ids.length;
}

/**
 * What the tokenizer's post-processor adds to one text with add_special_tokens (e.g. BOS before it): how many
 * tokens, and the id it appends last when it appends any (undefined: the text's own last token stays last).
 */
function specialTokensAround(library: Tokenizer): { count: number; lastId: number | undefined } {
  const plain = library.encode('a', { add_special_tokens: false }).ids;
  const full = library.encode('a', { add_special_tokens: true }).ids;
  const appended = full.length > 0 && (plain.length === 0 || full[full.length - 1] !== plain[plain.length - 1]);
  return { count: full.length - plain.length, lastId: appended ? full[full.length - 1] : undefined };
}

/** transformers' special_tokens_map as the trainer's load_tokenizer leaves it (pad defaults to EOS). */
function specialTokens(files: ModelFiles): Record<string, unknown> {
  const content = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
    return undefined;
  };
  const sources = [files.config];
  // Older configs without added_tokens_decoder take their special tokens from special_tokens_map.json.
  if (!('added_tokens_decoder' in files.config) && files.specialTokensMap) sources.push(files.specialTokensMap);
  const out: Record<string, unknown> = {};
  const additional: string[] = [];
  for (const src of sources) {
    for (const key of SPECIAL_TOKEN_ATTRIBUTES) {
      const value = content(src[key]);
      if (value) out[key] = value;
    }
    for (const token of (Array.isArray(src.additional_special_tokens) ? src.additional_special_tokens : []) as unknown[]) {
      const value = content(token);
      if (value && !additional.includes(value)) additional.push(value);
    }
  }
  if (additional.length > 0) out.additional_special_tokens = additional;
  if (out.pad_token === undefined && out.eos_token !== undefined) out.pad_token = out.eos_token;
  return out;
}

/** transformers' order: template files beside the tokenizer first, then tokenizer_config.json's chat_template. */
function chatTemplates(files: ModelFiles): ChatTemplates {
  const names = Object.keys(files.templateFiles);
  if (names.length === 1 && names[0] === 'default') return files.templateFiles.default;
  if (names.length > 0) return files.templateFiles;
  const template = files.config.chat_template;
  if (typeof template === 'string') return template;
  if (Array.isArray(template)) {
    return Object.fromEntries(
      template
        .filter((t) => typeof t?.name === 'string' && typeof t?.template === 'string')
        .map((t: { name: string; template: string }) => [t.name, t.template]),
    );
  }
  return undefined;
}
