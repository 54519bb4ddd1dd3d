// The bundled samples: clean files stay clean, and samples/broken.jsonl shows exactly the problems that
// samples/README.md lists for it, line by line (so the two stay in step).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { approximateCounter, validateFile } from '../../../src/core/dataset';
import { nodeDatasetFiles as files } from '../../../src/platform/nodeDatasetFiles';

describe('samples', () => {
  it('broken.jsonl has the findings samples/README.md announces, at the announced lines', async () => {
    const readme = readFileSync('samples/README.md', 'utf8');
    const announced = [...readme.matchAll(/^(\d+)\. `(\w+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(announced.length).toBeGreaterThan(15);
    const report = await validateFile('samples/broken.jsonl', { files, maxSeqLen: 2048, tokenCounter: await approximateCounter() });
    expect(report.findings.map((f) => `${f.line} ${f.code}`)).toEqual(announced);
  });

  it('the training and validation sets do not overlap and are short examples', async () => {
    const { loadValidationSet } = await import('../../../src/core/dataset');
    const report = await validateFile('samples/chat-train.jsonl', {
      files,
      maxSeqLen: 2048,
      tokenCounter: await approximateCounter(),
      validationSet: await loadValidationSet(files, 'samples/chat-val.jsonl'),
    });
    expect(report.findings).toEqual([]);
    expect(report.stats.examples).toBe(300);
    expect(report.stats.tokens.p50).toBeGreaterThanOrEqual(30);
    expect(report.stats.tokens.max).toBeLessThanOrEqual(120);
  });
});

describe('the editor and the file validator agree', () => {
  for (const name of ['chat-train', 'broken', 'sharegpt', 'alpaca', 'prompt-completion', 'text']) {
    it(`on samples/${name}.jsonl: same findings and statistics`, async () => {
      const { DocumentValidator } = await import('../../../src/core/dataset');
      const counter = await approximateCounter();
      const path = `samples/${name}.jsonl`;
      const report = await validateFile(path, { files, maxSeqLen: 512, tokenCounter: counter });
      const doc = new DocumentValidator({ maxSeqLen: 512, tokenCounter: counter });
      doc.reset(readFileSync(path, 'utf8').split('\n'));
      expect(doc.findings()).toEqual(report.findings);
      expect(doc.stats()).toEqual(report.stats);
    });
  }
});
