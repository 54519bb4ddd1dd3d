import { describe, expect, it } from 'vitest';
import type { DatasetStats } from '../../../src/contracts/dataset';
import { DatasetStatsCache, optionsKey } from '../../../src/vscode/datasets/statsCache';
import { SerialQueue } from '../../../src/vscode/datasets/serialQueue';

const stats = (examples: number): DatasetStats => ({
  format: 'alpaca',
  examples,
  messages: examples * 2,
  tokens: { total: 10, assistant: 5, p50: 1, p95: 2, max: 3 },
  tokensApproximate: true,
  tokenizer: 'approx',
  maxSeqLen: 2048,
  examplesOverMaxSeqLen: 0,
  paddingWaste: 0,
  errors: 0,
  warnings: 0,
  infos: 0,
});

describe('DatasetStatsCache', () => {
  const key = optionsKey({ maxSeqLen: 2048, tokenizer: '', severity: {} });

  it('hits only for the same mtime, size and settings', () => {
    const cache = new DatasetStatsCache();
    cache.set('/a.jsonl', { mtime: 1, size: 10 }, key, stats(3));
    expect(cache.get('/a.jsonl', { mtime: 1, size: 10 }, key)?.examples).toBe(3);
    expect(cache.get('/a.jsonl', { mtime: 2, size: 10 }, key)).toBeUndefined();
    expect(cache.get('/a.jsonl', { mtime: 1, size: 11 }, key)).toBeUndefined();
    expect(cache.get('/a.jsonl', { mtime: 1, size: 10 }, optionsKey({ maxSeqLen: 512, tokenizer: '', severity: {} }))).toBeUndefined();
    expect(cache.lastKnown('/a.jsonl')?.examples).toBe(3);
  });

  it('survives a round trip through workspace state and ignores garbage', () => {
    const cache = new DatasetStatsCache();
    cache.set('/a.jsonl', { mtime: 1, size: 10 }, key, stats(3));
    const restored = new DatasetStatsCache(JSON.parse(JSON.stringify(cache)));
    expect(restored.get('/a.jsonl', { mtime: 1, size: 10 }, key)?.examples).toBe(3);
    expect(new DatasetStatsCache({ '/x': { nonsense: true } }).lastKnown('/x')).toBeUndefined();
    expect(new DatasetStatsCache('not an object').lastKnown('/x')).toBeUndefined();
  });

  it('forgets files that are gone', () => {
    const cache = new DatasetStatsCache();
    cache.set('/a.jsonl', { mtime: 1, size: 1 }, key, stats(1));
    cache.set('/b.jsonl', { mtime: 1, size: 1 }, key, stats(2));
    cache.retain(new Set(['/b.jsonl']));
    expect(cache.lastKnown('/a.jsonl')).toBeUndefined();
    expect(cache.lastKnown('/b.jsonl')).toBeDefined();
  });

  it('keys settings independently of severity order', () => {
    expect(optionsKey({ maxSeqLen: 1, tokenizer: '', severity: { a: 'off', b: 'info' } })).toBe(
      optionsKey({ maxSeqLen: 1, tokenizer: '', severity: { b: 'info', a: 'off' } }),
    );
  });
});

describe('SerialQueue', () => {
  it('runs one job at a time, in order, without duplicates', async () => {
    const log: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const queue = new SerialQueue<string>(
      async (key) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        log.push(`start ${key}`);
        await Promise.resolve();
        log.push(`end ${key}`);
        concurrent--;
      },
      () => {},
    );
    queue.enqueue('a');
    queue.enqueue('b');
    queue.enqueue('b');
    queue.enqueue('c');
    queue.drop('c');
    await queue.whenIdle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(maxConcurrent).toBe(1);
    expect(queue.size).toBe(0);
  });

  it('reports a failing job and goes on with the next', async () => {
    const failed: string[] = [];
    const done: string[] = [];
    const queue = new SerialQueue<string>(
      async (key) => {
        if (key === 'bad') throw new Error('boom');
        done.push(key);
      },
      (key) => failed.push(key),
    );
    queue.enqueue('bad');
    queue.enqueue('good');
    await queue.whenIdle();
    expect(failed).toEqual(['bad']);
    expect(done).toEqual(['good']);
  });

  it('starts again after going idle', async () => {
    const done: string[] = [];
    const queue = new SerialQueue<string>(
      async (key) => void done.push(key),
      () => {},
    );
    queue.enqueue('a');
    await queue.whenIdle();
    queue.enqueue('a');
    await queue.whenIdle();
    expect(done).toEqual(['a', 'a']);
  });
});
