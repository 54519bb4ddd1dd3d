// Runs one worker thread per byte range and collects their summaries in range order.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanRange } from '../lineScanner';
import type { RangeSummary } from '../rangeValidator';
import type { TokenizerSpec } from '../../../contracts/dataset';
import type { WorkerMessage, WorkerRequest } from './protocol';

declare const __dirname: string | undefined;

/**
 * The worker script: dist/validateWorker.js next to the running bundle (the CLI and the extension are both
 * bundled into dist/). Undefined when running from the sources: validation then stays on one thread.
 */
export function defaultWorkerScript(): { file: string; execArgv: string[] } | undefined {
  const here = typeof __dirname === 'string' ? __dirname : '';
  const bundled = join(here, 'validateWorker.js');
  return here && existsSync(bundled) ? { file: bundled, execArgv: [] } : undefined;
}

export function runWorkers(
  script: { file: string; execArgv: string[] },
  path: string,
  ranges: ScanRange[],
  tokenizer: TokenizerSpec,
  onBytes: (bytesSoFar: number) => void,
  /** Stops every worker and rejects with the signal's reason (a time budget ran out). */
  signal?: AbortSignal,
): Promise<RangeSummary[]> {
  const progress = ranges.map(() => 0);
  const workers: Worker[] = [];
  const jobs = ranges.map(
    (range, i) =>
      new Promise<RangeSummary>((resolve, reject) => {
        // A larger young generation than the default: validation allocates many short-lived strings and
        // objects per line, and fewer scavenges measurably speed the workers up.
        const worker = new Worker(script.file, {
          workerData: { path, range, tokenizer } satisfies WorkerRequest,
          execArgv: script.execArgv,
          resourceLimits: { maxYoungGenerationSizeMb: 64 },
        });
        workers.push(worker);
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'progress') {
            progress[i] = message.bytes;
            onBytes(progress.reduce((a, b) => a + b, 0));
          } else if (message.type === 'done') {
            progress[i] = range.end - range.start;
            onBytes(progress.reduce((a, b) => a + b, 0));
            resolve(message.summary);
          } else reject(new Error(message.message));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`validation worker exited with code ${code}`));
        });
      }),
  );
  const stopped = new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  return Promise.race([Promise.all(jobs), stopped]).finally(() => {
    for (const w of workers) void w.terminate();
  });
}
