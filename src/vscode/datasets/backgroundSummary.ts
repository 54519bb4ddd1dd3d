// A dataset's statistics computed in the background for the Datasets view's index (which the launch form reads
// too): on the validation worker, never on the extension host's thread, and given up past a time budget.
import { summarizeInWorker, type BudgetOptions } from '../../core/dataset/summarizeInWorker';
import type { RangeWorkers } from '../../core/dataset/rangeWorkers';
import type { ValidateOptions } from '../../contracts/dataset';
import { nodeDatasetFiles } from '../../platform/nodeDatasetFiles';
import type { DatasetSummary } from './datasetIndex';

/**
 * How long the background summary of one file may take before it is given up: 20 s, plus 200 ms per MB
 * (validation runs at 20-100 MB/s on one thread, so only input that is slow per byte runs out of time).
 */
export const DATASET_SUMMARY_BUDGET = { budgetMs: 20_000, msPerMegabyte: 200 };

export async function summarizeDataset(
  path: string,
  options: ValidateOptions,
  workers: RangeWorkers,
  budget: Omit<BudgetOptions, 'files' | 'workers'> = DATASET_SUMMARY_BUDGET,
): Promise<DatasetSummary> {
  const result = await summarizeInWorker(path, options, { files: nodeDatasetFiles, workers, ...budget });
  return result.kind === 'done' ? { kind: 'done', stats: result.report.stats } : { kind: 'tooSlow' };
}
