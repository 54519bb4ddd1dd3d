// Rules for the field-based formats: alpaca, prompt-completion and text. Each is a fixed set of string fields,
// some required; the rules are the same for all three, driven by a small table.
import { closestName, keyAt, quoted, valueAt, type LineIssue } from '../issues';
import { contentPartTexts } from './contentParts';
import { emptyShape, typeName, type CheckResult } from './shape';

interface FieldSpec {
  required: readonly string[];
  optional: readonly string[];
  /** Fields the model learns to produce. */
  trained: readonly string[];
  /** Fields that must not be blank when present. */
  nonBlank: readonly string[];
}

export const FIELD_FORMATS = {
  alpaca: { required: ['instruction', 'output'], optional: ['input', 'system', 'history'], trained: ['output'], nonBlank: ['instruction', 'output'] },
  'prompt-completion': { required: ['prompt', 'completion'], optional: [], trained: ['completion'], nonBlank: ['prompt', 'completion'] },
  text: { required: ['text'], optional: [], trained: ['text'], nonBlank: ['text'] },
} as const satisfies Record<string, FieldSpec>;

export type FieldFormat = keyof typeof FIELD_FORMATS;

export function checkFieldFormat(format: FieldFormat, example: Record<string, unknown>): CheckResult {
  const spec: FieldSpec = FIELD_FORMATS[format];
  const issues: LineIssue[] = [];
  const shape = emptyShape();
  const allowed = [...spec.required, ...spec.optional];
  const present = new Set(Object.keys(example));
  const renamedTo = new Set<string>();
  for (const key in example) {
    if (allowed.includes(key)) continue;
    const fix = closestName(key, allowed, present);
    if (fix) renamedTo.add(fix);
    issues.push({
      code: fix && spec.required.includes(fix) ? 'missing_field' : 'unrecognized_key',
      message: fix
        ? `${quoted(key)} should be "${fix}": rename the key.`
        : `Unrecognized key ${quoted(key)} is ignored by ${format} training; allowed keys: ${allowed.join(', ')}.`,
      at: keyAt(key),
      fixes: fix ? [{ kind: 'renameKey', title: `Rename ${quoted(key)} to "${fix}"`, path: [key], to: fix }] : undefined,
    });
  }
  for (const field of spec.required) {
    if (example[field] === undefined && !renamedTo.has(field)) {
      issues.push({ code: 'missing_field', message: `The ${format} example has no "${field}"; add "${field}": "...".`, at: valueAt() });
    }
  }
  for (const field of allowed) {
    const value = example[field];
    if (value === undefined) continue;
    if (field === 'history') {
      if (!Array.isArray(value) || !value.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((s) => typeof s === 'string'))) {
        issues.push({ code: 'invalid_field_type', message: '"history" must be a list of [instruction, response] string pairs.', at: valueAt('history') });
      } else {
        for (const [q, a] of value as [string, string][]) {
          shape.turns.push('user', 'assistant');
          shape.texts.push(q, a);
          shape.trained.push(false, false);
        }
      }
      continue;
    }
    if (Array.isArray(value)) {
      // A content-part list, as in a chat message: its text parts are the field's text.
      const parts = contentPartTexts(value, [field], `"${field}"`, issues);
      for (const text of parts.texts) {
        shape.texts.push(text);
        shape.trained.push(spec.trained.includes(field));
      }
      shape.images += parts.images;
      continue;
    }
    if (typeof value !== 'string') {
      issues.push({
        code: 'invalid_field_type',
        message: `"${field}" must be a string or a list of content parts, not ${typeName(value)}.`,
        at: valueAt(field),
      });
      continue;
    }
    if (spec.nonBlank.includes(field) && value.trim() === '') {
      issues.push({ code: 'whitespace_content', message: `"${field}" is empty or only whitespace; write the text or remove the example.`, at: valueAt(field) });
    }
    shape.texts.push(value);
    shape.trained.push(spec.trained.includes(field));
  }
  if (format === 'alpaca') {
    if (typeof example.system === 'string' || Array.isArray(example.system)) shape.turns.unshift('system');
    shape.turns.push('user', 'assistant');
  }
  return { issues, shape };
}
