import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATION_SETTINGS, readValidationSettings, sameValidationSettings } from '../../../src/vscode/settings';

function source(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe('readValidationSettings', () => {
  it('returns the defaults when nothing is set', () => {
    const { settings, problems } = readValidationSettings(source({}));
    expect(settings).toEqual(DEFAULT_VALIDATION_SETTINGS);
    expect(settings.maxSeqLen).toBe(2048);
    expect(problems).toEqual([]);
  });

  it('reads valid values', () => {
    const { settings, problems } = readValidationSettings(
      source({ maxSeqLen: 4096, tokenizer: '  /models/llama/tokenizer.json ', severity: { too_long: 'off', duplicate_example: 'error' }, debounceMs: 0 }),
      ['too_long', 'duplicate_example'],
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      maxSeqLen: 4096,
      tokenizer: '/models/llama/tokenizer.json',
      severity: { too_long: 'off', duplicate_example: 'error' },
      debounceMs: 0,
    });
  });

  it('falls back to defaults and says why for bad numbers', () => {
    const { settings, problems } = readValidationSettings(source({ maxSeqLen: 0, debounceMs: 2.5 }));
    expect(settings.maxSeqLen).toBe(2048);
    expect(settings.debounceMs).toBe(DEFAULT_VALIDATION_SETTINGS.debounceMs);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/brightrun\.validation\.maxSeqLen must be a whole number/);
    expect(problems[1]).toMatch(/debounceMs/);
  });

  it('rejects a string where a number is expected', () => {
    const { settings, problems } = readValidationSettings(source({ maxSeqLen: '4096' }));
    expect(settings.maxSeqLen).toBe(2048);
    expect(problems).toHaveLength(1);
  });

  it('keeps good severity entries and reports unknown codes and bad levels', () => {
    const { settings, problems } = readValidationSettings(source({ severity: { too_long: 'info', typo_rule: 'off', duplicate_example: 'fatal' } }), [
      'too_long',
      'duplicate_example',
    ]);
    expect(settings.severity).toEqual({ too_long: 'info' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/unknown rule code 'typo_rule'/);
    expect(problems.join('\n')).toMatch(/'duplicate_example' must be one of error, warning, info, off/);
  });

  it('ignores a severity setting that is not an object', () => {
    const { settings, problems } = readValidationSettings(source({ severity: ['too_long'] }));
    expect(settings.severity).toEqual({});
    expect(problems[0]).toMatch(/must be an object/);
  });

  it('reports a tokenizer that is not a string', () => {
    const { settings, problems } = readValidationSettings(source({ tokenizer: 42 }));
    expect(settings.tokenizer).toBe('');
    expect(problems[0]).toMatch(/tokenizer/);
  });
});

describe('sameValidationSettings', () => {
  it('ignores severity key order but sees any value change', () => {
    const a = { ...DEFAULT_VALIDATION_SETTINGS, severity: { a: 'off' as const, b: 'info' as const } };
    const b = { ...DEFAULT_VALIDATION_SETTINGS, severity: { b: 'info' as const, a: 'off' as const } };
    expect(sameValidationSettings(a, b)).toBe(true);
    expect(sameValidationSettings(a, { ...b, maxSeqLen: 10 })).toBe(false);
    expect(sameValidationSettings(a, { ...b, severity: { a: 'error' } })).toBe(false);
  });
});
