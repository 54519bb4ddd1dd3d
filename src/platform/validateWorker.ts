// Worker-thread entry (bundled as dist/validateWorker.js): validates one byte range of a file and posts back
// its RangeSummary. Progress is posted as bytes read so far within the range.
import { parentPort, workerData } from 'node:worker_threads';
import { loadTokenCounter } from '../core/dataset/tokens/loadCounter';
import { validateRange } from '../core/dataset/rangeValidator';
import { nodeDatasetFiles } from './nodeDatasetFiles';
import { nodeTokenizerFiles } from './nodeTokenizerFiles';
import type { WorkerRequest, WorkerMessage } from './validationWorkerProtocol';

async function main(): Promise<void> {
  const request = workerData as WorkerRequest;
  const counter = await loadTokenCounter(request.tokenizer, nodeTokenizerFiles);
  let lastPost = 0;
  const summary = await validateRange(nodeDatasetFiles, request.path, request.range, counter, (bytes) => {
    const now = Date.now();
    if (now - lastPost > 100) {
      lastPost = now;
      parentPort!.postMessage({ type: 'progress', bytes } satisfies WorkerMessage);
    }
  });
  const e = summary.examples;
  const transfer = [e.line, e.format, e.hash, e.tokens, e.trained, e.messages, e.length, e.offset, e.byteLength].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ type: 'done', summary } satisfies WorkerMessage, transfer);
}

main().catch((error: unknown) => {
  parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
});
