// The validator's public surface, used by the CLI and the editor.
export * from './types';
export { RULES, RULE_CODES, severityOf, type RuleCode, type RuleInfo } from './rules';
export { DocumentValidator } from './documentValidator';
export { analyzeLine, textHash } from './analyzeLine';
export { detectFormat } from './formats';
export { costPerEpoch, paddingWaste, percentile, PADDING_BATCH_SIZE, type EpochCost } from './stats';
export { estimateCounter, approximateCounter } from './tokens/simpleCounters';
export { MESSAGE_OVERHEAD_TOKENS, EXAMPLE_OVERHEAD_TOKENS } from './tokens/exampleTokens';
export { validateFile, MIN_BYTES_PER_WORKER, type ValidateFileOptions } from './validateFile';
export { validationSetFromLines, loadValidationSet } from './validationSet';
export { loadTokenCounter } from './tokens/loadCounter';
export { exactCounter } from './tokens/exactCounter';
export { findTokenizerJson, hubCacheDir } from './tokens/findTokenizer';
export { convertToOpenAiChat, type ConversionResult } from './convert';
