// Everything the validator learns from one line on its own: JSON validity, the line's format, the format's
// rules, its token count and a hash for the dataset-level checks. Shared by the file validator (streaming and
// workers) and the incremental DocumentValidator, so both report exactly the same things.
import type { DatasetFormat } from '../../contracts/trainerConfig';
import { typeName, isObject } from './checks/shape';
import { surrogateIssues } from './checks/surrogates';
import { checkExample, detectFormat } from './formats';
import type { LineIssue } from './issues';
import { scanJson } from './jsonLocate';
import { countExampleTokens, countPairTokens } from './tokens/exampleTokens';
import { responseKey, turnKey, type PairView } from './checks/preference';
import type { TokenCounter } from '../../contracts/dataset';

export interface LineResult {
  /** blank: only whitespace; invalid: not JSON or not an object; example: a JSON object. */
  kind: 'blank' | 'invalid' | 'example';
  /** The format this example's own keys indicate; null when none matches (checked against the file's format later). */
  format: DatasetFormat | null;
  issues: LineIssue[];
  /** Hash of the trimmed text, for duplicates (0 unless kind is example). */
  hash: number;
  tokens: number;
  trainedTokens: number;
  messages: number;
  turns: string[];
  /** Image content parts (dropped when training a text-only model). */
  images: number;
  /** A valid-enough preference pair: its parts' token counts and what it says (for duplicate pairs). */
  pair?: PairFacts;
}

export interface PairFacts {
  promptTokens: number;
  chosenTokens: number;
  rejectedTokens: number;
  /** Two independent hashes of the prompt, chosen and rejected turns (see pairKeys). */
  key1: number;
  key2: number;
}

const NO_TURNS: string[] = [];

export interface AnalyzeOptions {
  /** The text is an editor buffer's, which (unlike text decoded from a file) can hold lone surrogates. */
  fromEditor?: boolean;
  /**
   * The caller will only count an invalid_json finding on this line, never show it (its limit is reached):
   * skip the scan that words the message, which costs as much as the rest on a file of broken lines.
   */
  briefJsonError?: boolean;
}

export function analyzeLine(text: string, counter: TokenCounter, options: AnalyzeOptions = {}): LineResult {
  let value: unknown;
  // No stack trace for JSON.parse's SyntaxError (only its message is used): on a file of a million broken lines
  // capturing them costs as much as the rest of validation. Synchronous, so nothing else sees the setting.
  const traceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') return blankLine();
    if (options.briefJsonError) return invalidLine({ code: 'invalid_json', message: 'Invalid JSON.', at: { offset: 0, length: 1 } });
    return invalidLine(jsonErrorIssue(text, error));
  } finally {
    Error.stackTraceLimit = traceLimit;
  }
  if (!isObject(value)) {
    return invalidLine({
      code: 'data_type',
      message: `Each line must be a JSON object (an example), not ${typeName(value)}.`,
      at: { path: [], part: 'value' },
    });
  }
  const format = detectFormat(value);
  const surrogates = surrogateIssues(text, options.fromEditor ?? false);
  if (format === null) {
    return { kind: 'example', format, issues: surrogates, hash: textHash(text.trim()), tokens: 0, trainedTokens: 0, messages: 0, turns: NO_TURNS, images: 0 };
  }
  const checked = checkExample(format, value);
  const { shape } = checked;
  const issues = surrogates.length > 0 ? surrogates.concat(checked.issues) : checked.issues;
  const pair = checked.pair ? pairFacts(checked.pair, counter) : undefined;
  const { total, trained } = pair ? pair.tokens : countExampleTokens(format, value, shape, counter);
  return {
    kind: 'example',
    format,
    issues,
    hash: textHash(text.trim()),
    tokens: total,
    trainedTokens: trained,
    messages: shape.turns.length,
    turns: shape.turns,
    images: shape.images,
    pair: pair?.facts,
  };
}

function pairFacts(view: PairView, counter: TokenCounter) {
  const tokens = countPairTokens(view, counter);
  const [key1, key2] = pairKeys(view);
  return { tokens, facts: { promptTokens: tokens.prompt, chosenTokens: tokens.chosen, rejectedTokens: tokens.rejected, key1, key2 } };
}

/**
 * What a pair says, whatever its formatting, key order or format: two independent 53-bit hashes, so two pairs
 * are reported as duplicates without re-reading both lines (a false match needs both to collide, ~2^-106).
 */
export function pairKeys(view: PairView): [number, number] {
  const text = JSON.stringify([view.prompt.map(turnKey), view.tools ?? null, responseKey(view.chosen), responseKey(view.rejected)]);
  return [textHash(text), textHash(text, 0x9e3779b9)];
}

function blankLine(): LineResult {
  return { kind: 'blank', format: null, issues: [], hash: 0, tokens: 0, trainedTokens: 0, messages: 0, turns: NO_TURNS, images: 0 };
}

function invalidLine(issue: LineIssue): LineResult {
  return { kind: 'invalid', format: null, issues: [issue], hash: 0, tokens: 0, trainedTokens: 0, messages: 0, turns: NO_TURNS, images: 0 };
}

/**
 * The invalid_json issue. The column is V8's: JSON.parse reports "at position N" (0-based, on our single-line
 * input that is the column). Our own scanner gives a friendlier message and recognises a trailing comma, whose
 * position it reports at the comma itself (V8 points at the bracket after it) together with a fix.
 */
export function jsonErrorIssue(text: string, error: unknown): LineIssue {
  const v8Message = error instanceof Error ? error.message : String(error);
  const match = /at position (\d+)/.exec(v8Message);
  const v8Offset = match ? Number(match[1]) : text.length;
  const scan = scanJson(text);
  if (!scan.ok && scan.error.trailingComma !== undefined) {
    const comma = scan.error.trailingComma;
    return {
      code: 'invalid_json',
      message: scan.error.message,
      at: { offset: comma, length: 1 },
      fixes: [{ kind: 'deleteRange', title: 'Remove the trailing comma', offset: comma, length: 1 }],
    };
  }
  if (!scan.ok && scan.error.offset === v8Offset) {
    return { code: 'invalid_json', message: `Invalid JSON: ${scan.error.message}`, at: { offset: v8Offset, length: scan.error.length } };
  }
  return { code: 'invalid_json', message: `Invalid JSON: ${v8Message}.`, at: { offset: Math.min(v8Offset, text.length), length: 1 } };
}

/** A 53-bit string hash (cyrb53); collisions are resolved by comparing the texts before reporting. */
export function textHash(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
