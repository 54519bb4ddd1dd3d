// Rules for the ShareGPT format: {"conversations":[{"from": "human"|"gpt"|"system"|..., "value": ...}], "system"?, "tools"?}.
import { closestName, keyAt, quoted, shownValue, valueAt, type LineIssue } from '../issues';
import { contentPartTexts } from './contentParts';
import { unknownTopKey } from './openAiChat';
import { checkTurnOrder, type Turn } from './turnOrder';
import { emptyShape, isObject, typeName, type CheckResult } from './shape';

export const SHAREGPT_TOP_KEYS = ['conversations', 'system', 'tools', 'id'] as const;
const TURN_KEYS = ['from', 'value', 'weight'] as const;
/**
 * ShareGPT speaker names as used by common trainers, and the chat role each one maps to. A Map: speakers are
 * user strings, and "constructor" or "__proto__" must not find anything.
 */
export const SHAREGPT_ROLES: ReadonlyMap<string, string> = new Map([
  ['system', 'system'],
  ['human', 'user'],
  ['user', 'user'],
  ['gpt', 'assistant'],
  ['assistant', 'assistant'],
  ['chatgpt', 'assistant'],
  ['bing', 'assistant'],
  ['bard', 'assistant'],
  ['model', 'assistant'],
  ['function_call', 'assistant'],
  ['observation', 'tool'],
  ['tool', 'tool'],
]);
const SPEAKERS = [...SHAREGPT_ROLES.keys()].join(', ');
const TOP_SET = new Set<string>(SHAREGPT_TOP_KEYS);
const TURN_SET = new Set<string>(TURN_KEYS);

export function checkShareGpt(example: Record<string, unknown>): CheckResult {
  const issues: LineIssue[] = [];
  const shape = emptyShape();
  let topKeys: ReadonlySet<string> | undefined;
  for (const key in example) if (!TOP_SET.has(key)) unknownTopKey(key, (topKeys ??= new Set(Object.keys(example))), issues, SHAREGPT_TOP_KEYS);
  const conversations = example.conversations;
  if (!Array.isArray(conversations)) {
    issues.push({
      code: 'missing_field',
      message:
        conversations === undefined
          ? 'The example has no "conversations" list; add "conversations": [{"from": "human", "value": ...}, {"from": "gpt", "value": ...}].'
          : `"conversations" must be a list, not ${typeName(conversations)}.`,
      at: conversations === undefined ? valueAt() : valueAt('conversations'),
    });
    return { issues, shape };
  }
  if (conversations.length === 0) {
    issues.push({ code: 'empty_messages', message: 'The "conversations" list is empty; add at least a human and a gpt turn.', at: valueAt('conversations') });
    return { issues, shape };
  }
  if (typeof example.system === 'string') {
    shape.texts.push(example.system);
    shape.trained.push(false);
    shape.turns.push('system');
  }
  const turns: Turn[] = [];
  for (let i = 0; i < conversations.length; i++) {
    const turn = conversations[i];
    if (!isObject(turn)) {
      issues.push({
        code: 'data_type',
        message: `Turn ${i + 1} must be an object like {"from": ..., "value": ...}, not ${typeName(turn)}.`,
        at: valueAt('conversations', i),
      });
      continue;
    }
    const renamedTo = new Set<string>();
    let present: ReadonlySet<string> | undefined;
    for (const key in turn) {
      if (TURN_SET.has(key)) continue;
      const fix = closestName(key, TURN_KEYS, (present ??= new Set(Object.keys(turn))));
      if (fix) renamedTo.add(fix);
      issues.push({
        code: 'message_unrecognized_key',
        message: fix
          ? `Unrecognized key ${quoted(key)} in turn ${i + 1}; did you mean "${fix}"?`
          : `Unrecognized key ${quoted(key)} in turn ${i + 1}; ShareGPT turns have "from" and "value".`,
        at: keyAt('conversations', i, key),
        fixes: fix ? [{ kind: 'renameKey', title: `Rename ${quoted(key)} to "${fix}"`, path: ['conversations', i, key], to: fix }] : undefined,
      });
    }
    let role = 'unknown';
    const speaker = typeof turn.from === 'string' ? SHAREGPT_ROLES.get(turn.from) : undefined;
    if (turn.from === undefined) {
      if (!renamedTo.has('from'))
        issues.push({ code: 'message_missing_key', message: `Turn ${i + 1} has no "from"; add "from": "human" or "gpt".`, at: valueAt('conversations', i) });
    } else if (speaker === undefined) {
      issues.push({
        code: 'unrecognized_role',
        message: `Unrecognized speaker ${shownValue(turn.from)} in turn ${i + 1}; use one of ${SPEAKERS}.`,
        at: valueAt('conversations', i, 'from'),
      });
    } else {
      role = speaker;
    }
    const value = turn.value;
    if (value === undefined) {
      if (!renamedTo.has('value'))
        issues.push({ code: 'missing_content', message: `Turn ${i + 1} has no "value"; add the text of the turn.`, at: valueAt('conversations', i) });
    } else if (Array.isArray(value)) {
      const parts = contentPartTexts(value, ['conversations', i, 'value'], `turn ${i + 1}`, issues);
      for (const text of parts.texts) {
        shape.texts.push(text);
        shape.trained.push(role === 'assistant');
      }
      shape.images += parts.images;
    } else if (typeof value !== 'string') {
      issues.push({
        code: 'invalid_content',
        message: `"value" of turn ${i + 1} must be a string or a list of content parts, not ${typeName(value)}.`,
        at: valueAt('conversations', i, 'value'),
      });
    } else {
      if (value.trim() === '')
        issues.push({
          code: 'whitespace_content',
          message: `Turn ${i + 1} has empty or whitespace-only text; write it or remove the turn.`,
          at: valueAt('conversations', i, 'value'),
        });
      shape.texts.push(value);
      shape.trained.push(role === 'assistant');
    }
    shape.turns.push(role);
    if (role !== 'unknown') turns.push({ role, rolePath: ['conversations', i, 'from'], callsTools: turn.from === 'function_call' });
  }
  checkTurnOrder(turns, ['conversations'], issues, turns.length === conversations.length);
  return { issues, shape };
}
