// Every `brightrun.*` setting, read in one place: the table below gives each its JSON type and default (a unit
// test checks it against package.json's contributes.configuration, both directions), and the readers turn what
// the editor hands over into typed values. They take anything with `get(section)` (a WorkspaceConfiguration in
// the editor, a plain object in tests); bad values fall back to the default and are reported in words, never
// thrown. Callers re-read on `onDidChangeConfiguration`; nothing here caches.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SeverityOverride } from '../contracts/dataset';
import { parseHostsList, type HostSettings } from '../core/hosts/hostSettings';

export const SETTINGS_SECTION = 'brightrun';

/** Each setting's JSON type and default, as package.json declares them. */
export const SETTINGS = {
  'validation.maxSeqLen': { type: 'integer', default: 2048 },
  'validation.tokenizer': { type: 'string', default: '' },
  'validation.severity': { type: 'object', default: {} as Record<string, SeverityOverride> },
  'validation.debounceMs': { type: 'integer', default: 250 },
  pythonPath: { type: 'string', default: '' },
  /** '' = ~/.brightrun. */
  localWorkdir: { type: 'string', default: '' },
  defaultPricePerGpuHour: { type: ['number', 'null'], default: null as number | null },
  hosts: { type: 'array', default: [] as HostSettings[] },
  /** '' = HF_ENDPOINT, else the public Hub. */
  hubUrl: { type: 'string', default: '' },
  /** 0 = no budget. */
  'spend.monthlyBudgetUsd': { type: 'number', default: 0 },
} as const;

export interface ConfigSource {
  get<T>(section: string): T | undefined;
}

/** Everything BrightRun reads from the settings, from the `brightrun` section. */
export interface Settings {
  validation: ValidationSettings;
  run: RunSettings;
  hubUrl: string;
}

export function readSettings(
  source: ConfigSource,
  options: { knownRules?: readonly string[]; home?: string } = {},
): { settings: Settings; problems: string[] } {
  const validation = readValidationSettings({ get: <T>(key: string) => source.get<T>(`validation.${key}`) }, options.knownRules);
  const run = readRunSettings(source, options.home);
  const hub = readHubUrl(source);
  return {
    settings: { validation: validation.settings, run: run.settings, hubUrl: hub.value },
    problems: [...validation.problems, ...run.problems, ...hub.problems],
  };
}

/** `brightrun.hubUrl`, trimmed; '' when unset. */
export function readHubUrl(source: ConfigSource): { value: string; problems: string[] } {
  const value = source.get<unknown>('hubUrl');
  if (value === undefined || value === null) return { value: SETTINGS.hubUrl.default, problems: [] };
  if (typeof value !== 'string') return { value: SETTINGS.hubUrl.default, problems: ['brightrun.hubUrl must be a URL (a string); using the default Hub.'] };
  return { value: value.trim(), problems: [] };
}

// ---- brightrun.validation.* (read from the `brightrun.validation` section)

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
  maxSeqLen: SETTINGS['validation.maxSeqLen'].default,
  tokenizer: SETTINGS['validation.tokenizer'].default,
  severity: SETTINGS['validation.severity'].default,
  debounceMs: SETTINGS['validation.debounceMs'].default,
}) as ValidationSettings;

export const MAX_SEQ_LEN_LIMIT = 1_048_576;
export const DEBOUNCE_LIMIT_MS = 10_000;
const SEVERITY_VALUES: readonly SeverityOverride[] = ['error', 'warning', 'info', 'off'];

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
    problems.push(
      `${key('debounceMs')} must be a whole number of milliseconds between 0 and ${DEBOUNCE_LIMIT_MS}; using ${DEFAULT_VALIDATION_SETTINGS.debounceMs}.`,
    );
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

function readSeverity(value: unknown, knownRules: readonly string[] | undefined, key: string, problems: string[]): Record<string, SeverityOverride> {
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

// ---- run settings: brightrun.pythonPath, brightrun.localWorkdir, brightrun.defaultPricePerGpuHour, brightrun.hosts

export interface RunSettings {
  /** The user's own Python for local runs, used as it is; '' = the managed environment (built once, reused). */
  pythonPath: string;
  localWorkdir: string;
  defaultPricePerGpuHour: number | null;
  hosts: HostSettings[];
}

export function readRunSettings(source: ConfigSource, home = homedir()): { settings: RunSettings; problems: string[] } {
  const problems: string[] = [];
  const text = (key: string) => {
    const value = source.get<unknown>(key);
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      problems.push(`brightrun.${key} must be a string; ignoring it.`);
      return '';
    }
    return value.trim().replace(/^~(?=\/|$)/, home);
  };
  const price = source.get<unknown>('defaultPricePerGpuHour');
  let defaultPricePerGpuHour: number | null = SETTINGS.defaultPricePerGpuHour.default;
  if (typeof price === 'number' && Number.isFinite(price) && price >= 0) defaultPricePerGpuHour = price;
  else if (price !== undefined && price !== null) problems.push('brightrun.defaultPricePerGpuHour must be a number of USD (0 or more); ignoring it.');

  let hosts: HostSettings[] = [...SETTINGS.hosts.default];
  const rawHosts = source.get<unknown>('hosts');
  if (rawHosts !== undefined && rawHosts !== null) {
    try {
      hosts = parseHostsList(rawHosts, 'the brightrun.hosts setting').filter((host) => host.name !== 'local');
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return {
    settings: {
      pythonPath: text('pythonPath'),
      localWorkdir: text('localWorkdir') || join(home, '.brightrun'),
      defaultPricePerGpuHour,
      hosts,
    },
    problems,
  };
}

// ---- brightrun.spend.monthlyBudgetUsd

/** The monthly GPU budget in USD; 0 = none. A bad value is no budget, reported once in words. */
export function readMonthlyBudgetUsd(source: ConfigSource): { value: number; problems: string[] } {
  const value = source.get<unknown>('spend.monthlyBudgetUsd');
  if (value === undefined || value === null) return { value: SETTINGS['spend.monthlyBudgetUsd'].default, problems: [] };
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return { value: 0, problems: ['brightrun.spend.monthlyBudgetUsd must be a number of USD, 0 or more (0: no budget); no budget is applied.'] };
  }
  return { value, problems: [] };
}
