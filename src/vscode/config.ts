// Typed reader for the `brightrun.validation.*` settings. It takes anything with a `get(section)` (the
// WorkspaceConfiguration from `vscode.workspace.getConfiguration('brightrun.validation')` in the editor, a
// plain object in tests), so the parsing rules are unit-tested without an editor. Callers re-read it on
// `onDidChangeConfiguration`; nothing here caches.
import type { SeverityOverride } from '../contracts/dataset';

export const VALIDATION_SECTION = 'brightrun.validation';

export interface ValidationSettings {
  /** Examples longer than this many tokens are reported (`too_long`). */
  maxSeqLen: number;
  /** A local tokenizer.json / model folder / Hub model id whose cached tokenizer to use; '' = approximate counts. */
  tokenizer: string;
  /** Rule code -> severity override; only known codes with valid values survive parsing. */
  severity: Record<string, SeverityOverride>;
  /** Quiet time after the last keystroke before diagnostics are re-published. */
  debounceMs: number;
}

export const DEFAULT_VALIDATION_SETTINGS: ValidationSettings = Object.freeze({
  maxSeqLen: 2048,
  tokenizer: '',
  severity: {},
  debounceMs: 250,
}) as ValidationSettings;

export const MAX_SEQ_LEN_LIMIT = 1_048_576;
export const DEBOUNCE_LIMIT_MS = 10_000;
const SEVERITY_VALUES: readonly SeverityOverride[] = ['error', 'warning', 'info', 'off'];

export interface ConfigSource {
  get<T>(section: string): T | undefined;
}

export interface ParsedSettings {
  settings: ValidationSettings;
  /** One actionable sentence per ignored value, to show the user once. */
  problems: string[];
}

/** Reads and checks the settings; bad values fall back to the default and are reported, never thrown. */
export function readValidationSettings(source: ConfigSource, knownRules?: readonly string[]): ParsedSettings {
  const problems: string[] = [];
  const key = (name: string) => `${VALIDATION_SECTION}.${name}`;

  const maxSeqLen = readInteger(source.get<unknown>('maxSeqLen'), 1, MAX_SEQ_LEN_LIMIT);
  if (maxSeqLen === 'invalid') {
    problems.push(`${key('maxSeqLen')} must be a whole number between 1 and ${MAX_SEQ_LEN_LIMIT}; using ${DEFAULT_VALIDATION_SETTINGS.maxSeqLen}.`);
  }

  const debounceMs = readInteger(source.get<unknown>('debounceMs'), 0, DEBOUNCE_LIMIT_MS);
  if (debounceMs === 'invalid') {
    problems.push(`${key('debounceMs')} must be a whole number of milliseconds between 0 and ${DEBOUNCE_LIMIT_MS}; using ${DEFAULT_VALIDATION_SETTINGS.debounceMs}.`);
  }

  const rawTokenizer = source.get<unknown>('tokenizer');
  let tokenizer = DEFAULT_VALIDATION_SETTINGS.tokenizer;
  if (typeof rawTokenizer === 'string') tokenizer = rawTokenizer.trim();
  else if (rawTokenizer !== undefined && rawTokenizer !== null) {
    problems.push(`${key('tokenizer')} must be a path or a model id (a string); using approximate token counts.`);
  }

  const severity = readSeverity(source.get<unknown>('severity'), knownRules, key('severity'), problems);

  return {
    settings: {
      maxSeqLen: typeof maxSeqLen === 'number' ? maxSeqLen : DEFAULT_VALIDATION_SETTINGS.maxSeqLen,
      tokenizer,
      severity,
      debounceMs: typeof debounceMs === 'number' ? debounceMs : DEFAULT_VALIDATION_SETTINGS.debounceMs,
    },
    problems,
  };
}

function readInteger(value: unknown, min: number, max: number): number | 'invalid' | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return 'invalid';
  return value;
}

function readSeverity(
  value: unknown,
  knownRules: readonly string[] | undefined,
  key: string,
  problems: string[],
): Record<string, SeverityOverride> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${key} must be an object mapping rule codes to error|warning|info|off; ignoring it.`);
    return {};
  }
  const known = knownRules ? new Set(knownRules) : undefined;
  const result: Record<string, SeverityOverride> = {};
  for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
    if (known && !known.has(code)) {
      problems.push(`${key}: unknown rule code '${code}' (known: ${[...known].sort().join(', ')}); ignoring it.`);
    } else if (typeof level !== 'string' || !SEVERITY_VALUES.includes(level as SeverityOverride)) {
      problems.push(`${key}: '${code}' must be one of ${SEVERITY_VALUES.join(', ')}; ignoring ${JSON.stringify(level)}.`);
    } else {
      result[code] = level as SeverityOverride;
    }
  }
  return result;
}

/** True when two settings objects would validate identically (used to skip needless re-validation). */
export function sameValidationSettings(a: ValidationSettings, b: ValidationSettings): boolean {
  return (
    a.maxSeqLen === b.maxSeqLen &&
    a.tokenizer === b.tokenizer &&
    a.debounceMs === b.debounceMs &&
    JSON.stringify(Object.entries(a.severity).sort()) === JSON.stringify(Object.entries(b.severity).sort())
  );
}
