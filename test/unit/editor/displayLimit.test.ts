import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../src/core/dataset/types';
import { hiddenMessage, selectForDisplay } from '../../../src/vscode/validation/displayLimit';
import { convertedPath, describeLines } from '../../../src/vscode/validation/convertPaths';

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
