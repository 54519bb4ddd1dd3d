// `brightrun validate`: exit codes (0 clean, 1 errors, 2 usage or unreadable input), compiler-style lines,
// the --json document; and the worker-thread path, which must report exactly what one thread reports.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';
import { estimateCounter, validateFile } from '../../../src/core/dataset';
import { nodeDatasetFiles } from '../../../src/platform/nodeDatasetFiles';
import { validationWorkers } from '../../../src/platform/validationWorkers';
import { buildValidateWorker, OK, OK2, tempDir, writeTemp } from './helpers';
import { requireBuiltCli, runBuiltCliSlowlyRead } from '../cli/builtCli';

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const run = (...args: string[]) => runCli(['validate', ...args, '--tokenizer', 'estimate']);

describe('brightrun validate', () => {
  it('exits 0 on clean data and prints the statistics', async () => {
    expect(await run('samples/chat-train.jsonl')).toBe(0);
    expect(out.join('\n')).toMatch(/openai-chat, 300 examples, 900 messages/);
    expect(out.join('\n')).toMatch(/p50 \d+, p95 \d+, max \d+/);
  });

  it('exits 1 on errors, with file:line:col: severity code: message lines', async () => {
    expect(await run('samples/broken.jsonl')).toBe(1);
    expect(out).toContain("samples/broken.jsonl:2:92: error invalid_json: Trailing comma before ']': JSON does not allow it; remove the comma.");
    expect(out.some((l) => /^samples\/broken\.jsonl:15:1: warning duplicate_example: .*\(see line 1\)$/.test(l))).toBe(true);
  });

  it('prints the JSON document with --json', async () => {
    expect(await run('samples/broken.jsonl', 'samples/alpaca.jsonl', '--json', '--max-seq-len', '100')).toBe(1);
    const doc = JSON.parse(out.join('\n'));
    expect(doc.files).toHaveLength(2);
    const [broken, alpaca] = doc.files;
    expect(Object.keys(broken)).toEqual(['path', 'format', 'examples', 'findings', 'omitted', 'stats']);
    expect(broken.omitted).toEqual({});
    expect(broken).toMatchObject({ path: 'samples/broken.jsonl', format: 'openai-chat', examples: 20 });
    expect(Object.keys(broken.findings[0])).toEqual(['line', 'column', 'endColumn', 'code', 'severity', 'message']);
    expect(broken.stats.maxSeqLen).toBe(100);
    expect(alpaca).toMatchObject({ format: 'alpaca', findings: [] });
  });

  it('reports overlap with --val and prices an epoch with --price', async () => {
    const val = writeTemp([OK2, OK].join('\n'));
    expect(await run(writeTemp([OK].join('\n')), '--val', val, '--price', '2.5')).toBe(0);
    expect(out.join('\n')).toMatch(/warning train_val_overlap: .*\(see .*:2\)/);
    expect(out.join('\n')).toMatch(/1 epoch = \d+ tokens ≈ \$[\d.e-]+ at \$2.5\/1M tokens/);
  });

  it('exits 2 on bad usage or unreadable input', async () => {
    expect(await run()).toBe(2);
    expect(await run('samples/chat-train.jsonl', '--max-seq-len', 'lots')).toBe(2);
    expect(err.join('\n')).toMatch(/--max-seq-len must be a whole number/);
    expect(await run('samples/chat-train.jsonl', '--bogus')).toBe(2);
    expect(await run('does/not/exist.jsonl')).toBe(2);
    expect(err.join('\n')).toMatch(/cannot read does\/not\/exist.jsonl: no such file/);
    expect(await run('samples/chat-train.jsonl', '--val', 'nope.jsonl')).toBe(2);
    expect(await run(tempDir())).toBe(2); // a folder without a single *.jsonl
    expect(err.join('\n')).toMatch(/holds no \*\.jsonl file/);
    expect(await run('samples/chat-train.jsonl', '--severity', 'nonsense=off')).toBe(2);
    // Names every object has are not rule codes.
    expect(await run('samples/chat-train.jsonl', '--severity', 'constructor=off')).toBe(2);
    expect(await run('samples/chat-train.jsonl', '--severity', '__proto__=off')).toBe(2);
    expect(err.join('\n')).toMatch(/unknown rule code "__proto__"/);
  });

  it('shows control characters from the data and file names as visible escapes, never raw', async () => {
    const line = '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"x"}],"\\u001b[2J\\u009b31m":1}';
    const file = writeTemp(line + '\n', 'clear\x1b[2J.jsonl');
    expect(await run(file)).toBe(0);
    const text = out.join('\n');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toMatch(/Unrecognized key "\\(x1b|u001b)\[2J\\u009b31m"/);
    expect(text).toContain('clear\\x1b[2J.jsonl:1:');
    out.length = 0;
    expect(await run(file, '--json')).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(out.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(out.join('\n')).files[0].findings[0].message).toContain('[2J\u009b31m"'); // the same text, once parsed
  });

  it('lists at most 1,000 findings of a code and says how many more there are, in text and in --json', async () => {
    const file = writeTemp([OK, ...Array.from({ length: 2500 }, () => '{"messages": [}')].join('\n'));
    expect(await run(file)).toBe(1);
    expect(out.filter((l) => / error invalid_json: /.test(l))).toHaveLength(1000);
    expect(out).toContain(
      `${file}: 1,500 more invalid_json findings were not shown (at most 1,000 per rule code and 10,000 per file are listed; the counts include them all). Fix the listed ones and validate again to see more.`,
    );
    expect(out.join('\n')).toMatch(/2500 error\(s\)/);
    out = [];
    expect(await run(file, '--json')).toBe(1);
    const [report] = JSON.parse(out.join('\n')).files;
    expect(report.findings).toHaveLength(1000);
    expect(report.omitted).toEqual({ invalid_json: 1500 });
    expect(report.stats.errors).toBe(2500);
  });

  it('severity overrides from the command line', async () => {
    expect(await run(writeTemp([OK, OK].join('\n')), '--severity', 'duplicate_example=error')).toBe(1);
    expect(await run(writeTemp([OK, '{"bad json'].join('\n')), '--severity', 'invalid_json=off')).toBe(0);
  });
});

