// Rules for the two preference formats, which hold a prompt and two responses, one preferred:
//   openai-preference: {"input": {"messages": [...], "tools"?}, "preferred_output": [assistant turn], "non_preferred_output": [assistant turn]}
//   pairs:             {"prompt": string | messages, "chosen": string | messages, "rejected": string | messages}
// The prompt's messages get the openai-chat rules (re-anchored under "input.messages" or "prompt"); each side
// must be one assistant message in openai-preference; in pairs a string (one assistant turn) or messages that end
// with an assistant turn, read like the trainer reads them (python/brightrun_trainer/data/formats.py: messages
// that repeat the prompt first are the response after it). A valid-enough pair also yields its view: the prompt
// and both sides as chat messages, for token counting and for comparing pairs.
import type { JsonPath } from '../jsonLocate';
import { closestName, keyAt, quoted, valueAt, type Anchor, type FixSpec, type LineIssue } from '../issues';
import { checkOpenAiChat } from './openAiChat';
import { contentPartTexts } from './contentParts';
import { emptyShape, isObject, typeName, type CheckResult, type ExampleShape } from './shape';

export type ChatMessage = Record<string, unknown>;

/** A pair as chat messages: what the trainer renders for each side (prompt + that side). */
export interface PairView {
  prompt: ChatMessage[];
  tools: unknown[] | undefined;
  /** Each response's messages (one assistant message, or in pairs messages ending with one). */
  chosen: ChatMessage[];
  rejected: ChatMessage[];
  /** The texts the fallback token count adds up: the prompt's (tools included) and each side's. */
  promptTexts: string[];
  chosenTexts: string[];
  rejectedTexts: string[];
}

export interface PreferenceCheckResult extends CheckResult {
  pair?: PairView;
}

interface Layout {
  format: 'openai-preference' | 'pairs';
  /** Keys of the example in the order the messages list them; the first three are required. */
  keys: readonly string[];
  chosen: string;
  rejected: string;
  /** A plain string is a valid side (pairs) or must be wrapped in a one-message list (openai-preference). */
  stringSides: boolean;
}

const OPENAI: Layout = {
  format: 'openai-preference',
  keys: ['input', 'preferred_output', 'non_preferred_output'],
  chosen: 'preferred_output',
  rejected: 'non_preferred_output',
  stringSides: false,
};
const PAIRS: Layout = { format: 'pairs', keys: ['prompt', 'chosen', 'rejected'], chosen: 'chosen', rejected: 'rejected', stringSides: true };
const INPUT_KEYS = ['messages', 'tools', 'parallel_tool_calls'] as const;

export const checkOpenAiPreference = (example: Record<string, unknown>): PreferenceCheckResult => checkPreference(OPENAI, example);
export const checkPairs = (example: Record<string, unknown>): PreferenceCheckResult => checkPreference(PAIRS, example);

function checkPreference(layout: Layout, example: Record<string, unknown>): PreferenceCheckResult {
  const issues: LineIssue[] = [];
  const shape = emptyShape();
  const renamed = checkTopKeys(layout, example, issues);
  const prompt = layout.format === 'pairs' ? checkPairsPrompt(example, issues) : checkInput(example, issues);
  const chosen = checkSide(layout, layout.chosen, example, renamed, prompt?.messages, issues);
  const rejected = checkSide(layout, layout.rejected, example, renamed, prompt?.messages, issues);
  if (prompt) {
    shape.turns.push(...prompt.shape.turns);
    shape.texts.push(...prompt.shape.texts);
    shape.trained.push(...prompt.shape.trained.map(() => false));
    shape.images += prompt.shape.images;
  }
  for (const side of [chosen, rejected]) {
    if (!side) continue;
    shape.texts.push(...side.texts);
    shape.trained.push(...side.texts.map(() => true));
    shape.images += side.images;
  }
  if (chosen || rejected) shape.turns.push('assistant');
  if (chosen && rejected && responseKey(chosen.messages) === responseKey(rejected.messages)) {
    issues.push({
      code: 'identical_sides',
      message: `"${layout.rejected}" is the same as "${layout.chosen}": a pair with no difference teaches nothing. Write a worse response for "${layout.rejected}", or delete the pair.`,
      at: valueAt(layout.rejected),
      fixes: [{ kind: 'deleteLine', title: 'Delete this pair' }],
    });
  }
  const pair: PairView | undefined =
    prompt && chosen && rejected
      ? {
          prompt: prompt.messages,
          tools: prompt.tools,
          chosen: chosen.messages,
          rejected: rejected.messages,
          promptTexts: prompt.shape.texts,
          chosenTexts: chosen.texts,
          rejectedTexts: rejected.texts,
        }
      : undefined;
  return { issues, shape, pair };
}

