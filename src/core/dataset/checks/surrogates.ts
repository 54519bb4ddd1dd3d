// Unpaired UTF-16 surrogates: JSON allows "\ud800" on its own, and an editor buffer can hold a lone raw
// surrogate, but neither can be encoded as UTF-8, so tokenizers (and the trainer) fail on them. Found on the
// line's text, valid JSON only, so each one is reported where it is written.
import type { LineIssue } from '../issues';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const HEX = /^[0-9a-fA-F]{4}$/;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

type WellFormed = { isWellFormed?: () => boolean };

/**
 * Issues for every unpaired surrogate in a line of valid JSON, escaped or raw. `rawPossible` is false for text
 * decoded from UTF-8 bytes (decoding never yields a lone surrogate), which saves a scan of every line on disk.
 */
export function surrogateIssues(text: string, rawPossible: boolean): LineIssue[] {
  // Most lines have neither: native scans decide that (ASCII-escaped datasets have many "\u00e9" escapes).
  const hasEscape = SURROGATE_ESCAPE.test(text);
  const raw = rawPossible && ((text as WellFormed).isWellFormed ? !(text as WellFormed).isWellFormed!() : /[\uD800-\uDFFF]/.test(text));
  if (!hasEscape && !raw) return [];
  const issues: LineIssue[] = [];
  const report = (offset: number, length: number, unit: number) =>
    issues.push({
      code: 'invalid_surrogate',
      message: `Unpaired UTF-16 surrogate \\u${unit.toString(16).padStart(4, '0')}: it is half of a character and cannot be encoded as UTF-8, so training would fail on it. Remove it, or write the whole character (e.g. "\\ud83d\\ude00" for 😀).`,
      at: { offset, length },
    });
  // Each code unit of the decoded string, with where it is written: [unit, offset, length in the text].
  let previous: [number, number, number] | undefined;
  const unit = (c: number, offset: number, length: number) => {
    if (previous && isHigh(previous[0]) && !isLow(c)) report(previous[1], previous[2], previous[0]);
    if (isLow(c) && !(previous && isHigh(previous[0]))) report(offset, length, c);
    previous = isLow(c) && previous && isHigh(previous[0]) ? undefined : [c, offset, length];
  };
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!inString) {
      if (c === 0x22) inString = true;
      continue;
    }
    if (c === 0x22) {
      unit(-1, i, 1); // the string ends: a pending high surrogate stays unpaired
      inString = false;
      previous = undefined;
    } else if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75 && HEX.test(text.slice(i + 2, i + 6))) {
        unit(parseInt(text.slice(i + 2, i + 6), 16), i, 6);
        i += 5;
      } else {
        unit(e, i, 2);
        i += 1;
      }
    } else if (isHigh(c) || isLow(c) || previous !== undefined) {
      unit(c, i, 1);
    }
  }
  return issues;
}
