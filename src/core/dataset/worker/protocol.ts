// Messages between validateFile and its worker threads.
import type { ScanRange } from '../lineScanner';
import type { RangeSummary } from '../rangeValidator';
import type { TokenizerSpec } from '../../../contracts/dataset';

export interface WorkerRequest {
  path: string;
  range: ScanRange;
  tokenizer: TokenizerSpec;
}

export type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; summary: RangeSummary }
  | { type: 'error'; message: string };
