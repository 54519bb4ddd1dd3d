// Reads lines of a file again by byte offset and length (to confirm duplicates, to judge examples of no known
// format), through one block buffer: lines asked for in file order cost one read per block, not one per line.
import type { ReadableFile } from './datasetFiles';

export const LINE_READER_BLOCK = 1 << 20;

export class LineReader {
  private buffer = Buffer.alloc(0);
  private blockStart = 0;
  private blockLength = 0;

  constructor(private readonly file: ReadableFile) {}

  async read(offset: number, length: number): Promise<string> {
    if (offset < this.blockStart || offset + length > this.blockStart + this.blockLength) {
      const size = Math.max(LINE_READER_BLOCK, length);
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
      const bytesRead = await this.file.read(this.buffer, size, offset);
      this.blockStart = offset;
      this.blockLength = bytesRead;
      if (bytesRead < length) throw new Error(`the file changed while it was validated (the line at byte ${offset} is gone)`);
    }
    const at = offset - this.blockStart;
    return this.buffer.toString('utf8', at, at + length);
  }
}
