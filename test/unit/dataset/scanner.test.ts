// The streaming line scanner: identical lines and byte offsets whatever the chunk size, lines larger than a
// chunk, CRLF, a BOM, a last line without newline, invalid UTF-8; and ranges split on line boundaries.
import { openSync, readSync, closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanLines, splitOnLines, type ScannedLine } from '../../../src/core/dataset/lineScanner';
import { nodeDatasetFiles as files } from '../../../src/platform/nodeDatasetFiles';
import { writeTemp } from './helpers';

async function scan(path: string, size: number, chunkSize: number): Promise<ScannedLine[]> {
  const out: ScannedLine[] = [];
  await scanLines(files, path, { start: 0, end: size, last: true }, (l) => out.push(l), undefined, chunkSize);
  return out;
}

function reread(path: string, line: ScannedLine): string {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(line.byteLength);
  readSync(fd, buffer, 0, line.byteLength, line.offset);
  closeSync(fd);
  return buffer.toString('utf8');
}

const content = Buffer.from(
  '\uFEFF{"text": "héllo 😀"}\r\n\n{"text": "你好"}\r\n' + '{"text": "' + 'x'.repeat(5000) + '"}\n' + '{"text": "no newline at end"}',
);

describe('line scanner', () => {
  const path = writeTemp(content);
  const expected = ['{"text": "héllo 😀"}', '', '{"text": "你好"}', `{"text": "${'x'.repeat(5000)}"}`, '{"text": "no newline at end"}'];

  for (const chunkSize of [1, 2, 3, 7, 64, 4096, 1 << 20]) {
    it(`gives the same lines and offsets with ${chunkSize}-byte chunks`, async () => {
      const lines = await scan(path, content.length, chunkSize);
      expect(lines.map((l) => l.text)).toEqual(expected);
      for (const l of lines) expect(reread(path, l)).toBe(l.text);
      expect(lines[0].offset).toBe(3); // after the BOM
      expect(lines.every((l) => l.invalidUtf8At === -1)).toBe(true);
    });
  }

  it('a final newline ends the last line: the empty text after it is the (blank) last line', async () => {
    const p = writeTemp('a\nb\n');
    expect((await scan(p, 4, 2)).map((l) => l.text)).toEqual(['a', 'b', '']);
    const empty = writeTemp('');
    expect((await scan(empty, 0, 2)).map((l) => l.text)).toEqual(['']);
  });

  it('reports invalid UTF-8 at its column without failing', async () => {
    const bytes = Buffer.concat([Buffer.from('{"text": "ok"}\n{"text": "é'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')]);
    const p = writeTemp(bytes);
    const lines = await scan(p, bytes.length, 3);
    expect(lines[0].invalidUtf8At).toBe(-1);
    expect(lines[1].invalidUtf8At).toBe('{"text": "é'.length);
  });

  it('handles a line of several megabytes', async () => {
    const big = '{"text": "' + 'abc😀'.repeat(600_000) + '"}';
    const p = writeTemp(big + '\n' + big);
    const lines = await scan(p, Buffer.byteLength(big) * 2 + 1, 64 * 1024);
    expect(lines).toHaveLength(2);
    expect(lines[1].text).toBe(big);
    expect(lines[1].offset).toBe(Buffer.byteLength(big) + 1);
  });

  it('splits a file into ranges on line boundaries that together give every line once', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `{"text": "${'y'.repeat(i % 37)}${i}"}`).join('\n') + '\n';
    const p = writeTemp(text);
    const size = Buffer.byteLength(text);
    const all = text.split('\n');
    for (const parts of [1, 2, 3, 5, 16]) {
      const ranges = await splitOnLines(files, p, size, parts);
      const lines: string[] = [];
      for (const range of ranges) await scanLines(files, p, range, (l) => lines.push(l.text), undefined, 100);
      expect(lines, `${parts} parts`).toEqual(all);
      expect(ranges[0].start).toBe(0);
      expect(ranges[ranges.length - 1]).toMatchObject({ end: size, last: true });
    }
  });
});
