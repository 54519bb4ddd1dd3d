// What a format check reports about one line, before positions are known. Checks work on the object that
// JSON.parse returned and name the place by its JSON path; the path is turned into a column range only when
// the line is shown with findings (see locate.ts), so valid lines never pay for position tracking.
import type { JsonPath } from './jsonLocate';
import type { RuleCode } from './rules';

export type Anchor =
  /** The key (`part: 'key'`) or the value at `path`; [] is the whole example. */
  | { path: JsonPath; part: 'key' | 'value' }
  /** An explicit range, for syntax errors. */
  | { offset: number; length: number };

export type FixSpec =
  | { kind: 'renameKey'; title: string; path: JsonPath; to: string }
  | { kind: 'replaceValue'; title: string; path: JsonPath; json: string }
  | { kind: 'deleteRange'; title: string; offset: number; length: number }
  | { kind: 'deleteLine'; title: string };

export interface LineIssue {
  code: RuleCode;
  message: string;
  at: Anchor;
  fixes?: FixSpec[];
}

export const valueAt = (...path: JsonPath): Anchor => ({ path, part: 'value' });
export const keyAt = (...path: JsonPath): Anchor => ({ path, part: 'key' });

/** Damerau-free Levenshtein distance, bounded: returns max+1 as soon as the distance must exceed max. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

/** The allowed name a misspelled one most likely meant (case-insensitive, at most 2 edits), or undefined. */
export function closestName(name: string, allowed: readonly string[], exclude: ReadonlySet<string> = new Set()): string | undefined {
  const lower = name.toLowerCase();
  const limit = lower.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let ties = 0;
  for (const candidate of allowed) {
    if (exclude.has(candidate) || candidate === name) continue;
    const d = editDistance(lower, candidate.toLowerCase(), limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      ties = 0;
    } else if (d === bestDistance) ties++;
  }
  // Two equally close names: the fix would be a guess, and fixes must be certain.
  return bestDistance <= limit && ties === 0 ? best : undefined;
}

/** Longest user-supplied name or value quoted in a message: a 100 kB key must not make a 100 kB message. */
const MAX_QUOTED = 60;

/** A user-supplied name as a message shows it: JSON-quoted, cut short with "…" when long. */
export function quoted(name: string): string {
  return JSON.stringify(name.length > MAX_QUOTED ? `${name.slice(0, MAX_QUOTED)}…` : name);
}

/** A user-supplied value as a message shows it: a string quoted (cut short), a short number or literal as is, else its type. */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value === 'object' ? 'JSON object' : typeof value}`;
}

/** A list of user-supplied names for a message: the first few, then how many more. */
export function quotedList(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map(quoted).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
