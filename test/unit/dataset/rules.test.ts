// Every rule code: a case that triggers it (at the expected line) and a corrected case that does not, checked
// both through the incremental DocumentValidator and through validateFile on disk (which must agree).
import { describe, expect, it } from 'vitest';
import { RULE_CODES, validationSetFromLines, type RuleCode } from '../../../src/core/dataset';
import type { ValidateOptions } from '../../../src/contracts/dataset';
import { nodeDatasetFiles } from '../../../src/platform/nodeDatasetFiles';
import { assistant, chat, OK, OK2, pair, PAIR, PREF, preference, system, user, validateLines, validateText } from './helpers';

interface Case {
  positive: string[] | Buffer;
  negative: string[];
  /** The line the finding must be on (default: the last line of `positive`). */
  line?: number;
  options?: Partial<ValidateOptions>;
}

const call = { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } };
const longText = 'word '.repeat(200);
/** 20 distinct pairs; `chosenLonger` of them have the longer chosen response. */
const pairsWithLongerChosen = (chosenLonger: number) =>
  Array.from({ length: 20 }, (_, i) =>
    i < chosenLonger ? pair(`Question ${i}?`, 'A full and careful answer.', 'No.') : pair(`Question ${i}?`, 'Yes.', 'A long and rambling answer.'),
  );

