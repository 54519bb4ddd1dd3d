// `brightrun train TEMPLATE --set NAME=VALUE ...`: the run config a template makes with the values given on the
// command line. A value for a file variable (a dataset or a model folder) is a path from the current folder, as a
// shell user types it; the template's own defaults stay relative to the template.
import { isAbsolute, resolve } from 'node:path';
import { fileVariables, fillTemplate, parseAssignments, templateBlockOf } from '../core/config/fillTemplate';
import { isLocalModelPath } from '../contracts/baseModelName';
import { formatProblems } from '../contracts/validateRunConfig';
import type { RunConfigFile } from '../contracts/runConfigFile';

function fromCurrentFolder(value: string, kind: 'dataset' | 'model', cwd: string): string {
  if (value === '' || isAbsolute(value) || value.startsWith('~')) return value;
  // A model is a Hub id ("org/name") unless written as a path (./x, ../x) or a .gguf file.
  if (kind === 'model' && !isLocalModelPath(value)) return value;
  return resolve(cwd, value);
}

/** The filled run config, or what is wrong in words (every problem at once). */
export function configFromTemplate(path: string, raw: Record<string, unknown>, sets: readonly string[], cwd: string): RunConfigFile | string {
  const { values, problems } = parseAssignments(sets);
  if (problems.length > 0) return `--set: ${problems.join('; ')}`;
  if (templateBlockOf(raw) === null) return `${path} is a run config, not a template (it has no "template" block): --set fills a template's variables`;
  const files = fileVariables(raw);
  for (const [name, kind] of files) if (values[name] !== undefined) values[name] = fromCurrentFolder(values[name], kind, cwd);
  const filled = fillTemplate(raw, values);
  if (filled.ok) return filled.config;
  const details = filled.problems.length > 0 ? `:\n${formatProblems(filled.problems)}` : '';
  return `${path} is a template; ${filled.error}${details}`;
}
