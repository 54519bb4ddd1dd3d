// Validates byte ranges of a file on worker threads, one thread per range, and collects their summaries in
// range order: the RangeWorkers that validateFile and the background summary use off the calling thread.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanRange } from '../core/dataset/lineScanner';
import type { RangeSummary } from '../core/dataset/rangeValidator';
import type { RangeWorkers } from '../core/dataset/rangeWorkers';
import type { TokenizerSpec } from '../contracts/dataset';
import type { WorkerMessage, WorkerRequest } from './validationWorkerProtocol';

declare const __dirname: string | undefined;

/** The worker thread's script (a bundle of validateWorker.ts) and the Node options to start it with. */
export interface WorkerScript {
  file: string;
  execArgv: string[];
}

/**
 * The worker script: dist/validateWorker.js next to the running bundle (the CLI and the extension are both
 * bundled into dist/). Undefined when running from the sources: validation then stays on one thread.
 */
export function defaultWorkerScript(): WorkerScript | undefined {
  const here = typeof __dirname === 'string' ? __dirname : '';
  const bundled = join(here, 'validateWorker.js');
  return here && existsSync(bundled) ? { file: bundled, execArgv: [] } : undefined;
}

/** Worker threads running `script`. */
export function validationWorkers(script: WorkerScript): RangeWorkers {
  return { validate: (path, ranges, tokenizer, onBytes, signal) => runWorkers(script, path, ranges, tokenizer, onBytes, signal) };
}

/** Worker threads running the bundled worker next to this bundle; undefined when running from the sources. */
export function bundledValidationWorkers(): RangeWorkers | undefined {
  const script = defaultWorkerScript();
  return script && validationWorkers(script);
}

function runWorkers(
  script: WorkerScript,
  path: string,
  ranges: ScanRange[],
  tokenizer: TokenizerSpec,
  onBytes: (bytesSoFar: number) => void,
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
