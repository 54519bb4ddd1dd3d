// The Datasets view's background summaries run on the real validation worker within a time budget: a normal
// file gets exactly validateFile's report, a pathological one is given up on ("too slow") without ever
// blocking the calling thread (its timers keep firing while the worker runs).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writePathological } from '../../../scripts/lib/pathologicalDatasets.mjs';
import { validateFile } from '../../../src/core/dataset';
import { summarizeInWorker } from '../../../src/core/dataset/summarizeInWorker';
import type { RangeWorkers } from '../../../src/core/dataset/rangeWorkers';
import { nodeDatasetFiles as files } from '../../../src/platform/nodeDatasetFiles';
import { validationWorkers } from '../../../src/platform/validationWorkers';
import { baseOptions, buildValidateWorker, OK, OK2, tempDir, writeTemp } from './helpers';

const dir = tempDir();
let workers: RangeWorkers;
const options = baseOptions();

beforeAll(async () => {
  workers = validationWorkers(await buildValidateWorker());
}, 60_000);

describe('summarizeInWorker', () => {
  it('reports exactly what validateFile reports when within its budget', async () => {
    const path = writeTemp([OK, OK2, '{"messages": [}', OK, '', '{"question": 1}', OK2].join('\n'));
    const result = await summarizeInWorker(path, options, { files, workers, budgetMs: 60_000 });
    expect(result.kind).toBe('done');
    const direct = await validateFile(path, { ...options, files });
    if (result.kind === 'done') {
      expect(result.report.findings).toEqual(direct.findings);
      expect(result.report.omitted).toEqual(direct.omitted);
      expect(result.report.stats).toEqual(direct.stats);
    }
  }, 60_000);

  it('gives up on a file that takes longer than its budget, and the calling thread stays free meanwhile', async () => {
    const path = join(dir, 'invalid.jsonl');
    writePathological('invalidLines', path);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      const result = await summarizeInWorker(path, options, { files, workers, budgetMs: 400 });
      expect(result).toEqual({ kind: 'tooSlow', budgetMs: 400 });
    } finally {
      clearInterval(timer);
    }
    // On this thread, a million invalid lines would have blocked every timer until the end.
    expect(ticks).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('grows the budget with the size of the file', async () => {
    const path = join(dir, 'invalid-small.jsonl');
    writePathological('invalidLines', path, 0.1); // 1.6 MB
    const result = await summarizeInWorker(path, options, { files, workers, budgetMs: 3, msPerMegabyte: 10 });
    expect(result).toEqual({ kind: 'tooSlow', budgetMs: 3 + Math.round((statSync(path).size / (1 << 20)) * 10) });
  }, 60_000);

  it('reports a worker that cannot start as an error, not as too slow', async () => {
    const path = writeTemp(OK);
    await expect(
      summarizeInWorker(path, options, { files, workers: validationWorkers({ file: join(dir, 'absent.js'), execArgv: [] }), budgetMs: 60_000 }),
    ).rejects.toThrow();
  });
});
