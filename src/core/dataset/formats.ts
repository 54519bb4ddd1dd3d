// Format detection for one example: which of the supported formats its top-level keys say it is. A file's
// format is the format of its first recognisable example; later examples of another format are
// `mixed_formats` (see datasetChecks.ts).
import type { DatasetFormat } from '../config/trainerConfig';
import { checkFieldFormat } from './checks/fieldFormats';
import { checkOpenAiChat } from './checks/openAiChat';
import { checkShareGpt } from './checks/shareGpt';
import type { CheckResult } from './checks/shape';

export function detectFormat(example: Record<string, unknown>): DatasetFormat | null {
  if ('messages' in example) return 'openai-chat';
  if ('conversations' in example) return 'sharegpt';
  if ('instruction' in example || 'output' in example) return 'alpaca';
  if ('prompt' in example || 'completion' in example) return 'prompt-completion';
  if ('text' in example) return 'text';
  return null;
}

export function checkExample(format: DatasetFormat, example: Record<string, unknown>): CheckResult {
  switch (format) {
    case 'openai-chat':
      return checkOpenAiChat(example);
    case 'sharegpt':
      return checkShareGpt(example);
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
};

/** True for formats rendered through a chat template (per-turn overhead applies). */
export const isChatLike = (format: DatasetFormat): boolean => format === 'openai-chat' || format === 'sharegpt' || format === 'alpaca';
