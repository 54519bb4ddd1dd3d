// Format detection for one example: which of the supported formats its top-level keys say it is. A file's
// format is the format of its first recognisable example; later examples of another format are
// `mixed_formats` (see datasetFindings.ts).
import type { DatasetFormat } from '../../contracts/trainerConfig';
import { checkFieldFormat } from './checks/fieldFormats';
import { checkOpenAiChat } from './checks/openAiChat';
import { checkOpenAiPreference, checkPairs, type PreferenceCheckResult } from './checks/preference';
import { checkShareGpt } from './checks/shareGpt';
import { emptyShape } from './checks/shape';

export function detectFormat(example: Record<string, unknown>): DatasetFormat | null {
  const has = (key: string) => Object.hasOwn(example, key);
  if (has('messages')) return 'openai-chat';
  // Before prompt-completion: a pair has a "prompt" too.
  if (has('preferred_output') || has('non_preferred_output')) return 'openai-preference';
  if (has('chosen') || has('rejected')) return 'pairs';
  if (has('conversations')) return 'sharegpt';
  if (has('instruction') || has('output')) return 'alpaca';
  if (has('prompt') || has('completion')) return 'prompt-completion';
  if (has('text')) return 'text';
  return null;
}

/** The format's rules on one example. A pathologically deep value (e.g. "tools" nested thousands of levels) can
 * overflow the stack where a value is serialised: that example is reported as too deep instead. */
export function checkExample(format: DatasetFormat, example: Record<string, unknown>): PreferenceCheckResult {
  try {
    return checkFormat(format, example);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      issues: [{ code: 'data_type', message: 'The example is nested too deeply to be a training example; flatten it.', at: { path: [], part: 'value' } }],
      shape: emptyShape(),
    };
  }
}

function checkFormat(format: DatasetFormat, example: Record<string, unknown>): PreferenceCheckResult {
  switch (format) {
    case 'openai-chat':
      return checkOpenAiChat(example);
    case 'sharegpt':
      return checkShareGpt(example);
    case 'openai-preference':
      return checkOpenAiPreference(example);
    case 'pairs':
      return checkPairs(example);
    default:
      return checkFieldFormat(format, example);
  }
}

/** The key that identifies each format, to anchor format-level findings on. */
export const FORMAT_KEY: Record<DatasetFormat, string> = {
  'openai-chat': 'messages',
  sharegpt: 'conversations',
  alpaca: 'instruction',
  'prompt-completion': 'prompt',
  text: 'text',
  'openai-preference': 'preferred_output',
  pairs: 'chosen',
};

/** True for the formats that hold preference pairs (a prompt, a chosen and a rejected response). */
export const isPreference = (format: DatasetFormat): format is 'openai-preference' | 'pairs' => format === 'openai-preference' || format === 'pairs';

/** True for formats rendered through a chat template (per-turn overhead applies). */
export const isChatLike = (format: DatasetFormat): boolean => format === 'openai-chat' || format === 'sharegpt' || format === 'alpaca';
