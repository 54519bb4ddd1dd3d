// Where a converted dataset goes: beside the source, `<name>.<suffix>.jsonl` (`openai` for openai-chat),
// never over the source itself.
import { basename, dirname, join } from 'node:path';

export function convertedPath(sourcePath: string, suffix = 'openai'): string {
  const name = basename(sourcePath);
  const stem = name.toLowerCase().endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name.replace(/\.[^.]*$/, '');
  return join(dirname(sourcePath), `${stem || name}.${suffix}.jsonl`);
}

/** "lines 3, 7, 12 and 40 more" — short enough for a notification. */
export function describeLines(lines: readonly number[], shown = 10): string {
  if (lines.length === 0) return 'no lines';
  const head = lines.slice(0, shown).join(', ');
  const rest = lines.length - shown;
  return `${lines.length === 1 ? 'line' : 'lines'} ${head}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** "Line 2 was not converted: <reason>." or "Lines 2, 5 and 3 more were not converted (line 2: <reason>)." */
export function skippedSentence(skipped: readonly { line: number; reason: string }[]): string {
  if (skipped.length === 0) return '';
  const [first] = skipped;
  if (skipped.length === 1) return `Line ${first.line} was not converted: ${first.reason}.`;
  const lines = describeLines(skipped.map((s) => s.line));
  return `${lines[0].toUpperCase()}${lines.slice(1)} were not converted (line ${first.line}: ${first.reason}).`;
}
