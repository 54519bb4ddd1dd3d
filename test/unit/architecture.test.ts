// House rule: src/core is pure logic, testable without an editor; only src/vscode and extension.ts import 'vscode'.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const importsVscode = /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/;

describe('module boundaries', () => {
  for (const dir of ['src/core', 'src/platform', 'src/shared', 'src/cli']) {
    it(`${dir} does not import vscode`, () => {
      const offenders = sourceFiles(dir).filter((file) => importsVscode.test(readFileSync(file, 'utf8')));
      expect(offenders).toEqual([]);
    });
  }

  it('the detector recognises a vscode import', () => {
    expect(importsVscode.test("import * as vscode from 'vscode';")).toBe(true);
    expect(importsVscode.test("import { z } from 'zod';")).toBe(false);
  });
});