/** Unknown keys (a misspelled required key gets the rename fix); then required keys that are missing. */
function checkTopKeys(layout: Layout, example: Record<string, unknown>, issues: LineIssue[]): Set<string> {
  const present = new Set(Object.keys(example));
  const renamedTo = new Set<string>();
  for (const key of present) {
    if (layout.keys.includes(key)) continue;
    const fix = closestName(key, layout.keys, present);
    if (fix) renamedTo.add(fix);
    const isSide = fix === layout.chosen || fix === layout.rejected;
    issues.push({
      code: fix ? (isSide ? 'missing_side' : 'missing_field') : 'unrecognized_key',
      message: fix
        ? `${quoted(key)} should be "${fix}": rename the key.`
        : `Unrecognized key ${quoted(key)} is ignored by ${layout.format} training; allowed keys: ${layout.keys.join(', ')}.`,
      at: keyAt(key),
      fixes: fix ? [{ kind: 'renameKey', title: `Rename ${quoted(key)} to "${fix}"`, path: [key], to: fix }] : undefined,
    });
  }
  const promptKey = layout.keys[0];
  if (example[promptKey] === undefined && !renamedTo.has(promptKey)) {
    const shown = layout.format === 'pairs' ? '"prompt": "..."' : '"input": {"messages": [{"role": "user", "content": "..."}]}';
    issues.push({ code: 'missing_field', message: `The ${layout.format} example has no "${promptKey}"; add ${shown}.`, at: valueAt() });
  }
  return renamedTo;
}

interface PromptResult {
  messages: ChatMessage[];
  tools: unknown[] | undefined;
  shape: ExampleShape;
}

function checkPairsPrompt(example: Record<string, unknown>, issues: LineIssue[]): PromptResult | undefined {
  const prompt = example.prompt;
  if (prompt === undefined) return undefined;
  if (typeof prompt === 'string') {
    if (prompt.trim() === '') {
      issues.push({ code: 'prompt_missing_user_message', message: 'The prompt is empty; write the request the two responses answer.', at: valueAt('prompt') });
      return undefined;
    }
    return { messages: [{ role: 'user', content: prompt }], tools: undefined, shape: { turns: ['user'], texts: [prompt], trained: [false], images: 0 } };
  }
  if (!Array.isArray(prompt)) {
    issues.push({
      code: 'invalid_field_type',
      message: `"prompt" must be a string or a list of chat messages, not ${typeName(prompt)}.`,
      at: valueAt('prompt'),
    });
    return undefined;
  }
  return checkPromptMessages(prompt, undefined, ['prompt'], [], issues);
}

function checkInput(example: Record<string, unknown>, issues: LineIssue[]): PromptResult | undefined {
  const input = example.input;
  if (input === undefined) return undefined;
  if (!isObject(input)) {
    issues.push({ code: 'invalid_field_type', message: `"input" must be an object like {"messages": [...]}, not ${typeName(input)}.`, at: valueAt('input') });
    return undefined;
  }
  const present = new Set(Object.keys(input));
  for (const key of present) {
    if ((INPUT_KEYS as readonly string[]).includes(key)) continue;
    const fix = closestName(key, INPUT_KEYS, present);
    issues.push({
      code: fix === 'messages' ? 'missing_messages_list' : 'unrecognized_key',
      message: fix
        ? `${quoted(key)} in "input" should be "${fix}": rename the key.`
        : `Unrecognized key ${quoted(key)} in "input" is ignored; allowed keys: ${INPUT_KEYS.join(', ')}.`,
      at: keyAt('input', key),
      fixes: fix ? [{ kind: 'renameKey', title: `Rename ${quoted(key)} to "${fix}"`, path: ['input', key], to: fix }] : undefined,
    });
    if (fix === 'messages') return undefined;
  }
  const messages = input.messages;
  if (!Array.isArray(messages)) {
    issues.push({
      code: 'missing_messages_list',
      message:
        messages === undefined
          ? '"input" has no "messages" list; add "messages": [{"role": "user", "content": "..."}].'
          : `"messages" in "input" must be a list of messages, not ${typeName(messages)}.`,
      at: messages === undefined ? valueAt('input') : valueAt('input', 'messages'),
    });
    return undefined;
  }
  return checkPromptMessages(messages, input.tools, ['input', 'messages'], ['input'], issues);
}

/**
 * The prompt's messages under the openai-chat rules, anchored at `listPath` (the rules name "messages" and
 * "tools" at the example's top level; `toolsParent` says where "tools" really is). A prompt has no assistant
 * reply of its own, so the rules about the reply do not apply to it; it needs a user turn instead.
 */
