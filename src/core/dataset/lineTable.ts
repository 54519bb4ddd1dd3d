// Per-line numbers of an open document in parallel typed arrays (struct of arrays). The listing pass after an
// edit reads them sequentially, which is many times faster on a large document than chasing one object per
// line; an edit shifts the tail of each array in place (a memmove), growing them when needed.

export const KIND_BLANK = 0;
export const KIND_INVALID = 1;
export const KIND_EXAMPLE = 2;

type Column = Uint8Array | Int8Array | Int32Array;

export class LineTable {
  size = 0;
  private capacity = 0;
  kind = new Uint8Array(0);
  /** Index into DATASET_FORMATS, -1 when the example's format was not recognised. */
  format = new Int8Array(0);
  tokens = new Int32Array(0);
  trained = new Int32Array(0);
  messages = new Int32Array(0);
  /** UTF-16 length of the line. */
  length = new Int32Array(0);
  /** 1 when the line has findings of its own. */
  issues = new Uint8Array(0);
  /** Line of the same example in the validation file, 0 when none. */
  valLine = new Int32Array(0);
  /** Id of the group of identical lines (see DocumentValidator), -1 when not an example. */
  group = new Int32Array(0);
  /** Image content parts of the example. */
  images = new Int32Array(0);

  /** Replaces `removed` rows at `start` with `inserted` rows whose values the caller then writes. */
  splice(start: number, removed: number, inserted: number): void {
    const newSize = this.size - removed + inserted;
    if (newSize > this.capacity) this.grow(Math.max(newSize, this.capacity * 2, 1024));
    if (inserted !== removed) {
      for (const column of this.columns()) column.copyWithin(start + inserted, start + removed, this.size);
    }
    this.size = newSize;
  }

  private columns(): Column[] {
    return [this.kind, this.format, this.tokens, this.trained, this.messages, this.length, this.issues, this.valLine, this.group, this.images];
  }

  private grow(capacity: number): void {
    const copy = <T extends Column>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.size) as never);
      return next;
    };
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.format = copy(this.format, (n) => new Int8Array(n));
    this.tokens = copy(this.tokens, (n) => new Int32Array(n));
    this.trained = copy(this.trained, (n) => new Int32Array(n));
    this.messages = copy(this.messages, (n) => new Int32Array(n));
    this.length = copy(this.length, (n) => new Int32Array(n));
    this.issues = copy(this.issues, (n) => new Uint8Array(n));
    this.valLine = copy(this.valLine, (n) => new Int32Array(n));
    this.group = copy(this.group, (n) => new Int32Array(n));
    this.images = copy(this.images, (n) => new Int32Array(n));
    this.capacity = capacity;
  }
}
