// Making a run config from a template: every `${name}` replaced by the value given for it (else its default), the
// `template` block dropped, the result checked like any run config. Pure; the CLI and the launch form call it.
import { placeholderUses, replacePlaceholders, TEMPLATE_VARIABLE_NAME, type TemplateBlock } from '../../contracts/runTemplate';
import { validateRunConfig, type ConfigProblem } from '../../contracts/validateRunConfig';
import type { RunConfigFile } from '../../contracts/runConfigFile';

export type FillResult =
  | { ok: true; config: RunConfigFile; raw: Record<string, unknown> }
  | { ok: false; error: string; missing: string[]; unknown: string[]; problems: ConfigProblem[] };

/** The template block of a parsed *.brightrun.json, or null when it is a plain run config. */
export function templateBlockOf(raw: unknown): TemplateBlock | null {
  if (typeof raw !== 'object' || raw === null || !('template' in raw)) return null;
  const block = (raw as { template?: unknown }).template;
  return typeof block === 'object' && block !== null ? (block as TemplateBlock) : null;
}

/** True when the text of a *.brightrun.json holds a run template (valid or not), false for a run config or bad JSON. */
export function isTemplateText(text: string): boolean {
  try {
    return templateBlockOf(JSON.parse(text.replace(/^\uFEFF/, ''))) !== null;
  } catch {
    return false;
  }
}

/** A copy of a JSON value with `fill` applied to every string, the `template` block left out. */
function mapStrings(value: unknown, fill: (text: string) => string, top = true): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, fill, false));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (!(top && key === 'template')) out[key] = mapStrings(item, fill, false);
    return out;
  }
  return value;
}

/** Parses `NAME=VALUE` operands (`--set`); the value may hold '=' and is taken as written. */
export function parseAssignments(items: readonly string[]): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const item of items) {
    const at = item.indexOf('=');
    const name = at < 0 ? item : item.slice(0, at);
    if (at < 0 || !TEMPLATE_VARIABLE_NAME.test(name)) problems.push(`'${item}' is not NAME=VALUE (e.g. train=data/train.jsonl)`);
    else if (name in values) problems.push(`${name} is set twice`);
    else values[name] = item.slice(at + 1);
  }
  return { values, problems };
}

function describeMissing(template: TemplateBlock, missing: readonly string[]): string {
  return missing.map((name) => `  ${name}${template.variables[name]?.description ? `: ${template.variables[name].description}` : ''}`).join('\n');
}

/**
 * The run config a template makes with `values` (by variable name): a value given wins over the variable's
 * default. Refused, with every reason at once, when a variable is left without a value, a value names no variable
 * of the template, or the filled config is not a valid run config.
 */
export function fillTemplate(raw: Record<string, unknown>, values: Readonly<Record<string, string>>): FillResult {
  const template = templateBlockOf(raw);
  if (template === null) return { ok: false, error: 'not a template (it has no "template" block)', missing: [], unknown: [], problems: [] };
  const variables = template.variables ?? {};
  const unknown = Object.keys(values).filter((name) => !(name in variables));
  const missing = [...new Set(placeholderUses(raw).map((use) => use.name))].filter(
    (name) => values[name] === undefined && variables[name]?.default === undefined,
  );
  const reasons: string[] = [];
  if (missing.length > 0)
    reasons.push(`fill ${missing.length === 1 ? 'this variable' : 'these variables'} (--set NAME=VALUE):\n${describeMissing(template, missing)}`);
  if (unknown.length > 0) {
    const known = Object.keys(variables);
    reasons.push(`${unknown.join(', ')}: not a variable of template "${template.name}" (it has ${known.length ? known.join(', ') : 'none'})`);
  }
  if (reasons.length > 0) return { ok: false, error: reasons.join('\n'), missing, unknown, problems: [] };
  const filled = mapStrings(raw, (text) => replacePlaceholders(text, (name) => values[name] ?? variables[name]?.default)) as Record<string, unknown>;
  const checked = validateRunConfig(filled);
  if (!checked.ok) return { ok: false, error: 'the filled template is not a valid run config', missing: [], unknown: [], problems: checked.problems };
  return { ok: true, config: checked.config, raw: filled };
}

/**
 * What the launch form starts from when a template is picked: the template's settings with the variables that
 * have a default filled in, and every setting that still holds an unfilled variable left out (the form asks for
 * it, e.g. the training file). `unfilled` lists those settings' paths ("datasets.train").
 */
export function templateFormStart(raw: Record<string, unknown>): { config: Record<string, unknown>; unfilled: string[] } {
  const variables = templateBlockOf(raw)?.variables ?? {};
  const unfilled: string[] = [];
  const visit = (value: unknown, path: string[]): unknown => {
    if (typeof value === 'string') {
      const names = placeholderUses(value).map((use) => use.name);
      if (names.some((name) => variables[name]?.default === undefined)) {
        unfilled.push(path.join('.'));
        return undefined;
      }
      return replacePlaceholders(value, (name) => variables[name]?.default);
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, String(index)]));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (path.length === 0 && key === 'template') continue;
        const next = visit(item, [...path, key]);
        if (next !== undefined) out[key] = next;
      }
      return out;
    }
    return value;
  };
  return { config: visit(raw, []) as Record<string, unknown>, unfilled };
}

/** The variables that stand for a file: the whole value of datasets.train or datasets.validation ('dataset'), or of
 *  baseModel ('model': a folder or .gguf file, or a Hub id). A relative path given on a command line means a path
 *  from the current folder, not from the template's. */
export function fileVariables(raw: Record<string, unknown>): Map<string, 'dataset' | 'model'> {
  const files = new Map<string, 'dataset' | 'model'>();
  for (const use of placeholderUses(raw)) {
    const key = use.path.join('.');
    if (!use.whole) continue;
    if (key === 'datasets.train' || key === 'datasets.validation') files.set(use.name, 'dataset');
    else if (key === 'baseModel' && !files.has(use.name)) files.set(use.name, 'model');
  }
  return files;
}