function checkPromptMessages(messages: unknown[], tools: unknown, listPath: JsonPath, toolsParent: JsonPath, issues: LineIssue[]): PromptResult | undefined {
  if (messages.length === 0) {
    issues.push({
      code: 'prompt_missing_user_message',
      message: 'The prompt has no messages; add the user turn the two responses answer.',
      at: valueAt(...listPath),
    });
    return undefined;
  }
  const chat = checkOpenAiChat(tools === undefined ? { messages } : { messages, tools });
  const rebase = (path: JsonPath): JsonPath =>
    path[0] === 'messages' ? [...listPath, ...path.slice(1)] : path[0] === 'tools' ? [...toolsParent, ...path] : path;
  for (const issue of chat.issues) {
    if (issue.code === 'example_missing_assistant_message' || issue.code === 'last_turn_not_assistant') continue;
    issues.push({ ...issue, at: rebaseAnchor(issue.at, rebase), fixes: issue.fixes?.map((fix) => rebaseFix(fix, rebase)) });
  }
  if (!chat.shape.turns.includes('user') && messages.every((m) => isObject(m) && typeof m.role === 'string')) {
    issues.push({
      code: 'prompt_missing_user_message',
      message: 'The prompt has no user turn; add {"role": "user", "content": "..."} with the request the two responses answer.',
      at: valueAt(...listPath),
    });
  }
  return { messages: messages.filter(isObject), tools: Array.isArray(tools) ? tools : undefined, shape: chat.shape };
}

function rebaseAnchor(at: Anchor, rebase: (path: JsonPath) => JsonPath): Anchor {
  return 'path' in at ? { ...at, path: rebase(at.path) } : at;
}

function rebaseFix(fix: FixSpec, rebase: (path: JsonPath) => JsonPath): FixSpec {
  return fix.kind === 'renameKey' || fix.kind === 'replaceValue' ? { ...fix, path: rebase(fix.path) } : fix;
}

interface SideResult {
  messages: ChatMessage[];
  texts: string[];
  images: number;
}

/** One side of the pair: a string (pairs only) or a list of exactly one assistant message with content. */
function checkSide(
  layout: Layout,
  key: string,
  example: Record<string, unknown>,
  renamed: Set<string>,
  prompt: ChatMessage[] | undefined,
  issues: LineIssue[],
): SideResult | undefined {
  const value = example[key];
  const other = key === layout.chosen ? layout.rejected : layout.chosen;
  const what = key === layout.chosen ? 'preferred' : 'rejected';
  if (value === undefined || value === null) {
    if (renamed.has(key)) return undefined;
    issues.push({
      code: 'missing_side',
      message: `The pair has no "${key}"${key === what ? '' : ` (the ${what} response)`}; add it${layout.stringSides ? '' : ' as [{"role": "assistant", "content": "..."}]'}, or delete the pair: DPO needs both "${layout.chosen}" and "${layout.rejected}".`,
      at: value === null ? valueAt(key) : example[other] !== undefined ? keyAt(other) : valueAt(),
    });
    return undefined;
  }
  if (typeof value === 'string') {
    if (!layout.stringSides) {
      issues.push({
        code: 'output_not_single_assistant',
        message: `"${key}" must be a list holding one assistant message, not a string; wrap it as [{"role": "assistant", "content": ...}].`,
        at: valueAt(key),
        fixes: [
          { kind: 'replaceValue', title: 'Wrap it in one assistant message', path: [key], json: JSON.stringify([{ role: 'assistant', content: value }]) },
        ],
      });
      return undefined;
    }
    if (value.trim() === '') {
      issues.push({ code: 'empty_side', message: `"${key}" is empty; write the ${what} response, or delete the pair.`, at: valueAt(key) });
      return undefined;
    }
    return { messages: [{ role: 'assistant', content: value }], texts: [value], images: 0 };
  }
  if (isObject(value)) {
    issues.push({
      code: 'output_not_single_assistant',
      message: `"${key}" must be a list holding the assistant message, not a bare message; wrap it in [ ].`,
      at: valueAt(key),
      fixes:
        value.role === 'assistant' ? [{ kind: 'replaceValue', title: 'Wrap the message in a list', path: [key], json: JSON.stringify([value]) }] : undefined,
    });
    return undefined;
  }
  if (!Array.isArray(value)) {
    issues.push({
      code: 'invalid_field_type',
      message: `"${key}" must be ${layout.stringSides ? 'a string or ' : ''}a list with one assistant message, not ${typeName(value)}.`,
      at: valueAt(key),
    });
    return undefined;
  }
  if (value.length === 0) {
    issues.push({
      code: 'empty_side',
      message: `"${key}" is an empty list; add the ${what} response as [{"role": "assistant", "content": "..."}], or delete the pair.`,
      at: valueAt(key),
    });
    return undefined;
  }
  if (layout.stringSides) return checkPairsResponse(key, what, value, prompt, issues);
  const message = value[0];
  if (value.length > 1 || !isObject(message) || message.role !== 'assistant') {
    const got =
      value.length > 1 ? `${value.length} messages` : isObject(message) ? `a message with role ${JSON.stringify(message.role ?? null)}` : typeName(message);
    issues.push({
      code: 'output_not_single_assistant',
      message: `"${key}" must hold exactly one message with "role": "assistant" (the ${what} response), not ${got}; multi-turn context belongs in the prompt.`,
      at: valueAt(key, value.length > 1 ? 1 : 0),
    });
    return undefined;
  }
  return checkSideContent(key, what, message, 0, issues);
}

