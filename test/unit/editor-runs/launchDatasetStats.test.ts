// The launch form's dataset statistics come from the Datasets view's background summary: the real validation
// worker within the same time budget, and a file past it is shown as too slow to summarise rather than as
// "Validating…" forever.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writePathological } from '../../../scripts/lib/pathologicalDatasets.mjs';
import { estimateCounter, validateFile } from '../../../src/core/dataset';
import type { RangeWorkers } from '../../../src/core/dataset/rangeWorkers';
import { nodeDatasetFiles } from '../../../src/platform/nodeDatasetFiles';
import { validationWorkers } from '../../../src/platform/validationWorkers';
import { DATASET_SUMMARY_BUDGET, summarizeDataset } from '../../../src/vscode/datasets/backgroundSummary';
import { datasetEntries } from '../../../src/vscode/panels/launchLogic';
import { LaunchDatasets } from '../../../src/shared/launchProtocol';
import { statsUnavailable, TOO_SLOW_TOOLTIP } from '../../../src/vscode/validation/summaryText';
import { buildValidateWorker, OK, OK2, tempDir, writeTemp } from '../dataset/helpers';

const dir = tempDir();
let workers: RangeWorkers;
const options = { maxSeqLen: 2048, tokenCounter: estimateCounter() };

beforeAll(async () => {
  workers = validationWorkers(await buildValidateWorker());
}, 60_000);

/** What the form receives for one file, given the summary the index recorded for it. */
function formEntry(path: string, summary: Awaited<ReturnType<typeof summarizeDataset>>) {
  const indexed = summary.kind === 'done' ? { stats: summary.stats, validating: false } : { tooSlow: true, validating: false };
  const [entry] = datasetEntries([{ path, stats: indexed.stats, unavailable: statsUnavailable(indexed) }], dir, dir);
  expect(LaunchDatasets.safeParse({ type: 'datasets', datasets: [entry] }).success).toBe(true);
  return entry;
}

describe('launch form dataset statistics', () => {
  it('shows the statistics validateFile computes, summarised on the worker within the default budget', async () => {
    const path = writeTemp([OK, OK2, '{"messages": [}', OK].join('\n'));
    const summary = await summarizeDataset(path, options, workers);
    const entry = formEntry(path, summary);
    expect(entry.stats).toEqual((await validateFile(path, { ...options, files: nodeDatasetFiles })).stats);
    expect(entry.unavailable).toBeUndefined();
    expect(DATASET_SUMMARY_BUDGET).toEqual({ budgetMs: 20_000, msPerMegabyte: 200 });
  }, 60_000);

  it('says the file is too slow to summarise when the worker runs past its budget', async () => {
    const path = join(dir, 'invalid.jsonl');
    writePathological('invalidLines', path);
    const summary = await summarizeDataset(path, options, workers, { budgetMs: 400 });
    expect(summary).toEqual({ kind: 'tooSlow' });
    const entry = formEntry(path, summary);
    expect(entry.stats).toBeNull();
    expect(entry.unavailable).toBe(TOO_SLOW_TOOLTIP);
  }, 60_000);

  it('says "validating" (no reason) while a summary is pending, and why when the file could not be read', () => {
    expect(statsUnavailable({ validating: true, tooSlow: true })).toBeUndefined();
    expect(statsUnavailable({ validating: false, error: 'EACCES' })).toContain('EACCES');
  });
});
