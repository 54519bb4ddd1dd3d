// Shared helpers for the validator tests: build examples, validate lines in memory or from a temp file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { hostEntries } from '../../../scripts/lib/bundles.mjs';
import { DocumentValidator, estimateCounter, validateFile } from '../../../src/core/dataset';
import type { Finding, Fix, ValidateOptions } from '../../../src/contracts/dataset';
import { nodeDatasetFiles } from '../../../src/platform/nodeDatasetFiles';
import type { WorkerScript } from '../../../src/platform/validationWorkers';

export const user = (content: unknown) => ({ role: 'user', content });
export const assistant = (content: unknown) => ({ role: 'assistant', content });
export const system = (content: unknown) => ({ role: 'system', content });
export const chat = (...messages: unknown[]) => JSON.stringify({ messages });
export const OK = chat(user('What colour is the lamp?'), assistant('Sand.'));
export const OK2 = chat(user('How long is the warranty?'), assistant('Two years.'));

/** A pairs-format line, and an openai-preference line (each side one assistant turn). */
export const pair = (prompt: unknown, chosen: unknown, rejected: unknown) => JSON.stringify({ prompt, chosen, rejected });
export const preference = (messages: unknown[], preferred: unknown, nonPreferred: unknown) =>
  JSON.stringify({ input: { messages }, preferred_output: preferred, non_preferred_output: nonPreferred });
export const PAIR = pair('Name a primary colour.', 'Red.', 'Purple, probably, or maybe green.');
export const PREF = preference([user('Name a primary colour.')], [assistant('Red.')], [assistant('Purple, probably.')]);

export const baseOptions = (): ValidateOptions => ({ maxSeqLen: 2048, tokenCounter: estimateCounter() });

export function validateLines(lines: string[], options: Partial<ValidateOptions> = {}): { findings: Finding[]; validator: DocumentValidator } {
  const validator = new DocumentValidator({ ...baseOptions(), ...options });
  validator.reset(lines);
  return { findings: validator.findings(), validator };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'brightrun-dataset-'));
}

/** Bundles the real validation worker into a temp folder, as the extension ships it, for tests that run it. */
export async function buildValidateWorker(): Promise<WorkerScript> {
  const dir = tempDir();
  await build({ entryPoints: { validateWorker: hostEntries.validateWorker }, bundle: true, platform: 'node', format: 'cjs', outdir: dir, logLevel: 'error' });
  return { file: join(dir, 'validateWorker.js'), execArgv: [] };
}

export function writeTemp(content: string | Buffer, name = 'data.jsonl'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export async function validateText(content: string | Buffer, options: Partial<ValidateOptions> = {}) {
  return validateFile(writeTemp(content), { ...baseOptions(), ...options, files: nodeDatasetFiles });
}

/** Applies a fix to the lines, the way the editor's quick fix does. */
export function applyFix(lines: string[], fix: Fix): string[] {
  const out = [...lines];
  if (fix.kind === 'deleteLine') out.splice(fix.line - 1, 1);
  else {
    const text = out[fix.line - 1];
    out[fix.line - 1] = text.slice(0, fix.column - 1) + fix.text + text.slice(fix.endColumn - 1);
  }
  return out;
}

/** The text a finding's range covers. */
export const covered = (lines: string[], f: Finding) => lines[f.line - 1].slice(f.column - 1, f.endColumn - 1);
