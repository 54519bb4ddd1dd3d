// The `brightrun.validation.*` entries of package.json `contributes.configuration`, derived from the
// validator's RULES so the rule codes offered in settings.json never drift from the rules that exist.
// test/unit/editor/settingsContribution.test.ts fails when package.json differs; `npm run gen:settings`
// rewrites those entries.
import { RULES } from '../../core/dataset/rules';
import { DEBOUNCE_LIMIT_MS, DEFAULT_VALIDATION_SETTINGS, MAX_SEQ_LEN_LIMIT, VALIDATION_SECTION } from '../settings';

export function validationSettingsContribution(): Record<string, unknown> {
  const ruleProperties = Object.fromEntries(
    Object.entries(RULES)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, rule]) => [code, { type: 'string', enum: ['error', 'warning', 'info', 'off'], description: `${rule.summary} (default: ${rule.severity})` }]),
  );
  return {
    [`${VALIDATION_SECTION}.maxSeqLen`]: {
      type: 'integer',
      default: DEFAULT_VALIDATION_SETTINGS.maxSeqLen,
      minimum: 1,
      maximum: MAX_SEQ_LEN_LIMIT,
      markdownDescription: 'Maximum sequence length in tokens: longer examples are reported (`too_long`) and counted in the summary.',
    },
    [`${VALIDATION_SECTION}.tokenizer`]: {
      type: 'string',
      default: DEFAULT_VALIDATION_SETTINGS.tokenizer,
      markdownDescription:
        'Tokenizer for exact token counts: a path to a `tokenizer.json` or a model folder, or a Hugging Face model id already in the local cache. Empty: approximate counts (no download).',
    },
    [`${VALIDATION_SECTION}.severity`]: {
      type: 'object',
      default: {},
      markdownDescription: 'Severity per rule code: `error`, `warning`, `info`, or `off` to hide the rule. Example: `{ "too_long": "error" }`.',
      properties: ruleProperties,
      additionalProperties: false,
    },
    [`${VALIDATION_SECTION}.debounceMs`]: {
      type: 'integer',
      default: DEFAULT_VALIDATION_SETTINGS.debounceMs,
      minimum: 0,
      maximum: DEBOUNCE_LIMIT_MS,
      markdownDescription: 'Milliseconds of quiet after typing before the Problems panel is updated.',
    },
  };
}

/** Replaces the validation entries in a parsed package.json, leaving every other property where it was. */
export function withValidationSettings(manifest: { contributes?: { configuration?: { properties?: Record<string, unknown> } } }): void {
  const configuration = manifest.contributes?.configuration;
  if (!configuration) throw new Error('package.json has no contributes.configuration');
  const properties = configuration.properties ?? {};
  const others = Object.entries(properties).filter(([key]) => !key.startsWith(`${VALIDATION_SECTION}.`));
  configuration.properties = { ...Object.fromEntries(others), ...validationSettingsContribution() };
}
