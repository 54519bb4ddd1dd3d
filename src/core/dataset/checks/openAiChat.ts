// Rules for the openai-chat format: {"messages":[{role, content, name?, tool_calls?, tool_call_id?, weight?}], "tools"?}.
import { closestName, keyAt, quoted, shownValue, valueAt, type LineIssue } from '../issues';
import { contentPartTexts } from './contentParts';
import { checkTurnOrder, type Turn } from './turnOrder';
import { emptyShape, isObject, typeName, type CheckResult, type ExampleShape } from './shape';

export const CHAT_TOP_KEYS = ['messages', 'tools', 'functions', 'parallel_tool_calls', 'metadata', 'id'] as const;
export const MESSAGE_KEYS = ['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'weight', 'function_call', 'refusal'] as const;
export const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;
const MESSAGE_KEY_SET = new Set<string>(MESSAGE_KEYS);
const ROLE_SET = new Set<string>(CHAT_ROLES);
const TOP_KEY_SET = new Set<string>(CHAT_TOP_KEYS);

export function checkOpenAiChat(example: Record<string, unknown>): CheckResult {
  const issues: LineIssue[] = [];
  const shape = emptyShape();
  let topKeys: ReadonlySet<string> | undefined;
  for (const key in example) {
    if (!TOP_KEY_SET.has(key)) unknownTopKey(key, (topKeys ??= new Set(Object.keys(example))), issues);
  }
  const messages = example.messages;
  if (messages === undefined) {
    const typo = Object.keys(example).find((k) => closestName(k, ['messages']) === 'messages');
    issues.push({
      code: 'missing_messages_list',
      message: typo
        ? `"${typo}" should be "messages": rename the key.`
        : 'The example has no "messages" list; add "messages": [{"role": "user", ...}, {"role": "assistant", ...}].',
      at: typo ? keyAt(typo) : valueAt(),
      fixes: typo ? [{ kind: 'renameKey', title: `Rename "${typo}" to "messages"`, path: [typo], to: 'messages' }] : undefined,
    });
    return { issues, shape };
  }
  if (!Array.isArray(messages)) {
    issues.push({ code: 'missing_messages_list', message: `"messages" must be a list of messages, not ${typeName(messages)}.`, at: valueAt('messages') });
    return { issues, shape };
  }
  if (messages.length === 0) {
    issues.push({ code: 'empty_messages', message: 'The "messages" list is empty; add at least a user and an assistant message.', at: valueAt('messages') });
    return { issues, shape };
  }
  if (example.tools !== undefined && !Array.isArray(example.tools)) {
    issues.push({ code: 'invalid_tool_calls', message: `"tools" must be a list of tool definitions, not ${typeName(example.tools)}.`, at: valueAt('tools') });
  } else if (example.tools !== undefined) {
    shape.texts.push(JSON.stringify(example.tools));
    shape.trained.push(false);
  }

  const turns: Turn[] = [];
  // Tool-call ids waiting for their tool message, with where each was declared.
  const pending = new Map<string, (string | number)[]>();
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!isObject(message)) {
      issues.push({
        code: 'data_type',
        message: `Message ${i + 1} must be an object like {"role": ..., "content": ...}, not ${typeName(message)}.`,
        at: valueAt('messages', i),
      });
      continue;
    }
    const renamedTo = new Set<string>();
    let present: ReadonlySet<string> | undefined;
    for (const key in message) {
      if (MESSAGE_KEY_SET.has(key)) continue;
      const fix = closestName(key, MESSAGE_KEYS, (present ??= new Set(Object.keys(message))));
      if (fix) renamedTo.add(fix);
      issues.push({
        code: 'message_unrecognized_key',
        message: fix
          ? `Unrecognized key ${quoted(key)} in message ${i + 1}; did you mean "${fix}"?`
          : `Unrecognized key ${quoted(key)} in message ${i + 1}; allowed keys: ${MESSAGE_KEYS.join(', ')}.`,
        at: keyAt('messages', i, key),
        fixes: fix ? [{ kind: 'renameKey', title: `Rename ${quoted(key)} to "${fix}"`, path: ['messages', i, key], to: fix }] : undefined,
      });
    }
    const role = message.role;
    let normalRole = 'unknown';
    if (role === undefined) {
      if (!renamedTo.has('role')) {
        issues.push({
          code: 'message_missing_key',
          message: `Message ${i + 1} has no "role"; add "role": "user", "assistant", "system" or "tool".`,
          at: valueAt('messages', i),
        });
      }
    } else if (typeof role !== 'string' || !ROLE_SET.has(role)) {
      const fix = typeof role === 'string' ? closestName(role, CHAT_ROLES) : undefined;
      issues.push({
        code: 'unrecognized_role',
        message: `Unrecognized role ${shownValue(role)} in message ${i + 1}; use one of ${CHAT_ROLES.join(', ')}${fix ? ` (did you mean "${fix}"?)` : ''}.`,
        at: valueAt('messages', i, 'role'),
        fixes: fix ? [{ kind: 'replaceValue', title: `Change the role to "${fix}"`, path: ['messages', i, 'role'], json: JSON.stringify(fix) }] : undefined,
      });
    } else {
      normalRole = role === 'developer' ? 'system' : role === 'function' ? 'tool' : role;
    }
    const toolCalls = message.tool_calls ?? message.function_call;
    const callsTools = normalRole === 'assistant' && toolCalls !== undefined && toolCalls !== null;
    checkContent(message, i, normalRole, callsTools, renamedTo, issues, shape);
    if (message.weight !== undefined) checkWeight(message.weight, i, normalRole, issues);
    if (message.tool_calls !== undefined) checkToolCalls(message.tool_calls, i, normalRole, pending, issues, shape);
    if (normalRole === 'tool' && role === 'tool') checkToolAnswer(message, i, pending, issues);
    if (normalRole !== 'tool' && !callsTools) reportUnanswered(pending, issues);
    turns.push({ role: normalRole, rolePath: role === undefined ? ['messages', i] : ['messages', i, 'role'], callsTools });
    shape.turns.push(normalRole);
  }
  reportUnanswered(pending, issues);
  const known = turns.filter((t) => t.role !== 'unknown');
  checkTurnOrder(known, ['messages'], issues, known.length === messages.length);
  return { issues, shape };
}

