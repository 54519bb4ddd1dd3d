// Every rule the validator knows: the single source of truth for codes, default severities and summaries.
// Codes reuse the names of OpenAI's data-preparation checks where one exists, and follow their style otherwise.
// Severity: error = training would fail or silently drop data; warning = likely a mistake; info = worth knowing.
import type { Severity, SeverityOverride } from '../../contracts/dataset';

export interface RuleInfo {
  severity: Severity;
  summary: string;
}

export const RULES = {
  invalid_json: { severity: 'error', summary: 'The line is not valid JSON.' },
  invalid_utf8: { severity: 'error', summary: 'The line contains bytes that are not valid UTF-8.' },
  invalid_surrogate: { severity: 'error', summary: 'A string holds half of a UTF-16 surrogate pair ("\\ud800"), which the trainer cannot encode.' },
  data_type: { severity: 'error', summary: 'An example (or a message) is not a JSON object.' },
  empty_file: { severity: 'error', summary: 'The file has no examples.' },
  empty_line: { severity: 'warning', summary: 'A blank line between examples; some loaders fail on it.' },
  unknown_format: { severity: 'error', summary: 'The example matches none of the supported formats.' },
  mixed_formats: { severity: 'error', summary: 'The file mixes dataset formats; trainers read one format per file.' },
  missing_messages_list: { severity: 'error', summary: 'A chat example has no "messages" list.' },
  empty_messages: { severity: 'error', summary: 'The "messages" list is empty.' },
  message_missing_key: { severity: 'error', summary: 'A message lacks a required key ("role", or "from" in ShareGPT).' },
  message_unrecognized_key: { severity: 'error', summary: 'A message has a key the format does not define.' },
  unrecognized_key: { severity: 'warning', summary: 'An example has a top-level key the format does not define; it is ignored.' },
  unrecognized_role: { severity: 'error', summary: 'A message has a role the format does not define.' },
  missing_content: { severity: 'error', summary: 'A message has no content.' },
  invalid_content: { severity: 'error', summary: 'A content value has the wrong type.' },
  whitespace_content: { severity: 'warning', summary: 'A content value is empty or only whitespace.' },
  example_missing_assistant_message: { severity: 'error', summary: 'The example has no assistant turn to learn from.' },
  invalid_weight: { severity: 'error', summary: 'A "weight" is not 0 or 1.' },
  weight_ignored: { severity: 'warning', summary: 'A "weight" on a user or system message has no effect: only assistant turns are trained.' },
  image_content: { severity: 'warning', summary: 'Image content parts are dropped when training a text-only model; only the text parts are trained.' },
  role_order: { severity: 'warning', summary: 'The conversation does not start with a user turn after the system prompt.' },
  consecutive_same_role: { severity: 'warning', summary: 'Two consecutive turns have the same role.' },
  last_turn_not_assistant: { severity: 'info', summary: 'The conversation ends after its last assistant turn; the trailing turns are not learned from.' },
  system_not_first: { severity: 'warning', summary: 'A system message appears after the conversation started.' },
  invalid_tool_calls: { severity: 'error', summary: 'A "tool_calls" entry or "tools" list is malformed.' },
  tool_call_mismatch: { severity: 'error', summary: 'A tool call has no answering tool message, or a tool message answers no call.' },
  missing_field: { severity: 'error', summary: 'A required field of the format is missing.' },
  invalid_field_type: { severity: 'error', summary: 'A field of the format has the wrong type.' },
  duplicate_example: { severity: 'warning', summary: 'The example is an exact copy of an earlier line.' },
  train_val_overlap: { severity: 'warning', summary: 'The example also appears in the validation file.' },
  too_long: { severity: 'warning', summary: 'The example is longer than the maximum sequence length.' },
  missing_side: {
    severity: 'error',
    summary: 'A preference pair lacks its chosen or rejected response ("chosen"/"rejected", "preferred_output"/"non_preferred_output").',
  },
  empty_side: { severity: 'error', summary: 'A chosen or rejected response is empty or only whitespace.' },
  identical_sides: { severity: 'error', summary: 'The chosen and rejected responses are the same: the pair teaches nothing.' },
  prompt_missing_user_message: { severity: 'error', summary: 'The prompt of a preference pair has no user turn (or is empty).' },
  output_not_single_assistant: {
    severity: 'error',
    summary: 'A response is not an assistant turn: an openai-preference output must be one assistant message, a pairs response must end with one.',
  },
  duplicate_pair: { severity: 'warning', summary: 'The pair has the same prompt, chosen and rejected responses as an earlier line.' },
  length_bias: {
    severity: 'warning',
    summary: 'The chosen response is longer than the rejected one in nearly all pairs (or nearly none): the model may learn length instead of quality.',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleCode = keyof typeof RULES;

export const RULE_CODES = Object.keys(RULES) as RuleCode[];

/** The severity a finding of `code` gets under the user's overrides; 'off' means it is not reported. */
export function severityOf(code: RuleCode, overrides: Record<string, SeverityOverride> | undefined): SeverityOverride {
  // Own entries only: the overrides come from settings and the command line.
  return overrides && Object.hasOwn(overrides, code) ? overrides[code] : RULES[code].severity;
}
