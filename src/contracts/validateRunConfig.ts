// Checks a *.brightrun.json document and reports every problem at once, each with its JSON path
// ("$.hyperparameters.learningRate"), so a user fixes the whole file in one pass instead of one error per launch.
import type { z } from 'zod';
import { RunConfigFile } from './runConfigFile';
import { isPreferenceMethod } from './preference';
import { sweepConfigProblems } from './sweepProblems';
import { placeholderUses, TEMPLATE_VARIABLE_NAME } from './runTemplate';

export interface ConfigProblem {
  /** JSON path of the offending value, "$" for the document itself. */
  path: string;
  message: string;
}

export type RunConfigResult = { ok: true; config: RunConfigFile } | { ok: false; problems: ConfigProblem[] };

export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: jsonPath([...issue.path, key]),
      message: `unknown setting '${key}' (check the spelling; the schema lists every setting)`,
    }));
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return [{ path: jsonPath(issue.path), message: `required setting is missing (expected ${issue.expected})` }];
  }
  return [{ path: jsonPath(issue.path), message: issue.message }];
}

/** Validates an already-parsed JSON value. */
export function validateRunConfig(value: unknown): RunConfigResult {
  const parsed = RunConfigFile.safeParse(value);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(describeIssue) };
  const problems: ConfigProblem[] = [];
  const config = parsed.data;
  if (config.datasets.validation !== undefined && config.datasets.validation === config.datasets.train) {
    problems.push({
      path: '$.datasets.validation',
      message: 'the validation file is the training file; evaluation on training data says nothing about overfitting',
    });
  }
  if (isPreferenceMethod(config.method) && config.packing) {
    problems.push({
      path: '$.packing',
      message: `method ${config.method} scores each chosen and rejected response as a whole sequence, so packing must be off; set "packing": false`,
    });
  }
  if (!isPreferenceMethod(config.method) && config.preference !== undefined) {
    problems.push({
      path: '$.preference',
      message: 'preference settings apply only to method dpo or orpo; set "method", or remove "preference"',
    });
  }
  problems.push(...templateProblems(value as Record<string, unknown>, config));
  problems.push(...sweepConfigProblems(config));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** A template uses only the variables it declares and declares only those it uses; a config that is not a
 *  template has no `${name}` left in it (a run would take it literally). */
function templateProblems(raw: Record<string, unknown>, config: RunConfigFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const declared = config.template?.variables ?? {};
  const used = new Set<string>();
  for (const use of placeholderUses(raw)) {
    used.add(use.name);
    const path = jsonPath(use.path);
    if (!config.template) {
      problems.push({ path, message: `\${${use.name}} is a template variable, but this file has no "template" block: write the value itself` });
    } else if (!TEMPLATE_VARIABLE_NAME.test(use.name)) {
      problems.push({ path, message: `'\${${use.name}}' is not a variable name (letters, digits and _, not starting with a digit)` });
    } else if (!(use.name in declared)) {
      problems.push({ path, message: `\${${use.name}} is not declared: add "${use.name}" to template.variables` });
    }
  }
  for (const name of Object.keys(declared)) {
    if (!used.has(name))
      problems.push({
        path: jsonPath(['template', 'variables', name]),
        message: `variable "${name}" is not used anywhere in the file: remove it, or use \${${name}}`,
      });
  }
  return problems;
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses and validates the text of a *.brightrun.json file. */
export function parseRunConfigText(text: string): RunConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : undefined;
    return {
      ok: false,
      problems: [{ path: '$', message: `not valid JSON${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${message}` }],
    };
  }
  return validateRunConfig(value);
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
}
