// A text document in memory with the editor's behaviour for what live validation reads: versions that grow with
// each edit, lines, and change events carrying the replaced range and the new text.
import type { DocumentChange } from '../../../../src/vscode/validation/liveValidation';
import type { DocumentLike, UriLike } from '../../../../src/vscode/api/workspace';

export function fileUri(path: string): UriLike {
  return { scheme: 'file', path, fsPath: path, toString: () => `file://${path}` };
}

type Position = { line: number; character: number };

export class MemoryDocument implements DocumentLike {
  version = 1;
  isClosed = false;
  private text: string;

  constructor(
    readonly uri: UriLike,
    text: string,
    readonly languageId = 'jsonl',
  ) {
    this.text = text;
  }

  get lineCount(): number {
    return this.lines().length;
  }

  getText(): string {
    return this.text;
  }

  lineAt(line: number): { text: string } {
    return { text: this.lines()[line] };
  }

  /** Replaces a range and returns the change event the editor would send. */
  edit(start: Position, end: Position, text: string): DocumentChange<MemoryDocument> {
    this.text = this.text.slice(0, this.offset(start)) + text + this.text.slice(this.offset(end));
    this.version += 1;
    return { document: this, contentChanges: [{ range: { start, end }, text }] };
  }

  /** Replaces one whole line's text (not its line break). */
  replaceLine(line: number, text: string): DocumentChange<MemoryDocument> {
    return this.edit({ line, character: 0 }, { line, character: this.lines()[line].length }, text);
  }

  private lines(): string[] {
    return this.text.split(/\r?\n/);
  }

  private offset(position: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < position.line; i++) offset += lines[i].length + 1;
    return offset + position.character;
  }
}
