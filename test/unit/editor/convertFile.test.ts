// Real files in a temp folder: the streaming conversion keeps line numbers across batches and writes atomically.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertFileToOpenAiChat } from '../../../src/vscode/validation/convertFile';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'brightrun-convert-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('convertFileToOpenAiChat', () => {
  it('converts ShareGPT lines and reports bad lines with their file line numbers', async () => {
    const source = join(dir, 'chat.jsonl');
    const good = JSON.stringify({
      conversations: [
        { from: 'human', value: 'hi' },
        { from: 'gpt', value: 'hello' },
      ],
    });
    const lines = Array.from({ length: 12_000 }, () => good);
    lines[2] = '{"broken"';
    lines[11_000] = JSON.stringify({ conversations: 'nope' });
    writeFileSync(source, `\uFEFF${lines.join('\r\n')}\r\n`);
    const target = join(dir, 'chat.openai.jsonl');
    const result = await convertFileToOpenAiChat(source, target);
    expect(result.converted).toBe(11_998);
    expect(result.skipped.map((s) => s.line)).toEqual([3, 11_001]);
    expect(result.sourceFormats).toEqual(['sharegpt']);
    const written = readFileSync(target, 'utf8').split('\n');
    expect(written).toHaveLength(11_999);
    expect(JSON.parse(written[0])).toEqual({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
    });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no file behind when the source cannot be read', async () => {
    const target = join(dir, 'missing.openai.jsonl');
    await expect(convertFileToOpenAiChat(join(dir, 'missing.jsonl'), target)).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('convertFileToOpenAiChat write failures', () => {
  it('rejects when the target folder does not exist', async () => {
    const source = join(dir, 'p.jsonl');
    writeFileSync(source, `${JSON.stringify({ prompt: 'a', completion: 'b' })}\n`);
    await expect(convertFileToOpenAiChat(source, join(dir, 'no-such-folder', 'p.openai.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
