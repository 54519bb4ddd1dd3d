// Validation of a file's byte ranges off the calling thread, behind an interface so src/core stays free of threads
// (src/platform/validationWorkers.ts runs each range on a worker thread). A worker runs validateRange itself, so
// what comes back is exactly what the calling thread would have computed.
import type { TokenizerSpec } from '../../contracts/dataset';
import type { ScanRange } from './lineScanner';
import type { RangeSummary } from './rangeValidator';

export interface RangeWorkers {
  /**
   * One summary per range, in range order. `onBytes` gets the bytes validated so far over all ranges. Rejects
   * when a worker fails, and with the signal's reason (every worker stopped) when `signal` aborts.
   */
  validate(path: string, ranges: ScanRange[], tokenizer: TokenizerSpec, onBytes: (bytesSoFar: number) => void, signal?: AbortSignal): Promise<RangeSummary[]>;
}
