// The validator's public surface, used by the CLI and the editor. How the pieces fit:
//   analyzeLine        one line on its own: JSON.parse, format detection (formats.ts), the format's rules
//                      (checks/), tokens (tokens/), a hash; findings are placed by locate.ts + jsonLocate.ts
//   validateFile       a file, read through DatasetFiles: lineScanner (chunks, byte offsets) -> rangeValidator
//                      per byte range, on RangeWorkers for large files -> datasetPass (duplicates, formats, overlap,
//                      stats). The ports' Node implementations are in src/platform (nodeDatasetFiles,
//                      validationWorkers, nodeTokenizerFiles); the types every side shares in src/contracts/dataset.
//   DocumentValidator  an open document, incrementally (per-line results + lineTable columns)
//   rules.ts           every rule code, default severity and summary; datasetFindings.ts the dataset-level ones
export { RULES, RULE_CODES, type RuleCode } from './rules';
export { DocumentValidator } from './documentValidator';
export { analyzeLine } from './analyzeLine';
export { detectFormat } from './formats';
export { costPerEpoch, paddingWaste, percentile } from './stats';
export { estimateCounter, approximateCounter } from './tokens/simpleCounters';
export { MESSAGE_OVERHEAD_TOKENS, EXAMPLE_OVERHEAD_TOKENS } from './tokens/exampleTokens';
export { validateFile } from './validateFile';
export { validationSetFromLines, loadValidationSet } from './validationSet';
export { loadTokenCounter, tokenizerSpecFor } from './tokens/loadCounter';
export { sampledCounter } from './tokens/sampledCounter';
export { exactCounter } from './tokens/exactCounter';
export { convertPreference, convertToOpenAiChat, type ConversionResult } from './convert';
