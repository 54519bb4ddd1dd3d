// Converts examples of the other chat-like formats to openai-chat, and preference pairs between the two
// preference formats, line by line. A line that cannot be
// converted (invalid JSON, plain text data, missing fields) is left out and reported with its line and reason,
// so the caller can show exactly what did not make it into the new file.
import type { DatasetFormat } from '../../contracts/trainerConfig';
import { isObject } from './checks/shape';
import { SHAREGPT_ROLES } from './checks/shareGpt';
import { detectFormat } from './formats';

export interface ConversionResult {
  /** The converted examples, one JSON object per line (no terminators). */
  lines: string[];
  /** 1-based source lines that were not converted, and why. */
  skipped: { line: number; reason: string }[];
  /** The formats found in the source, in order of first appearance. */
  sourceFormats: DatasetFormat[];
}

type Message = { role: string; content: string };

export function convertToOpenAiChat(sourceLines: readonly string[]): ConversionResult {
  return convertLines(sourceLines, (format, example) => (format ? convertExample(format, example) : 'no recognisable format'));
}

/** Converts each non-blank line with `convert` (the converted example, or why it cannot be converted). */
function convertLines(
  sourceLines: readonly string[],
  convert: (format: DatasetFormat | null, example: Record<string, unknown>) => Record<string, unknown> | string,
): ConversionResult {
  const result: ConversionResult = { lines: [], skipped: [], sourceFormats: [] };
  sourceLines.forEach((text, i) => {
    if (text.trim() === '') return;
    const line = i + 1;
    let example: unknown;
    try {
      example = JSON.parse(text);
    } catch {
      result.skipped.push({ line, reason: 'not valid JSON' });
      return;
    }
    if (!isObject(example)) {
      result.skipped.push({ line, reason: 'not a JSON object' });
      return;
    }
    const format = detectFormat(example);
    if (format && !result.sourceFormats.includes(format)) result.sourceFormats.push(format);
    const converted = convert(format, example);
    if (typeof converted === 'string') result.skipped.push({ line, reason: converted });
    else result.lines.push(JSON.stringify(converted));
  });
  return result;
}

/** The openai-chat example, or the reason it cannot be converted. */
function convertExample(format: DatasetFormat, e: Record<string, unknown>): Record<string, unknown> | string {
  const str = (v: unknown) => typeof v === 'string';
  switch (format) {
    case 'openai-chat':
      return e;
    case 'sharegpt': {
      if (!Array.isArray(e.conversations)) return '"conversations" is not a list';
      const messages: Message[] = str(e.system) && (e.system as string).trim() ? [{ role: 'system', content: e.system as string }] : [];
      for (const [k, turn] of e.conversations.entries()) {
        if (!isObject(turn) || !str(turn.from) || !str(turn.value)) return `turn ${k + 1} needs string "from" and "value"`;
        const role = SHAREGPT_ROLES.get(turn.from as string);
        if (!role || role === 'tool' || turn.from === 'function_call') return `turn ${k + 1}: speaker "${turn.from}" has no plain chat equivalent`;
        messages.push({ role, content: turn.value as string });
      }
      return { messages };
    }
    case 'alpaca': {
      if (!str(e.instruction) || !str(e.output)) return 'needs string "instruction" and "output"';
      const messages: Message[] = str(e.system) && (e.system as string).trim() ? [{ role: 'system', content: e.system as string }] : [];
      if (e.history !== undefined) {
        if (!Array.isArray(e.history) || !e.history.every((p) => Array.isArray(p) && p.length === 2 && p.every(str)))
          return '"history" is not a list of [instruction, response] pairs';
        for (const [q, a] of e.history as [string, string][]) messages.push({ role: 'user', content: q }, { role: 'assistant', content: a });
      }
      const input = str(e.input) && (e.input as string).trim() ? `\n\n${e.input}` : '';
      messages.push({ role: 'user', content: `${e.instruction}${input}` }, { role: 'assistant', content: e.output as string });
      return { messages };
    }
    case 'prompt-completion':
      if (!str(e.prompt) || !str(e.completion)) return 'needs string "prompt" and "completion"';
      return {
        messages: [
          { role: 'user', content: e.prompt },
          { role: 'assistant', content: e.completion },
        ],
      };
    case 'text':
      return 'plain text examples have no user/assistant turns to convert';
    case 'openai-preference':
    case 'pairs':
      return 'a preference pair has two responses; convert it to the other preference format instead';
  }
}

export type PreferenceFormat = 'openai-preference' | 'pairs';

/**
 * Converts preference pairs between the two preference formats, line by line; lines already in `target` are
 * kept. Plain strings are used in `pairs` wherever they say the same as the messages (a prompt of one user
 * turn, a response of one assistant turn with only text), so converting there and back gives the same lines.
 */
export function convertPreference(sourceLines: readonly string[], target: PreferenceFormat): ConversionResult {
  return convertLines(sourceLines, (format, example) => {
    if (format === target) return example;
    if (format === 'pairs') return pairsToOpenAi(example);
    if (format === 'openai-preference') return openAiToPairs(example);
    return format ? `${format} examples are not preference pairs` : 'no recognisable format';
  });
}

function pairsToOpenAi(e: Record<string, unknown>): Record<string, unknown> | string {
  let messages: unknown;
  if (typeof e.prompt === 'string') messages = [{ role: 'user', content: e.prompt }];
  else if (Array.isArray(e.prompt) && e.prompt.every(isObject)) messages = e.prompt;
  else return '"prompt" must be a string or a list of messages';
  const preferred = sideToMessages(e.chosen);
  if (typeof preferred === 'string') return `"chosen" ${preferred}`;
  const nonPreferred = sideToMessages(e.rejected);
  if (typeof nonPreferred === 'string') return `"rejected" ${nonPreferred}`;
  return { input: { messages }, preferred_output: preferred, non_preferred_output: nonPreferred };
}

function sideToMessages(side: unknown): unknown[] | string {
  if (typeof side === 'string') return [{ role: 'assistant', content: side }];
  if (Array.isArray(side) && side.length === 1 && isObject(side[0]) && side[0].role === 'assistant') return side;
  return 'must be a string or a list of one assistant message';
}

function openAiToPairs(e: Record<string, unknown>): Record<string, unknown> | string {
  const input = e.input;
  if (!isObject(input) || !Array.isArray(input.messages) || !input.messages.every(isObject)) return '"input" must be {"messages": [...]}';
  // The pairs format has no place for tool definitions: dropping them would change what the prompt means.
  if (input.tools !== undefined) return '"input" has "tools", which the pairs format cannot hold';
  const messages = input.messages as Record<string, unknown>[];
  const [only] = messages;
  const prompt = messages.length === 1 && isPlain(only, 'user') ? only.content : messages;
  const chosen = messagesToSide(e.preferred_output);
  if (chosen === undefined) return '"preferred_output" must be a list of one assistant message';
  const rejected = messagesToSide(e.non_preferred_output);
  if (rejected === undefined) return '"non_preferred_output" must be a list of one assistant message';
  return { prompt, chosen, rejected };
}

function messagesToSide(side: unknown): unknown {
  if (!Array.isArray(side) || side.length !== 1 || !isObject(side[0]) || side[0].role !== 'assistant') return undefined;
  return isPlain(side[0], 'assistant') ? side[0].content : side;
}

/** A message of `role` with string content and nothing else: a plain string says the same. */
function isPlain(m: Record<string, unknown>, role: string): boolean {
  const keys = Object.keys(m);
  return m.role === role && typeof m.content === 'string' && keys.length === 2 && keys.includes('content');
}
