// Turns the editor's character-range edits into the line-level edits the incremental validator understands.
//
// VS Code delivers one change event with possibly several content changes (multi-cursor, "replace all",
// format). The extension host applies them one after another, each range expressed in the document as left by
// the previous ones, so we do the same on a mirror of the lines: that is the only way to know the text before
// and after each range. The mirror costs one string per line, which is cheap next to the validator's own state.

/** A content change with 0-based positions, as in `TextDocumentContentChangeEvent.range`. */
export interface TextChange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  text: string;
}

/** The argument list of `DocumentValidator.applyChange` (0-based start line). */
export interface LineEdit {
  startLine: number;
  removedCount: number;
  insertedLines: string[];
}

export class MirrorOutOfSyncError extends Error {}

const LINE_BREAK = /\r\n|\r|\n/;

/** Splits text into lines the way VS Code counts them: a trailing newline yields a last empty line. */
export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

export class LineMirror {
  private lines: string[];

  constructor(lines: string[]) {
    this.lines = lines.length > 0 ? [...lines] : [''];
  }

  get lineCount(): number {
    return this.lines.length;
  }

  line(index: number): string | undefined {
    return this.lines[index];
  }

  /** Applies one change to the mirror and returns the line edit that describes it. */
  apply(change: TextChange): LineEdit {
    const { startLine, startCharacter, endLine, endCharacter, text } = change;
    if (startLine < 0 || endLine < startLine || endLine >= this.lines.length) {
      throw new MirrorOutOfSyncError(`change at lines ${startLine}..${endLine} outside a ${this.lines.length}-line mirror`);
    }
    const first = this.lines[startLine];
    const last = this.lines[endLine];
    // Positions past the end of a line are clamped, as VS Code itself does when it applies a range.
    const prefix = first.slice(0, Math.min(startCharacter, first.length));
    const suffix = last.slice(Math.min(endCharacter, last.length));
    const inserted = splitLines(text);
    inserted[0] = prefix + inserted[0];
    inserted[inserted.length - 1] += suffix;
    const removedCount = endLine - startLine + 1;
    spliceLarge(this.lines, startLine, removedCount, inserted);
    return { startLine, removedCount, insertedLines: inserted };
  }

  /** Applies every change of one event in order. */
  applyAll(changes: readonly TextChange[]): LineEdit[] {
    return changes.map((change) => this.apply(change));
  }
}

/** `Array.prototype.splice` with a spread argument overflows the stack for very large pastes. */
function spliceLarge(target: string[], start: number, deleteCount: number, items: string[]): void {
  if (items.length < 10_000) {
    target.splice(start, deleteCount, ...items);
    return;
  }
  const tail = target.splice(start + deleteCount);
  target.length = start;
  for (const item of items) target.push(item);
  for (const item of tail) target.push(item);
}
