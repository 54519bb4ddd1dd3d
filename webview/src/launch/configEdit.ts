// Editing a *.brightrun.json object field by field. The form keeps the config exactly as the file would hold
// it (maybe invalid while typing) and validates it with the file's own schema, so the form and the file can
// never disagree about what is allowed. Pure functions; tested without a DOM.
import { validateRunConfig, type ConfigProblem } from '../../../src/contracts/validateRunConfig';

export type ConfigObject = Record<string, unknown>;

/** A field's address in the config, e.g. "hyperparameters.learningRate". */
export type FieldPath = string;

export function getAt(config: ConfigObject, path: FieldPath): unknown {
  let value: unknown = config;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as ConfigObject)[key];
  }
  return value;
}

/** A copy with the value set (undefined removes the key, and a parent object left empty). */
export function setAt(config: ConfigObject, path: FieldPath, value: unknown): ConfigObject {
  const [key, ...rest] = path.split('.');
  const next: ConfigObject = { ...config };
  if (rest.length === 0) {
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next;
  }
  const child = typeof config[key] === 'object' && config[key] !== null ? (config[key] as ConfigObject) : {};
  const updated = setAt(child, rest.join('.'), value);
  if (Object.keys(updated).length === 0 && key !== 'datasets') delete next[key];
  else next[key] = updated;
  return next;
}

/** What a typed number becomes in the config: a number, nothing (empty), or the text itself so the schema
 *  reports it ("Enter a number") instead of the form silently dropping it. */
export function numberFromInput(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : text;
}

function friendly(message: string): string {
  if (/expected number, received string/.test(message)) return 'Enter a number.';
  if (/expected int/.test(message)) return 'Enter a whole number.';
  if (/expected string, received undefined|required setting is missing/.test(message)) return 'Required.';
  if (/Too small: expected string to have >=1/.test(message)) return 'Required.';
  const bound = /^Too (big|small): expected number to be ([<>]=?)(.+)$/.exec(message);
  if (bound !== null) {
    const words: Record<string, string> = { '<=': 'At most', '<': 'Less than', '>=': 'At least', '>': 'More than' };
    return `${words[bound[2]]} ${bound[3]}.`;
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Problems keyed by field path ("$.hyperparameters.learningRate" -> "hyperparameters.learningRate"). */
export function problemsByField(problems: readonly ConfigProblem[]): Map<FieldPath, string> {
  const byField = new Map<FieldPath, string>();
  for (const problem of problems) {
    const field = problem.path.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1') || '$';
    if (!byField.has(field)) byField.set(field, friendly(problem.message));
  }
  return byField;
}

/** The optional free-text labels of the form: an emptied field means "none", which the file says by omitting it. */
const OPTIONAL_LABELS: readonly FieldPath[] = ['name', 'project'];

/** The config as the file holds it: the form writes empty label fields as "", the file leaves them out. */
export function withoutEmptyLabels(config: ConfigObject): ConfigObject {
  return OPTIONAL_LABELS.reduce((current, path) => (getAt(current, path) === '' ? setAt(current, path, undefined) : current), config);
}

/** The config's problems by field; empty when the config is valid. */
export function validateForm(config: ConfigObject): Map<FieldPath, string> {
  let cleaned = withoutEmptyLabels(config);
  // A missing datasets object is reported at the training file picker, where the user fixes it.
  if (getAt(cleaned, 'datasets') === undefined) cleaned = { ...cleaned, datasets: {} };
  const result = validateRunConfig(cleaned);
  return result.ok ? new Map() : problemsByField(result.problems);
}
