// Converts the validator's positions (1-based lines and UTF-16 columns, end exclusive) into the 0-based
// ranges and edits of the editor API, without importing it, so the arithmetic is unit-tested.
import type { Finding, Fix } from '../../contracts/dataset';

export interface PlainRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

export interface PlainEdit {
  range: PlainRange;
  newText: string;
}

/** Reads a 0-based line's length, or undefined when the line is not known (a file validated from disk). */
export type LineLength = (line: number) => number | undefined;

/**
 * The range a finding underlines. An empty span (a finding about the whole line or a position) is widened to
 * the whole line when its length is known, so the squiggle is visible; columns are clamped to the line.
 */
export function findingRange(finding: Pick<Finding, 'line' | 'column' | 'endColumn'>, lineLength?: LineLength): PlainRange {
  const line = Math.max(0, finding.line - 1);
  const length = lineLength?.(line);
  let start = Math.max(0, finding.column - 1);
  let end = Math.max(start, finding.endColumn - 1);
  if (length !== undefined) {
    start = Math.min(start, length);
    end = Math.min(end, length);
    if (end === start && length > 0) {
      start = 0;
      end = length;
    }
  }
  return { startLine: line, startCharacter: start, endLine: line, endCharacter: end };
}

/** The whole of a 1-based line (used for related information: "first copy is here"). */
export function lineRange(line: number, lineLength?: LineLength): PlainRange {
  const index = Math.max(0, line - 1);
  return { startLine: index, startCharacter: 0, endLine: index, endCharacter: lineLength?.(index) ?? 0 };
}

/**
 * The document edit that applies a fix. Deleting a line removes its line break too: the following one when
 * there is one, otherwise the preceding one, so no empty line is left behind.
 */
export function fixEdit(fix: Fix, lineCount: number, lineLength: (line: number) => number): PlainEdit {
  const line = fix.line - 1;
  if (line < 0 || line >= lineCount) throw new RangeError(`fix '${fix.title}' targets line ${fix.line} of ${lineCount}`);
  if (fix.kind === 'replace') {
    const length = lineLength(line);
    const start = Math.min(Math.max(0, fix.column - 1), length);
    const end = Math.min(Math.max(start, fix.endColumn - 1), length);
    return { range: { startLine: line, startCharacter: start, endLine: line, endCharacter: end }, newText: fix.text };
  }
  if (line < lineCount - 1) {
    return { range: { startLine: line, startCharacter: 0, endLine: line + 1, endCharacter: 0 }, newText: '' };
  }
  if (line > 0) {
    const previous = line - 1;
    return {
      range: { startLine: previous, startCharacter: lineLength(previous), endLine: line, endCharacter: lineLength(line) },
      newText: '',
    };
  }
  return { range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: lineLength(0) }, newText: '' };
}

/** Identity of a finding as the editor shows it, to find the fixes behind a diagnostic handed back by VS Code. */
export function findingKey(code: string, range: PlainRange, message: string): string {
  return `${code}@${range.startLine}:${range.startCharacter}-${range.endLine}:${range.endCharacter}|${message}`;
}
