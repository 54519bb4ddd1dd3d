// A file's report computed off the calling thread, within a time budget: the Datasets view summarises every
// JSONL of a repository in the background, and one pathological file must not freeze the editor nor keep a
// core busy for minutes. The file is validated by the validation worker (worker/validateWorker.ts, the same
// entry validateFile uses for its ranges); the merge that follows on this thread yields to the event loop
// every few thousand steps. Past the budget the worker is stopped and the answer is "too slow".
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { RangeSummary } from './rangeValidator';
import type { FileReport, ValidateOptions } from './types';
import { approximateCounter } from './tokens/simpleCounters';
import { mergeRangeSummaries } from './validateFile';
import type { WorkerMessage, WorkerRequest } from './worker/protocol';

export type BudgetedReport = { kind: 'done'; report: FileReport } | { kind: 'tooSlow'; budgetMs: number };

export interface BudgetOptions {
  /** The worker script (dist/validateWorker.js; see defaultWorkerScript). */
  workerScript: { file: string; execArgv: string[] };
  budgetMs: number;
  /** Added to the budget per MB of the file, so a large but ordinary file is not taken for a pathological one. */
  msPerMegabyte?: number;
}

class OverBudget extends Error {}

export async function summarizeInWorker(path: string, options: ValidateOptions, budget: BudgetOptions): Promise<BudgetedReport> {
  const start = Date.now();
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const budgetMs = budget.budgetMs + Math.round((info.size / (1 << 20)) * (budget.msPerMegabyte ?? 0));
  const deadline = start + budgetMs;
  const counter = options.tokenCounter ?? (await approximateCounter());
  const summary = await validateInWorker(path, info.size, counter.spec, budget.workerScript, deadline);
  if (summary === undefined) return { kind: 'tooSlow', budgetMs };
  const pause = async () => {
    if (Date.now() > deadline) throw new OverBudget();
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  try {
    return { kind: 'done', report: await mergeRangeSummaries(path, [summary], options, counter, pause) };
  } catch (error) {
    if (error instanceof OverBudget) return { kind: 'tooSlow', budgetMs };
    throw error;
  }
}

/** The whole file's RangeSummary from one worker, or undefined when the deadline passed first (the worker is stopped). */
function validateInWorker(path: string, size: number, tokenizer: WorkerRequest['tokenizer'], script: BudgetOptions['workerScript'], deadline: number): Promise<RangeSummary | undefined> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.file, {
      workerData: { path, range: { start: 0, end: size, last: true }, tokenizer } satisfies WorkerRequest,
      execArgv: script.execArgv,
    });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      action();
    };
    const timer = setTimeout(() => settle(() => resolve(undefined)), Math.max(0, deadline - Date.now()));
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') settle(() => resolve(message.summary));
      else if (message.type === 'error') settle(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`validation worker exited with code ${code}`))));
  });
}
