// Messages between the validation worker threads (validateWorker.ts) and the thread that starts them
// (validationWorkers.ts).
import type { ScanRange } from '../core/dataset/lineScanner';
import type { RangeSummary } from '../core/dataset/rangeValidator';
import type { TokenizerSpec } from '../contracts/dataset';

export interface WorkerRequest {
  path: string;
  range: ScanRange;
  tokenizer: TokenizerSpec;
}

export type WorkerMessage = { type: 'progress'; bytes: number } | { type: 'done'; summary: RangeSummary } | { type: 'error'; message: string };
