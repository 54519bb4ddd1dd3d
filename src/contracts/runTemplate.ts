// Run templates: a *.brightrun.json that holds a whole run config plus a `template` block, with `${name}`
// variables where each new run puts its own values (the datasets, a model folder that only existed on the machine
// that trained). The block is an optional part of RunConfigFile (one schema, so the contributed JSON Schema gives
// templates completion too); this file holds the block and the variable syntax both sides read.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

/** A variable's name: what `${name}` refers to and what `--set name=VALUE` fills. */
export const TEMPLATE_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Every `${name}` in a string value (a name that breaks the rule above is reported, not skipped). */
const PLACEHOLDER = /\$\{([^}]*)\}/g;

export const TemplateVariable = lazySchema(() =>
  z.strictObject({
    description: z.string().max(500).optional().describe('What to fill in, shown by the launch form and by `brightrun train` when it is missing.'),
    default: z.string().min(1).optional().describe('The value when none is given (dataset paths: relative to this template file).'),
  }),
);
export type TemplateVariable = z.output<typeof TemplateVariable>;

export const TemplateBlock = lazySchema(() =>
  z
    .strictObject({
      name: z.string().min(1).max(200).describe('The template as the launch form lists it.'),
      description: z.string().max(2000).optional().describe('What runs made from it are for.'),
      fromRun: z.string().max(200).optional().describe('The run it was saved from (its id).'),
      variables: z
        .record(z.string().regex(TEMPLATE_VARIABLE_NAME, 'a variable name is letters, digits and _, not starting with a digit'), TemplateVariable)
        .default({})
        .describe('The ${name} variables used in this file: each one is filled when a run is made from the template.'),
    })
    .describe(
      'Makes this file a run template: `brightrun train FILE --set train=data/train.jsonl` or the launch form fills its ${name} variables and launches a normal run config.',
    ),
);
export type TemplateBlock = z.output<typeof TemplateBlock>;

/** One `${name}` in the config: where (JSON path segments) and which name. */
export interface PlaceholderUse {
  path: (string | number)[];
  name: string;
  /** True when the value is exactly `${name}`. */
  whole: boolean;
}

/** Every placeholder in a config value (the `template` block itself excluded), in document order. */
export function placeholderUses(config: unknown): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(PLACEHOLDER)) uses.push({ path, name: match[1], whole: match[0] === value });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) if (!(path.length === 0 && key === 'template')) visit(item, [...path, key]);
    }
  };
  visit(config, []);
  return uses;
}

/** True for a value that is only a placeholder, e.g. "${baseModel}". */
export function isWholePlaceholder(value: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value);
}

/** The string with every `${name}` replaced by `value(name)`; names `value` does not know stay as they are. */
export function replacePlaceholders(text: string, value: (name: string) => string | undefined): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => value(name) ?? whole);
}