function checkContent(
  message: Record<string, unknown>,
  i: number,
  role: string,
  callsTools: boolean,
  renamedTo: Set<string>,
  issues: LineIssue[],
  shape: ExampleShape,
): void {
  const content = message.content;
  const trained = role === 'assistant' && message.weight !== 0;
  if (content === undefined || content === null) {
    if (callsTools || renamedTo.has('content')) return;
    issues.push({
      code: 'missing_content',
      message: `Message ${i + 1} (${role}) has no "content"; add the text${role === 'assistant' ? ', or "tool_calls" if the turn calls a tool' : ''}.`,
      at: content === null ? valueAt('messages', i, 'content') : valueAt('messages', i),
    });
    return;
  }
  if (typeof content === 'string') {
    if (content.trim() === '' && !callsTools) {
      issues.push({
        code: 'whitespace_content',
        message: `Message ${i + 1} (${role}) has empty or whitespace-only content; write the text or remove the message.`,
        at: valueAt('messages', i, 'content'),
      });
    }
    shape.texts.push(content);
    shape.trained.push(trained);
    return;
  }
  if (Array.isArray(content)) {
    const parts = contentPartTexts(content, ['messages', i, 'content'], `message ${i + 1}`, issues);
    for (const text of parts.texts) {
      shape.texts.push(text);
      shape.trained.push(trained);
    }
    shape.images += parts.images;
    return;
  }
  issues.push({
    code: 'invalid_content',
    message: `"content" of message ${i + 1} must be a string or a list of content parts, not ${typeName(content)}.`,
    at: valueAt('messages', i, 'content'),
  });
}

