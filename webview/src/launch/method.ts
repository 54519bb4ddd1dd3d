// Which training method the form holds for the chosen training file: a preference file (pairs) trains with dpo
// unless orpo was chosen; any other format trains with sft. Pure; applied when the file's format becomes known.
import { isPreferenceFormat, PreferenceSettings, type TrainingMethod } from '../../../src/contracts/preference';

/** The method for a training file of `format`, keeping `current` when it fits (undefined: sft, the default). */
export function methodForFormat(current: unknown, format: string | undefined): TrainingMethod | undefined {
  if (format === undefined || format === 'unknown') return current as TrainingMethod | undefined;
  const preferenceMethod = current === 'dpo' || current === 'orpo';
  if (isPreferenceFormat(format)) return preferenceMethod ? current : 'dpo';
  return preferenceMethod ? undefined : (current as TrainingMethod | undefined);
}

/** The settings' defaults, shown greyed in empty fields (from the schema, so the form and trainer agree). */
export const PREFERENCE_DEFAULTS = PreferenceSettings.parse({});

/** A setting's help text, from its schema description. */
export function preferenceHelp(name: keyof PreferenceSettings): string {
  return PreferenceSettings.shape[name].description ?? '';
}
