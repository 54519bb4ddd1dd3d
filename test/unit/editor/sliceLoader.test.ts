import { describe, expect, it } from 'vitest';
import { DocumentValidator, estimateCounter } from '../../../src/core/dataset';
import { loadInSlices } from '../../../src/vscode/validation/sliceLoader';

const chat = (u: string) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: u },
      { role: 'assistant', content: 'ok' },
    ],
  });

describe('loadInSlices', () => {
  const lines = Array.from({ length: 1050 }, (_, i) => (i % 97 === 5 ? '' : i % 50 === 3 ? '{"broken":' : chat(`q${i % 300}`)));
  lines.push('');
  const options = { maxSeqLen: 8, tokenCounter: estimateCounter() };

  it('ends in the same state as one reset, with duplicates across slices', async () => {
    const whole = new DocumentValidator(options);
    whole.reset(lines);
    const sliced = new DocumentValidator(options);
    let yields = 0;
    const done = await loadInSlices(sliced, lines, async () => void yields++, 100);
    expect(done).toBe(true);
    expect(yields).toBe(10);
    expect(sliced.findings()).toEqual(whole.findings());
    expect(sliced.stats()).toEqual(whole.stats());
    expect(sliced.findings().some((f) => f.code === 'duplicate_example' && f.line > 300)).toBe(true);
  });

  it('stops when cancelled (the document was closed meanwhile)', async () => {
    const sliced = new DocumentValidator(options);
    let calls = 0;
    const done = await loadInSlices(
      sliced,
      lines,
      async () => void calls++,
      100,
      () => calls >= 2,
    );
    expect(done).toBe(false);
    expect(sliced.lineCount).toBe(200);
  });

  it('handles a document smaller than one slice', async () => {
    const sliced = new DocumentValidator(options);
    expect(await loadInSlices(sliced, [chat('a')], async () => {}, 100)).toBe(true);
    expect(sliced.stats().examples).toBe(1);
  });
});