const CASES: Record<RuleCode, Case> = {
  invalid_json: { positive: [OK, '{"messages": [}'], negative: [OK, OK2] },
  invalid_utf8: {
    positive: Buffer.concat([Buffer.from(OK + '\n{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
    negative: [OK],
    line: 2,
  },
  invalid_surrogate: {
    positive: [OK, '{"messages": [{"role": "user", "content": "a\\ud800b"}, {"role": "assistant", "content": "c"}]}'],
    negative: [OK, '{"messages": [{"role": "user", "content": "a\\ud83d\\ude00b"}, {"role": "assistant", "content": "c"}]}'],
  },
  data_type: { positive: [OK, '["a", "list"]'], negative: [OK, '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}'] },
  empty_file: { positive: ['', ''], negative: [OK], line: 1 },
  empty_line: { positive: [OK, '', OK2], negative: [OK, OK2, ''], line: 2 },
  unknown_format: { positive: ['{"question": "a", "answer": "b"}'], negative: ['{"prompt": "a", "completion": "b"}'] },
  mixed_formats: { positive: [OK, '{"prompt": "a", "completion": "b"}'], negative: [OK, OK2] },
  missing_messages_list: { positive: [OK, '{"tools": []}'], negative: [OK, chat(user('a'), assistant('b'))] },
  empty_messages: { positive: ['{"messages": []}'], negative: [OK] },
  message_missing_key: { positive: [chat({ content: 'a' }, assistant('b'))], negative: [chat(user('a'), assistant('b'))] },
  message_unrecognized_key: {
    positive: [chat({ ...user('a'), mood: 'happy' }, assistant('b'))],
    negative: [chat({ ...user('a'), name: 'ann' }, assistant('b'))],
  },
  unrecognized_key: {
    positive: [JSON.stringify({ messages: [user('a'), assistant('b')], extra: 1 })],
    negative: [JSON.stringify({ messages: [user('a'), assistant('b')], tools: [] })],
  },
  unrecognized_role: { positive: [chat({ role: 'bot', content: 'a' }, assistant('b'))], negative: [chat(user('a'), assistant('b'))] },
  missing_content: {
    positive: [chat(user('a'), { role: 'assistant' })],
    negative: [chat(user('a'), { role: 'assistant', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: 'sun' }, assistant('Sunny'))],
  },
  invalid_content: { positive: [chat(user('a'), assistant(42))], negative: [chat(user([{ type: 'text', text: 'a' }]), assistant('b'))] },
  whitespace_content: { positive: [chat(user('  \t '), assistant('b'))], negative: [chat(user(' a '), assistant('b'))] },
  example_missing_assistant_message: { positive: [chat(system('s'), user('a'))], negative: [chat(system('s'), user('a'), assistant('b'))] },
  invalid_weight: {
    positive: [chat(user('a'), { ...assistant('b'), weight: 0.5 })],
    negative: [chat(user('a'), { ...assistant('b'), weight: 0 }, user('c'), assistant('d'))],
  },
  weight_ignored: { positive: [chat({ ...user('a'), weight: 0 }, assistant('b'))], negative: [chat(user('a'), { ...assistant('b'), weight: 1 })] },
  image_content: {
    positive: [
      OK,
      chat(
        user([
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ]),
        assistant('A lamp.'),
      ),
    ],
    negative: [OK, chat(user([{ type: 'text', text: 'What is this?' }]), assistant('A lamp.'))],
  },
  role_order: { positive: [chat(system('s'), assistant('a'), user('b'), assistant('c'))], negative: [chat(system('s'), user('b'), assistant('c'))] },
  consecutive_same_role: { positive: [chat(user('a'), user('b'), assistant('c'))], negative: [chat(user('a'), assistant('b'), user('c'), assistant('d'))] },
  last_turn_not_assistant: { positive: [chat(user('a'), assistant('b'), user('c'))], negative: [chat(user('a'), assistant('b'), user('c'), assistant('d'))] },
  system_not_first: { positive: [chat(user('a'), system('s'), assistant('c'))], negative: [chat(system('s'), user('a'), assistant('c'))] },
  invalid_tool_calls: {
    positive: [chat(user('a'), { role: 'assistant', tool_calls: 'weather' })],
    negative: [chat(user('a'), { role: 'assistant', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: 'sun' })],
  },
  tool_call_mismatch: {
    positive: [chat(user('a'), { role: 'assistant', tool_calls: [call] }, assistant('done'))],
    negative: [chat(user('a'), { role: 'assistant', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: 'sun' }, assistant('done'))],
  },
  missing_field: { positive: ['{"prompt": "a"}'], negative: ['{"prompt": "a", "completion": "b"}'] },
  invalid_field_type: { positive: ['{"prompt": "a", "completion": 3}'], negative: ['{"prompt": "a", "completion": "3"}'] },
  duplicate_example: { positive: [OK, OK2, OK], negative: [OK, OK2] },
  train_val_overlap: { positive: [OK2, OK], negative: [OK2], options: { validationSet: validationSetFromLines('val.jsonl', [OK]) } },
  too_long: { positive: [OK, chat(user('a'), assistant(longText))], negative: [OK], options: { maxSeqLen: 64 } },
  missing_side: { positive: [PAIR, '{"prompt": "a", "chosen": "b"}'], negative: [PAIR, '{"prompt": "a", "chosen": "b", "rejected": "c"}'] },
  empty_side: {
    positive: [PREF, preference([user('a')], [assistant('b')], [assistant('  ')])],
    negative: [PREF, preference([user('a')], [assistant('b')], [assistant('c')])],
  },
  identical_sides: { positive: [PAIR, pair('a', 'same', 'same')], negative: [PAIR, pair('a', 'same', 'other')] },
  prompt_missing_user_message: { positive: [PAIR, pair([system('Be brief.')], 'b', 'c')], negative: [PAIR, pair([system('Be brief.'), user('a')], 'b', 'c')] },
  output_not_single_assistant: {
    positive: [PREF, preference([user('a')], [user('b')], [assistant('c')])],
    negative: [PREF, preference([user('a')], [assistant('b')], [assistant('c')])],
  },
  duplicate_pair: {
    positive: [PAIR, pair('a', 'b', 'c'), JSON.stringify({ rejected: 'c', chosen: 'b', prompt: 'a' })],
    negative: [PAIR, pair('a', 'b', 'c'), pair('a', 'b', 'd')],
  },
  length_bias: { positive: pairsWithLongerChosen(19), negative: pairsWithLongerChosen(12), line: 1 },
};

describe('rules', () => {
  it('every rule code has a test case', () => {
    expect(Object.keys(CASES).sort()).toEqual([...RULE_CODES].sort());
  });

  for (const [code, c] of Object.entries(CASES) as [RuleCode, Case][]) {
    describe(code, () => {
      const positiveText = Buffer.isBuffer(c.positive) ? c.positive : c.positive.join('\n');
      const expectedLine = c.line ?? (Buffer.isBuffer(c.positive) ? 1 : c.positive.length);

      it('is reported on the offending line, from disk and in the editor alike', async () => {
        const report = await validateText(positiveText, c.options);
        const hit = report.findings.find((f) => f.code === code);
        expect(hit, JSON.stringify(report.findings)).toBeDefined();
        expect(hit!.line).toBe(expectedLine);
        expect(hit!.column).toBeGreaterThanOrEqual(1);
        expect(hit!.endColumn).toBeGreaterThanOrEqual(hit!.column);
        expect(hit!.message.length).toBeGreaterThan(20);
        if (!Buffer.isBuffer(c.positive)) {
          expect(validateLines(c.positive, c.options).findings).toEqual(report.findings);
        }
      });

      it('is not reported on the corrected data', async () => {
        const report = await validateText(c.negative.join('\n'), c.options);
        expect(report.findings.map((f) => f.code)).not.toContain(code);
        expect(validateLines(c.negative, c.options).findings.map((f) => f.code)).not.toContain(code);
      });
    });
  }
});

describe('severity overrides', () => {
  const lines = [OK, OK];
  it("'off' removes a rule's findings and the count follows", () => {
    const { validator } = validateLines(lines, { severityOverrides: { duplicate_example: 'off' } });
    expect(validator.findings()).toEqual([]);
    expect(validator.stats().warnings).toBe(0);
  });
  it('a new severity is applied and counted', () => {
    const { validator } = validateLines(lines, { severityOverrides: { duplicate_example: 'error' } });
    expect(validator.findings().map((f) => f.severity)).toEqual(['error']);
    expect(validator.stats().errors).toBe(1);
  });
});

describe('rules on the other formats', () => {
  it('ShareGPT turns are checked like chat messages', () => {
    const line = JSON.stringify({
      conversations: [
        { from: 'gpt', value: 'hi' },
        { from: 'robot', value: 'x' },
        { from: 'human', valu: 'y' },
      ],
    });
    const codes = validateLines([line]).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['unrecognized_role', 'message_unrecognized_key']));
  });
  it('alpaca requires instruction and output, and a misspelled one gets a rename', () => {
    const { findings } = validateLines(['{"instruction": "a", "outptu": "b"}']);
    expect(findings).toHaveLength(1);
    expect(findings[0].code).toBe('missing_field');
    expect(findings[0].fixes?.[0]).toMatchObject({ kind: 'replace', text: '"output"' });
  });
  it('a file of clean examples of each format has no findings', async () => {
    for (const name of ['chat-train', 'chat-val', 'sharegpt', 'alpaca', 'prompt-completion', 'text']) {
      const { validateFile, estimateCounter } = await import('../../../src/core/dataset');
      const report = await validateFile(`samples/${name}.jsonl`, { files: nodeDatasetFiles, maxSeqLen: 2048, tokenCounter: estimateCounter() });
      expect(report.findings, name).toEqual([]);
    }
  });
});

describe('tool calls', () => {
  const call = (id: string) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } });
  it('a tool message that answers no call is a mismatch, on its tool_call_id', () => {
    const line = chat(user('a'), { role: 'assistant', tool_calls: [call('c1')] }, { role: 'tool', tool_call_id: 'c2', content: 'x' }, assistant('b'));
    const found = validateLines([line]).findings.filter((f) => f.code === 'tool_call_mismatch');
    expect(found.map((f) => line.slice(f.column - 1, f.endColumn - 1))).toEqual(['"c1"', '"c2"']);
  });
  it('parallel calls answered in any order are fine', () => {
    const line = chat(
      user('a'),
      { role: 'assistant', tool_calls: [call('c1'), call('c2')] },
      { role: 'tool', tool_call_id: 'c2', content: 'x' },
      { role: 'tool', tool_call_id: 'c1', content: 'y' },
      assistant('b'),
    );
    expect(validateLines([line]).findings).toEqual([]);
  });
});
