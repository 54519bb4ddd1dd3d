// The validator's public types: what the CLI, the editor and the launch form consume.
// Positions: `line` is 1-based; `column` and `endColumn` are 1-based UTF-16 code-unit offsets into the line's
// text (BOM and line terminator excluded), `endColumn` exclusive — the same units VS Code ranges use.
import type { DatasetFormat } from './trainerConfig';

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOverride = Severity | 'off';

/** A certain fix, expressed on the document so the editor and the CLI can apply it the same way. */
export type Fix =
  { kind: 'deleteLine'; title: string; line: number } | { kind: 'replace'; title: string; line: number; column: number; endColumn: number; text: string };

export interface Finding {
  line: number;
  column: number;
  endColumn: number;
  code: string;
  severity: Severity;
  message: string;
  /** Other lines involved (the first copy of a duplicate, the overlapping validation line...). */
  related?: { line: number; file?: string; message: string }[];
  fixes?: Fix[];
}

export interface TokenStats {
  total: number;
  assistant: number;
  p50: number;
  p95: number;
  max: number;
}

/** Percentiles of a token count over the examples (nearest rank). */
export interface TokenPercentiles {
  p50: number;
  p95: number;
  max: number;
}

/** Statistics of a preference dataset (openai-preference, pairs): its valid pairs. */
export interface PreferenceStats {
  pairs: number;
  /** The prompt with its chat template. */
  promptTokens: TokenPercentiles;
  chosenTokens: TokenPercentiles;
  rejectedTokens: TokenPercentiles;
  /** Share (0..1) of the pairs whose responses differ in length where the chosen one is the longer (length bias). */
  chosenLongerShare: number;
}

export interface DatasetStats {
  format: DatasetFormat | 'unknown';
  examples: number;
  messages: number;
  tokens: TokenStats;
  /** True when counts come from an approximate tokenizer rather than the base model's own. */
  tokensApproximate: boolean;
  tokenizer: string;
  maxSeqLen: number;
  examplesOverMaxSeqLen: number;
  /** Share of tokens that would be padding when batching without packing (0..1). */
  paddingWaste: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Set for the preference formats; `tokens` then counts each pair as its longer sequence, `assistant` both responses. */
  preference?: PreferenceStats;
}

/** Per-line facts the editor shows on hover. */
export interface LineInfo {
  tokens: number;
  /** Turn structure, e.g. ["system", "user", "assistant"]; empty for text/prompt-completion. */
  turns: string[];
}

/** Counts tokens of a piece of text. `approximate` is false only for the base model's own tokenizer. */
export interface TokenCounter {
  /** Shown to the user, e.g. "gpt-tokenizer cl100k (approximate)" or "tokenizer.json of Qwen/Qwen2.5-0.5B". */
  readonly name: string;
  readonly approximate: boolean;
  count(text: string): number;
  /** Set when the requested exact tokenizer could not be used, saying why (shown once to the user). */
  readonly note?: string;
  /** How to build the same counter again in a worker thread. */
  readonly spec: TokenizerSpec;
  /**
   * Set on counters whose `count` estimates most texts (the default): the exact count, used for every example
   * whose counted total reaches `exactFrom` (examples near maxSeqLen, so `too_long` is exact).
   */
  readonly countExact?: (text: string) => number;
  readonly exactFrom?: number;
  /** Set on a model's own tokenizer: the whole example as the trainer tokenizes it (chat template included). */
  readonly countExample?: (format: DatasetFormat, example: Record<string, unknown>) => { total: number; trained: number } | undefined;
}

/**
 * Which token counter to use: a quick estimate; gpt-tokenizer's cl100k on every text (approximate) or on a
 * sample with calibrated estimates elsewhere (sampled, the default); a model's own tokenizer (exact).
 */
export type TokenizerSpec = { kind: 'estimate' } | { kind: 'approximate' } | { kind: 'sampled'; maxSeqLen: number } | { kind: 'exact'; source: string };

/** Lines of a validation file, to report training examples that also appear there (`train_val_overlap`). */
export interface ValidationSet {
  file: string;
  /** Hash of each example's trimmed text (see textHash) -> its 1-based line in the validation file. */
  lineOf: Map<number, number>;
}

export interface ValidateOptions {
  /** Examples longer than this many tokens are reported (`too_long`). */
  maxSeqLen: number;
  /** Default: cl100k (gpt-tokenizer) on a sample, estimated elsewhere (sampledCounter). */
  tokenCounter?: TokenCounter;
  /** Rule code -> severity; 'off' removes the rule's findings. */
  severityOverrides?: Record<string, SeverityOverride>;
  validationSet?: ValidationSet;
  /** Batch size assumed by the padding-waste estimate (default PADDING_BATCH_SIZE). */
  batchSize?: number;
}

export interface FileReport {
  path: string;
  format: DatasetFormat | 'unknown';
  /** At most MAX_FINDINGS_PER_CODE per code and MAX_FINDINGS_PER_FILE in all (see findingLimits.ts). */
  findings: Finding[];
  /** Rule code -> findings of that code left out of `findings` (the statistics count them); {} when none. */
  omitted: Record<string, number>;
  stats: DatasetStats;
}

export interface ValidateProgress {
  bytesRead: number;
  totalBytes: number;
}
