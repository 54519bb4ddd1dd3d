// Inputs built to break a validator (scripts/lib/pathologicalDatasets.mjs): each validates through validateFile,
// the path the CLI takes, without throwing, and its report stays small (findings limited per code and per file)
// while the counts keep everything: kept + omitted findings of the class's code add up to what the file holds.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATHOLOGICAL_CLASSES, PATHOLOGICAL_CLASS_NAMES, writePathological } from '../../../scripts/lib/pathologicalDatasets.mjs';
import { DocumentValidator, validateFile } from '../../../src/core/dataset';
import { nodeDatasetFiles } from '../../../src/platform/nodeDatasetFiles';
import { FindingCollector, MAX_FINDINGS_PER_CODE, MAX_FINDINGS_PER_FILE } from '../../../src/core/dataset/findingLimits';
import type { FileReport, Finding } from '../../../src/contracts/dataset';
import { baseOptions, OK, OK2, tempDir } from './helpers';

function expectBounded(report: Pick<FileReport, 'findings' | 'omitted' | 'stats'>): void {
  expect(report.findings.length).toBeLessThanOrEqual(MAX_FINDINGS_PER_FILE);
  const perCode = new Map<string, number>();
  for (const f of report.findings) perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
  for (const [code, n] of perCode) expect(n, code).toBeLessThanOrEqual(MAX_FINDINGS_PER_CODE);
  // Messages quote user data: a 100 kB key must not make a 100 kB message.
  for (const f of report.findings) expect(f.message.length, f.code).toBeLessThan(600);
  const omitted = Object.values(report.omitted).reduce((a, b) => a + b, 0);
  const { errors, warnings, infos } = report.stats;
  expect(errors + warnings + infos).toBe(report.findings.length + omitted);
  expect(JSON.stringify(report).length).toBeLessThan(8 << 20);
}

const kept = (findings: Finding[], code: string) => findings.filter((f) => f.code === code).length;

describe('pathological inputs through validateFile', () => {
  const dir = tempDir();
  for (const name of PATHOLOGICAL_CLASS_NAMES) {
    const spec = PATHOLOGICAL_CLASSES[name];
    it(`${name}: ${spec.description}`, async () => {
      const path = join(dir, `${name}.jsonl`);
      const lines = writePathological(name, path);
      const expected = spec.expect(1);
      expect(lines).toBe(expected.lines);
      const report = await validateFile(path, { ...baseOptions(), files: nodeDatasetFiles });
      expectBounded(report);
      if (expected.code) {
        expect(kept(report.findings, expected.code) + (report.omitted[expected.code] ?? 0)).toBe(expected.count);
        expect(kept(report.findings, expected.code)).toBe(Math.min(expected.count, MAX_FINDINGS_PER_CODE));
      }
      if (name === 'hugeConversation' || name === 'longRuns') {
        expect(report.stats.errors).toBe(0);
        expect(report.stats.examples).toBe(expected.lines);
      }
      if (name === 'deepNesting') {
        // Every line gets its finding, none is lost to a stack overflow.
        for (let line = 1; line <= expected.lines; line++)
          expect(
            report.findings.some((f) => f.line === line),
            `line ${line}`,
          ).toBe(true);
      }
      expect(statSync(path).size).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('pathological inputs in the editor (DocumentValidator)', () => {
  for (const name of ['hugeArray', 'manyKeys', 'manyMessageKeys', 'duplicateLines', 'deepNesting', 'unknownFormatLines'] as const) {
    it(`${name}: bounded findings, complete counts`, () => {
      const lines = [...PATHOLOGICAL_CLASSES[name].lines(1)];
      const validator = new DocumentValidator(baseOptions());
      validator.reset(lines);
      const report = { findings: validator.findings(), omitted: validator.omitted(), stats: validator.stats() };
      expectBounded(report);
      const expected = PATHOLOGICAL_CLASSES[name].expect(1);
      if (expected.code) expect(kept(report.findings, expected.code) + (report.omitted[expected.code] ?? 0)).toBe(expected.count);
    }, 120_000);
  }

  it('a paste of 200k lines is applied without overflowing the stack', () => {
    const validator = new DocumentValidator(baseOptions());
    validator.reset([OK]);
    validator.applyChange(
      1,
      0,
      Array.from({ length: 200_000 }, (_, i) => (i % 2 ? OK : OK2)),
    );
    expect(validator.lineCount).toBe(200_001);
    expect(validator.stats().warnings).toBe(199_999);
    expect(validator.omitted()).toEqual({ duplicate_example: 199_999 - MAX_FINDINGS_PER_CODE });
  }, 120_000);
});

describe('finding limits', () => {
  const finding = (line: number, code: string, severity: Finding['severity'] = 'error'): Finding => ({
    line,
    column: 1,
    endColumn: 2,
    code,
    severity,
    message: `m${line}`,
  });

  it('keeps the first findings of each code in file order, whatever order they come in', () => {
    const limits = { perCode: 3, perFile: 100 };
    const inOrder = new FindingCollector(undefined, limits);
    const shuffled = new FindingCollector(undefined, limits);
    const lines = Array.from({ length: 50 }, (_, i) => i + 1);
    for (const line of lines) inOrder.add(finding(line, 'invalid_json'));
    for (const line of [...lines].reverse()) shuffled.add(finding(line, 'invalid_json'));
    expect(inOrder.result().findings.map((f) => f.line)).toEqual([1, 2, 3]);
    expect(shuffled.result()).toEqual(inOrder.result());
    expect(inOrder.result().omitted).toEqual({ invalid_json: 47 });
    expect(inOrder.result().errors).toBe(50);
  });

  it('cuts a file to its limit keeping errors before warnings, and counts what it left out', () => {
    const c = new FindingCollector(undefined, { perCode: 10, perFile: 4 });
    for (let line = 1; line <= 3; line++) c.add(finding(line, 'duplicate_example', 'warning'));
    for (let line = 4; line <= 6; line++) c.add(finding(line, 'invalid_json'));
    const r = c.result();
    expect(r.findings.map((f) => f.line)).toEqual([1, 4, 5, 6]);
    expect(r.omitted).toEqual({ duplicate_example: 2 });
    expect([r.errors, r.warnings]).toEqual([3, 3]);
  });

  it('applies severity overrides before limiting and counting; omitted counts from elsewhere follow them', () => {
    const c = new FindingCollector({ duplicate_example: 'off', invalid_json: 'warning' }, { perCode: 1, perFile: 10 });
    c.add(finding(1, 'duplicate_example', 'warning'));
    c.add(finding(2, 'invalid_json'));
    c.add(finding(3, 'invalid_json'));
    c.addOmitted('invalid_json', 5);
    c.addOmitted('duplicate_example', 5);
    const r = c.result();
    expect(r.findings).toEqual([{ ...finding(2, 'invalid_json'), severity: 'warning' }]);
    expect(r.omitted).toEqual({ invalid_json: 6 });
    expect([r.errors, r.warnings, r.infos]).toEqual([0, 7, 0]);
  });
});
