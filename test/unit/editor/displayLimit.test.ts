import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../src/contracts/dataset';
import { hiddenMessage, omittedNotices, selectForDisplay } from '../../../src/vscode/validation/displayLimit';
import { convertedPath, describeLines, skippedSentence } from '../../../src/vscode/validation/convertPaths';

const finding = (line: number, severity: Severity): Finding => ({ line, column: 1, endColumn: 2, code: 'x', severity, message: 'm' });

describe('selectForDisplay', () => {
  it('keeps everything under the limit, in order', () => {
    const all = [finding(2, 'info'), finding(1, 'error')];
    expect(selectForDisplay(all, 5).shown).toEqual(all);
    expect(hiddenMessage(selectForDisplay(all, 5).hidden)).toBeUndefined();
  });

  it('keeps errors first when cutting, then sorts the kept ones by line', () => {
    const all = [finding(1, 'info'), finding(2, 'warning'), finding(3, 'error'), finding(4, 'info'), finding(5, 'error')];
    const { shown, hidden } = selectForDisplay(all, 3);
    expect(shown.map((f) => f.line)).toEqual([2, 3, 5]);
    expect(hidden).toEqual({ errors: 0, warnings: 0, infos: 2 });
    expect(hiddenMessage(hidden)).toMatch(/^2 more findings not shown/);
  });
});

describe('convert paths', () => {
  it('puts the converted file beside the source', () => {
    expect(convertedPath('/data/train.jsonl')).toBe('/data/train.openai.jsonl');
    expect(convertedPath('/data/Train.JSONL')).toBe('/data/Train.openai.jsonl');
    expect(convertedPath('/data/train.json')).toBe('/data/train.openai.jsonl');
    expect(convertedPath('/data/.jsonl')).toBe('/data/.jsonl.openai.jsonl');
  });

  it('describes unconverted lines briefly', () => {
    expect(describeLines([])).toBe('no lines');
    expect(describeLines([4])).toBe('line 4');
    expect(describeLines([1, 2, 3], 2)).toBe('lines 1, 2 and 1 more');
  });
});

describe('skippedSentence', () => {
  it('names one skipped line with its reason, or several with the first reason', () => {
    expect(skippedSentence([])).toBe('');
    expect(skippedSentence([{ line: 2, reason: '"conversations" is not a list' }])).toBe('Line 2 was not converted: "conversations" is not a list.');
    expect(
      skippedSentence([
        { line: 2, reason: 'not valid JSON' },
        { line: 5, reason: 'x' },
      ]),
    ).toBe('Lines 2, 5 were not converted (line 2: not valid JSON).');
  });
});

describe('omittedNotices', () => {
  it('says, per rule code, how many findings the validator left out', () => {
    expect(omittedNotices(undefined)).toEqual([]);
    expect(omittedNotices({})).toEqual([]);
    const notices = omittedNotices({ duplicate_example: 1, invalid_json: 298_999 });
    expect(notices.map((n) => n.code)).toEqual(['duplicate_example', 'invalid_json']);
    expect(notices[0].message).toMatch(/^1 more duplicate_example finding was not shown/);
    expect(notices[1].message).toMatch(/^298,999 more invalid_json findings were not shown \(at most 1,000 per rule code/);
  });
});
