// A file's report computed off the calling thread, within a time budget: the Datasets view summarises every
// JSONL of a repository in the background, and one pathological file must not freeze the editor nor keep a
// core busy for minutes. The file is validated as one range by the validation worker (the same RangeWorkers
// validateFile uses for its ranges); the merge that follows on this thread yields to the event loop
// every few thousand steps. Past the budget the worker is stopped and the answer is "too slow".
import type { DatasetFiles } from './datasetFiles';
import type { RangeSummary } from './rangeValidator';
import type { RangeWorkers } from './rangeWorkers';
import type { FileReport, ValidateOptions } from '../../contracts/dataset';
import { approximateCounter } from './tokens/simpleCounters';
import { mergeRangeSummaries } from './validateFile';

export type BudgetedReport = { kind: 'done'; report: FileReport } | { kind: 'tooSlow'; budgetMs: number };

export interface BudgetOptions {
  /** How the file is read (src/platform/nodeDatasetFiles.ts). */
  files: DatasetFiles;
  /** The validation worker (src/platform/validationWorkers.ts). */
  workers: RangeWorkers;
  budgetMs: number;
  /** Added to the budget per MB of the file, so a large but ordinary file is not taken for a pathological one. */
  msPerMegabyte?: number;
}

class OverBudget extends Error {}

export async function summarizeInWorker(path: string, options: ValidateOptions, budget: BudgetOptions): Promise<BudgetedReport> {
  const start = Date.now();
  const size = await budget.files.size(path);
  const budgetMs = budget.budgetMs + Math.round((size / (1 << 20)) * (budget.msPerMegabyte ?? 0));
  const deadline = start + budgetMs;
  const counter = options.tokenCounter ?? (await approximateCounter());
  const signal = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  let summaries: RangeSummary[];
  try {
    summaries = await budget.workers.validate(path, [{ start: 0, end: size, last: true }], counter.spec, () => {}, signal);
  } catch (error) {
    if (signal.aborted) return { kind: 'tooSlow', budgetMs };
    throw error;
  }
  const pause = async () => {
    if (Date.now() > deadline) throw new OverBudget();
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  try {
    return { kind: 'done', report: await mergeRangeSummaries(budget.files, path, summaries, options, counter, pause) };
  } catch (error) {
    if (error instanceof OverBudget) return { kind: 'tooSlow', budgetMs };
    throw error;
  }
}
