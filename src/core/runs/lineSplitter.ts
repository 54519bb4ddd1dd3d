// Turns chunks of a growing file into complete lines with the byte offset just past each one. A partial last
// line is kept for the next chunk, so a line written in two pieces is parsed once, whole. Works on bytes (not
// strings) because offsets into the file are byte offsets and a chunk may end inside a UTF-8 character.

export interface Line {
  text: string;
  /** Byte offset in the file just after this line's newline: where reading resumes. */
  endOffset: number;
}

export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** @param offset byte offset in the file of the first chunk that will be pushed */
  constructor(private offset: number) {}

  /** Offset just after the last complete line handed out. */
  get completeOffset(): number {
    return this.offset;
  }

  /** Offset just after the last byte pushed (complete lines plus the partial one kept). */
  get receivedOffset(): number {
    return this.offset + this.pending.length;
  }

  push(chunk: Buffer): Line[] {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: Line[] = [];
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
      const end = nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl;
      this.offset += nl + 1 - start;
      const text = data.subarray(start, end).toString('utf8');
      if (text.trim() !== '') lines.push({ text, endOffset: this.offset });
      start = nl + 1;
    }
    this.pending = Buffer.from(data.subarray(start));
    return lines;
  }
}
