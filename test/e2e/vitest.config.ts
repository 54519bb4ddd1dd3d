// End-to-end tests: real VS Code (code-server) in headless Chromium. One file at a time, one worker, long
// timeouts: each file starts its own VS Code, which costs seconds and most of a 2-core machine.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: resolve(__dirname, '..', '..'),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    maxConcurrency: 1,
    sequence: { concurrent: false },
    reporters: ['default'],
  },
});
