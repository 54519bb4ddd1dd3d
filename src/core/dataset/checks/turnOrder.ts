// Conversation-order rules shared by openai-chat and ShareGPT: they see only normalised roles and where each
// role value sits in the line, so both formats report the same problems the same way.
import type { JsonPath } from '../jsonLocate';
import { valueAt, type LineIssue } from '../issues';

export interface Turn {
  role: string;
  /** Path of the role value (e.g. ['messages', 2, 'role']) to anchor findings on. */
  rolePath: JsonPath;
  /** An assistant turn that only calls tools; a tool answer may follow it. */
  callsTools?: boolean;
}

/** `allRolesKnown` false: some turn had a missing or unknown role (already reported); skip order guesses. */
export function checkTurnOrder(turns: Turn[], listPath: JsonPath, issues: LineIssue[], allRolesKnown = true): void {
  let seenNonSystem = false;
  let firstConversational: Turn | undefined;
  let hasAssistant = false;
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (turn.role === 'system') {
      if (seenNonSystem) {
        issues.push({
          code: 'system_not_first',
          message: 'A system message after the conversation started is usually ignored or misplaced by chat templates; move it to the first position.',
          at: valueAt(...turn.rolePath),
        });
      }
      continue;
    }
    if (!seenNonSystem) firstConversational = turn;
    seenNonSystem = true;
    if (turn.role === 'assistant') hasAssistant = true;
    const prev = turns[i - 1];
    // assistant(tool call) -> tool -> assistant is the normal tool flow; only user/user and plain
    // assistant/assistant repeats are suspicious.
    if (prev && prev.role === turn.role && (turn.role === 'user' || (turn.role === 'assistant' && !prev.callsTools))) {
      issues.push({
        code: 'consecutive_same_role',
        message: `Two ${turn.role} turns in a row (messages ${i} and ${i + 1}); merge them or add the missing ${turn.role === 'user' ? 'assistant' : 'user'} turn between them.`,
        at: valueAt(...turn.rolePath),
      });
    }
  }
  if (allRolesKnown && firstConversational && firstConversational.role !== 'user') {
    issues.push({
      code: 'role_order',
      message: `The conversation starts with ${firstConversational.role === 'assistant' ? 'an' : 'a'} ${firstConversational.role} turn; start it with a user turn (after an optional system message).`,
      at: valueAt(...firstConversational.rolePath),
    });
  }
  const last = turns[turns.length - 1];
  if (allRolesKnown && hasAssistant && last.role !== 'assistant' && last.role !== 'tool') {
    issues.push({
      code: 'last_turn_not_assistant',
      message: `The conversation ends with a ${last.role} turn after the last assistant reply; nothing is learned from it. Add the assistant reply or drop the turn.`,
      at: valueAt(...last.rolePath),
    });
  }
  if (allRolesKnown && turns.length > 0 && !hasAssistant) {
    issues.push({
      code: 'example_missing_assistant_message',
      message: 'The example has no assistant turn, so there is nothing to learn from; add the assistant reply.',
      at: valueAt(...listPath),
    });
  }
}
