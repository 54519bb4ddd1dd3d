// The validation file's examples, keyed by the hash of their trimmed text, for the train_val_overlap rule.
import { textHash } from './analyzeLine';
import type { DatasetFiles } from './datasetFiles';
import { scanLines } from './lineScanner';
import type { ValidationSet } from '../../contracts/dataset';

export function validationSetFromLines(file: string, lines: readonly string[]): ValidationSet {
  const lineOf = new Map<number, number>();
  lines.forEach((text, i) => add(lineOf, text, i + 1));
  return { file, lineOf };
}

/** Streams the file (it may be large); throws when it cannot be read. */
export async function loadValidationSet(files: DatasetFiles, path: string): Promise<ValidationSet> {
  const size = await files.size(path);
  const lineOf = new Map<number, number>();
  let line = 0;
  await scanLines(files, path, { start: 0, end: size, last: true }, ({ text }) => add(lineOf, text, ++line));
  return { file: path, lineOf };
}

function add(lineOf: Map<number, number>, text: string, line: number): void {
  const trimmed = text.trim();
  if (trimmed === '') return;
  const hash = textHash(trimmed);
  if (!lineOf.has(hash)) lineOf.set(hash, line);
}