function checkWeight(weight: unknown, i: number, role: string, issues: LineIssue[]): void {
  if (weight !== 0 && weight !== 1) {
    issues.push({
      code: 'invalid_weight',
      message: `"weight" of message ${i + 1} is ${shownValue(weight)}; it must be 0 (skip this turn) or 1 (train on it).`,
      at: valueAt('messages', i, 'weight'),
    });
  } else if (role !== 'assistant') {
    // OpenAI accepts it too: only assistant turns are ever trained, so the weight changes nothing.
    issues.push({
      code: 'weight_ignored',
      message: `"weight" has no effect on message ${i + 1} (${role}): only assistant turns are trained, and never the ${role} turns. Remove it.`,
      at: keyAt('messages', i, 'weight'),
    });
  }
}

function checkToolCalls(
  toolCalls: unknown,
  i: number,
  role: string,
  pending: Map<string, (string | number)[]>,
  issues: LineIssue[],
  shape: ExampleShape,
): void {
  if (role !== 'assistant') {
    issues.push({
      code: 'invalid_tool_calls',
      message: `Only assistant messages can carry "tool_calls" (message ${i + 1} is ${role}).`,
      at: keyAt('messages', i, 'tool_calls'),
    });
    return;
  }
  if (!Array.isArray(toolCalls)) {
    issues.push({ code: 'invalid_tool_calls', message: `"tool_calls" must be a list, not ${typeName(toolCalls)}.`, at: valueAt('messages', i, 'tool_calls') });
    return;
  }
  for (let c = 0; c < toolCalls.length; c++) {
    const call = toolCalls[c];
    const fn = isObject(call) ? call.function : undefined;
    if (!isObject(call) || typeof call.id !== 'string' || !isObject(fn) || typeof fn.name !== 'string' || typeof fn.arguments !== 'string') {
      issues.push({
        code: 'invalid_tool_calls',
        message: `Tool call ${c + 1} of message ${i + 1} must look like {"id": "call_1", "type": "function", "function": {"name": ..., "arguments": "<JSON string>"}}.`,
        at: valueAt('messages', i, 'tool_calls', c),
      });
      continue;
    }
    pending.set(call.id, ['messages', i, 'tool_calls', c, 'id']);
    shape.texts.push(fn.name + fn.arguments);
    shape.trained.push(true);
  }
}

function checkToolAnswer(message: Record<string, unknown>, i: number, pending: Map<string, (string | number)[]>, issues: LineIssue[]): void {
  const id = message.tool_call_id;
  if (typeof id !== 'string') {
    issues.push({
      code: 'tool_call_mismatch',
      message: `Tool message ${i + 1} has no "tool_call_id"; set it to the id of the tool call it answers.`,
      at: valueAt('messages', i),
    });
  } else if (!pending.delete(id)) {
    issues.push({
      code: 'tool_call_mismatch',
      message: `Tool message ${i + 1} answers ${quoted(id)}, but no earlier assistant tool call has that id.`,
      at: valueAt('messages', i, 'tool_call_id'),
    });
  }
}

function reportUnanswered(pending: Map<string, (string | number)[]>, issues: LineIssue[]): void {
  for (const [id, path] of pending) {
    issues.push({
      code: 'tool_call_mismatch',
      message: `Tool call ${quoted(id)} is not answered by a tool message with "tool_call_id": ${quoted(id)}; add the tool result after it.`,
      at: valueAt(...path),
    });
  }
  pending.clear();
}

/** `present`: the example's keys (computed once per example: an object can have tens of thousands). */
export function unknownTopKey(key: string, present: ReadonlySet<string>, issues: LineIssue[], allowed: readonly string[] = CHAT_TOP_KEYS): void {
  const fix = closestName(key, allowed, present);
  // A misspelled required key is reported by the missing-key rule, with the rename fix.
  if (fix && allowed.indexOf(fix) === 0) return;
  issues.push({
    code: 'unrecognized_key',
    message: fix
      ? `Unrecognized key ${quoted(key)}; did you mean "${fix}"?`
      : `Unrecognized key ${quoted(key)} is ignored by training; allowed keys: ${allowed.join(', ')}.`,
    at: keyAt(key),
    fixes: fix ? [{ kind: 'renameKey', title: `Rename ${quoted(key)} to "${fix}"`, path: [key], to: fix }] : undefined,
  });
}