describe('worker threads', () => {
  it('report exactly what a single thread reports, across range boundaries', async () => {
    const dir = tempDir();
    const rangeWorkers = validationWorkers(await buildValidateWorker());
    // ~10 MB with problems spread everywhere (more invalid lines than the per-code limit keeps, so each range
    // leaves some out), duplicates of early lines near the end, one format switch.
    const lines: string[] = [];
    for (let i = 0; i < 24_000; i++) {
      const pad = 'lorem ipsum '.repeat(30);
      if (i % 7 === 0) lines.push('{"messages": [}');
      else if (i % 1499 === 0) lines.push(lines[i % 50]);
      else if (i === 20_000) lines.push('{"prompt": "a", "completion": "b"}');
      else
        lines.push(
          JSON.stringify({
            messages: [
              { role: 'user', content: `${pad} ${i}` },
              { role: i % 1201 ? 'assistant' : 'robot', content: 'ok' },
            ],
          }),
        );
    }
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const options = { files: nodeDatasetFiles, maxSeqLen: 2048, tokenCounter: estimateCounter() };
    const single = await validateFile(file, { ...options, workers: 1 });
    const progress: number[] = [];
    const multi = await validateFile(file, { ...options, workers: 2, minBytesPerWorker: 1 << 20, rangeWorkers }, (p) => progress.push(p.bytesRead));
    expect(single.findings.length).toBeGreaterThan(60);
    expect(multi.findings).toEqual(single.findings);
    expect(multi.omitted).toEqual(single.omitted);
    expect(single.omitted.invalid_json).toBeGreaterThan(2000);
    expect(multi.stats).toEqual(single.stats);
    expect(progress[progress.length - 1]).toBe(Buffer.byteLength(lines.join('\n') + '\n'));
    // The worker path really was taken: a missing worker script fails it, while small shares stay in-process.
    const missing = validationWorkers({ file: join(dir, 'absent.js'), execArgv: [] });
    await expect(validateFile(file, { ...options, workers: 2, minBytesPerWorker: 1 << 20, rangeWorkers: missing })).rejects.toThrow();
    expect((await validateFile(file, { ...options, workers: 2, rangeWorkers: missing })).findings).toEqual(single.findings);
  }, 120_000);
});

describe('the built CLI (dist/cli.js, after npm run build)', () => {
  beforeAll(requireBuiltCli);

  it('runs validate with the exit code of the findings', () => {
    const clean = spawnSync(process.execPath, ['dist/cli.js', 'validate', 'samples/chat-train.jsonl', '--json'], { encoding: 'utf8' });
    expect(clean.status, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout).files[0].examples).toBe(300);
    const broken = spawnSync(process.execPath, ['dist/cli.js', 'validate', 'samples/broken.jsonl'], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^samples\/broken\.jsonl:2:92: error invalid_json/m);
  }, 60_000);

  it('hands a reader slower than itself the whole --json document, however large', async () => {
    // 2,000 findings per file (1,000 per code are listed) for five files: a document of several MB, far more
    // than a pipe holds (64 KiB).
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) lines.push(i % 2 ? `{"bad json ${i}` : JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }] }));
    const file = writeTemp(lines.join('\n') + '\n');
    const result = await runBuiltCliSlowlyRead(['validate', '--json', '--tokenizer', 'estimate', file, file, file, file, file]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout.length).toBeGreaterThan(1 << 20);
    const doc = JSON.parse(result.stdout);
    expect(doc.files).toHaveLength(5);
    expect(doc.files[4].findings).toHaveLength(2_000);
    expect(doc.files[4].omitted).toEqual({ example_missing_assistant_message: 5_000, invalid_json: 5_000 });
  }, 60_000);
});
