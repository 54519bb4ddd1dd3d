// Streams the lines of a byte range of a file: reads fixed-size chunks (never the whole file as one string),
// splits on '\n', strips a trailing '\r' and a UTF-8 BOM at the file start, and reports each line's text with
// the byte offset where it starts, so any line can be read again later (to confirm duplicates, for example).
// Lines follow the editor's convention: the text after the last '\n' is a line too, even when empty.
import { isUtf8 } from 'node:buffer';
import { withFile, type DatasetFiles } from './datasetFiles';

export const DEFAULT_CHUNK_SIZE = 1 << 20;

export interface ScannedLine {
  text: string;
  /** Byte offset of the first byte of the line's text in the file (after the BOM on line 1). */
  offset: number;
  byteLength: number;
  /** 0-based UTF-16 offset into `text` of the first character decoded from invalid UTF-8, or -1. */
  invalidUtf8At: number;
}

export interface ScanRange {
  /** A line start (0, or just after a '\n'). */
  start: number;
  /** Exclusive; a line start too, or the file size. */
  end: number;
  /** True when `end` is the end of the file: the text after the last '\n' is then a line of its own. */
  last: boolean;
}

export function scanLines(
  files: DatasetFiles,
  path: string,
  range: ScanRange,
  onLine: (line: ScannedLine) => void,
  onBytes?: (bytesSoFar: number) => void,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<void> {
  return withFile(files, path, async (file) => {
    let position = range.start;
    let pending: Buffer[] = [];
    let pendingStart = range.start;
    let first = range.start === 0;
    const emit = (bytes: Buffer, offset: number) => {
      let s = 0;
      let e = bytes.length;
      if (first) {
        first = false;
        if (e >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) s = 3;
      }
      if (e > s && bytes[e - 1] === 0x0d) e--;
      onLine(decodeLine(bytes, s, e, offset + s));
    };
    const buffer = Buffer.allocUnsafe(chunkSize);
    while (position < range.end) {
      const want = Math.min(chunkSize, range.end - position);
      const bytesRead = await file.read(buffer, want, position);
      if (bytesRead === 0) break;
      let lineStart = 0;
      let nl = buffer.indexOf(0x0a, 0);
      while (nl !== -1 && nl < bytesRead) {
        if (pending.length > 0) {
          pending.push(buffer.subarray(lineStart, nl));
          emit(Buffer.concat(pending), pendingStart);
          pending = [];
        } else {
          emit(buffer.subarray(lineStart, nl), position + lineStart);
        }
        lineStart = nl + 1;
        nl = buffer.indexOf(0x0a, lineStart);
      }
      if (lineStart < bytesRead) {
        // Copy: the buffer is reused for the next chunk. A line longer than a chunk accumulates here.
        if (pending.length === 0) pendingStart = position + lineStart;
        pending.push(Buffer.from(buffer.subarray(lineStart, bytesRead)));
      }
      position += bytesRead;
      onBytes?.(position - range.start);
    }
    if (range.last) {
      if (pending.length === 0) pendingStart = position;
      emit(Buffer.concat(pending), pendingStart);
    }
  });
}

function decodeLine(bytes: Buffer, s: number, e: number, offset: number): ScannedLine {
  const text = bytes.toString('utf8', s, e);
  let invalidUtf8At = -1;
  // Decoding replaces bad bytes with U+FFFD silently; only then is it worth checking the bytes themselves.
  if (text.includes('\uFFFD') && !isUtf8(bytes.subarray(s, e))) {
    const bad = firstInvalidUtf8(bytes, s, e);
    invalidUtf8At = bytes.toString('utf8', s, bad).length;
  }
  return { text, offset, byteLength: e - s, invalidUtf8At };
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence (e when all are valid). */
export function firstInvalidUtf8(bytes: Uint8Array, s: number, e: number): number {
  let i = s;
  while (i < e) {
    const b = bytes[i];
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    if (i + n >= e) return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return e;
}

/** Splits [0, size) into up to `parts` ranges that each start at a line start. */
export async function splitOnLines(files: DatasetFiles, path: string, size: number, parts: number): Promise<ScanRange[]> {
  const starts = [0];
  await withFile(files, path, async (file) => {
    const probe = Buffer.allocUnsafe(64 * 1024);
    for (let k = 1; k < parts; k++) {
      let pos = Math.max(Math.floor((size * k) / parts), starts[starts.length - 1]);
      for (;;) {
        const bytesRead = await file.read(probe, probe.length, pos);
        if (bytesRead === 0) {
          pos = size;
          break;
        }
        const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
        if (nl !== -1) {
          pos += nl + 1;
          break;
        }
        pos += bytesRead;
      }
      if (pos >= size) break;
      if (pos > starts[starts.length - 1]) starts.push(pos);
    }
  });
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : size, last: i + 1 === starts.length }));
}