/**
 * A pairs response given as messages: they end with the assistant turn that is compared (tool calls and their
 * answers may come before it); when they start with the prompt's messages, the response is what follows them.
 */
function checkPairsResponse(key: string, what: string, value: unknown[], prompt: ChatMessage[] | undefined, issues: LineIssue[]): SideResult | undefined {
  let start = 0;
  if (prompt && value.length > prompt.length && prompt.every((m, i) => isObject(value[i]) && turnKey(value[i] as ChatMessage) === turnKey(m)))
    start = prompt.length;
  for (let i = start; i < value.length; i++) {
    const m = value[i];
    if (!isObject(m) || typeof m.role !== 'string') {
      issues.push({
        code: 'data_type',
        message: `Message ${i + 1} of "${key}" must be an object like {"role": "assistant", "content": ...}.`,
        at: valueAt(key, i),
      });
      return undefined;
    }
  }
  const last = value.length - 1;
  const final = value[last] as ChatMessage;
  if (final.role !== 'assistant') {
    issues.push({
      code: 'output_not_single_assistant',
      message: `"${key}" must end with the assistant's ${what} response, not a message with role ${JSON.stringify(final.role)}; the context before it belongs in the prompt.`,
      at: valueAt(key, last, 'role'),
    });
    return undefined;
  }
  const lastTurn = checkSideContent(key, what, final, last, issues);
  if (!lastTurn) return undefined;
  const before = (value.slice(start, last) as ChatMessage[]).map((m) => contentText(m.content) + (m.tool_calls ? JSON.stringify(m.tool_calls) : ''));
  return { messages: [...(value.slice(start, last) as ChatMessage[]), ...lastTurn.messages], texts: [...before, ...lastTurn.texts], images: lastTurn.images };
}

function checkSideContent(key: string, what: string, message: ChatMessage, index: number, issues: LineIssue[]): SideResult | undefined {
  const content = message.content;
  const path: JsonPath = [key, index, 'content'];
  const callsTools = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
  const toolTexts = callsTools ? [JSON.stringify(message.tool_calls)] : [];
  if (content === undefined || content === null || (typeof content === 'string' && content.trim() === '')) {
    if (callsTools) return { messages: [message], texts: toolTexts, images: 0 };
    issues.push({
      code: 'empty_side',
      message: `The ${what} response in "${key}" has no content; write it in "content", or delete the pair.`,
      at: content === undefined ? valueAt(key, index) : valueAt(...path),
    });
    return undefined;
  }
  if (typeof content === 'string') return { messages: [message], texts: [content, ...toolTexts], images: 0 };
  if (Array.isArray(content)) {
    const parts = contentPartTexts(content, path, `the ${what} response`, issues);
    if (parts.texts.join('').trim() === '' && !callsTools) {
      issues.push({ code: 'empty_side', message: `The ${what} response in "${key}" has no text; write it, or delete the pair.`, at: valueAt(...path) });
      return undefined;
    }
    return { messages: [message], texts: [...parts.texts, ...toolTexts], images: parts.images };
  }
  issues.push({
    code: 'invalid_content',
    message: `"content" of the ${what} response must be a string or a list of content parts, not ${typeName(content)}.`,
    at: valueAt(...path),
  });
  return undefined;
}

/** The text of a turn's content: a string, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** What a turn says, as one string: two turns that render the same compare equal. */
export function turnKey(message: ChatMessage): string {
  return JSON.stringify([message.role, contentText(message.content), message.tool_calls ?? null]);
}

/** What a response says, as one string. */
export function responseKey(messages: ChatMessage[]): string {
  return JSON.stringify(messages.map(turnKey));
}
