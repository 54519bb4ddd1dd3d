// The preference formats (openai-preference, pairs): detection, where each rule's finding sits and what its quick
// fix leaves, how a pair is measured (prompt + longer response), the preference statistics and the length-bias
// threshold, conversion between the two formats, and `brightrun validate` on samples/preference.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';
import type { TokenCounter } from '../../../src/contracts/dataset';
import { convertPreference, detectFormat, DocumentValidator } from '../../../src/core/dataset';
import { LENGTH_BIAS_MIN_PAIRS } from '../../../src/core/dataset/pairTally';
import { applyFix, assistant, chat, covered, pair, PAIR, PREF, preference, system, user, validateLines, validateText } from './helpers';

/** One token per word, no estimate: token counts a test can work out by hand. */
const words: TokenCounter = { name: 'words', approximate: true, spec: { kind: 'estimate' }, count: (t) => t.split(/\s+/).filter(Boolean).length };

/** Findings of both validators (which must agree), as "line code". */
async function codes(lines: string[], options = {}) {
  const fromDisk = await validateText(lines.join('\n'), options);
  expect(validateLines(lines, options).findings).toEqual(fromDisk.findings);
  return fromDisk.findings.map((f) => `${f.line} ${f.code}`);
}

describe('detection', () => {
  it('tells the preference formats from the others by their keys', () => {
    expect(detectFormat(JSON.parse(PAIR))).toBe('pairs');
    expect(detectFormat(JSON.parse(PREF))).toBe('openai-preference');
    expect(detectFormat({ prompt: 'a', rejected: 'b' })).toBe('pairs');
    expect(detectFormat({ input: { messages: [] }, non_preferred_output: [] })).toBe('openai-preference');
    expect(detectFormat({ prompt: 'a', completion: 'b' })).toBe('prompt-completion');
    expect(detectFormat({ prompt: 'a' })).toBe('prompt-completion');
  });

  it('a clean file of each format has no findings and says its format', async () => {
    for (const [line, format] of [
      [PAIR, 'pairs'],
      [PREF, 'openai-preference'],
    ] as const) {
      const report = await validateText(line);
      expect(report.findings).toEqual([]);
      expect(report.format).toBe(format);
    }
  });

  it('a chat example in a pairs file is mixed_formats', async () => {
    expect(await codes([PAIR, chat(user('a'), assistant('b'))])).toEqual(['2 mixed_formats']);
    expect(await codes([PREF, PAIR])).toEqual(['2 mixed_formats']);
  });

  it('a line of no format in a pairs file is judged as a pair (missing what a pair needs)', async () => {
    expect(await codes([PAIR, '{"promt": "a", "chosen": "b", "rejected": "c"}'])).toEqual(['2 missing_field']);
  });
});

describe('findings sit on the key or value at fault, and quick fixes leave a valid pair', () => {
  const at = (lines: string[], code: string) => {
    const f = validateLines(lines).findings.find((x) => x.code === code);
    expect(f, code).toBeDefined();
    return f!;
  };

  it('missing_side: a misspelled side is renamed', () => {
    const lines = ['{"prompt": "a", "chosen": "b", "rejectd": "c"}'];
    const f = at(lines, 'missing_side');
    expect(covered(lines, f)).toBe('"rejectd"');
    const fixed = applyFix(lines, f.fixes![0]);
    expect(validateLines(fixed).findings).toEqual([]);
  });

  it('missing_side: with no side to rename, it names the side the pair has', () => {
    const lines = ['{"input": {"messages": [{"role": "user", "content": "a"}]}, "preferred_output": [{"role": "assistant", "content": "b"}]}'];
    const f = at(lines, 'missing_side');
    expect(covered(lines, f)).toBe('"preferred_output"');
    expect(f.message).toMatch(/"non_preferred_output" \(the rejected response\)/);
    expect(f.fixes).toBeUndefined();
  });

  it('empty_side: on the empty value', () => {
    const lines = [pair('a', '', 'c')];
    expect(covered(lines, at(lines, 'empty_side'))).toBe('""');
    const msgs = [preference([user('a')], [], [assistant('c')])];
    expect(covered(msgs, at(msgs, 'empty_side'))).toBe('[]');
  });

  it('identical_sides: on the rejected value, fixed by deleting the pair', () => {
    const lines = [PAIR, preference([user('a')], [assistant('same')], [{ content: 'same', role: 'assistant' }])];
    const mixedFree = [PREF, lines[1]];
    const f = at(mixedFree, 'identical_sides');
    expect(f.line).toBe(2);
    expect(covered(mixedFree, f)).toBe('[{"content":"same","role":"assistant"}]');
    expect(applyFix(mixedFree, f.fixes![0])).toEqual([PREF]);
  });

  it('prompt_missing_user_message: on the prompt, whether a list or an empty string', () => {
    const lines = [pair([system('s')], 'b', 'c')];
    expect(covered(lines, at(lines, 'prompt_missing_user_message'))).toBe('[{"role":"system","content":"s"}]');
    const empty = [pair('  ', 'b', 'c')];
    expect(covered(empty, at(empty, 'prompt_missing_user_message'))).toBe('"  "');
  });

  it('output_not_single_assistant: a string output is wrapped in one assistant message', () => {
    const lines = [preference([user('a')], 'b', [assistant('c')])];
    const f = at(lines, 'output_not_single_assistant');
    expect(covered(lines, f)).toBe('"b"');
    const fixed = applyFix(lines, f.fixes![0]);
    expect(validateLines(fixed).findings).toEqual([]);
    expect(JSON.parse(fixed[0]).preferred_output).toEqual([assistant('b')]);
  });

  it('output_not_single_assistant: two messages, or a non-assistant one, have no certain fix', () => {
    const two = [preference([user('a')], [assistant('b'), assistant('b2')], [assistant('c')])];
    const f = at(two, 'output_not_single_assistant');
    expect(covered(two, f)).toBe('{"role":"assistant","content":"b2"}');
    expect(f.fixes).toBeUndefined();
    expect(at([pair('a', [user('b')], 'c')], 'output_not_single_assistant').message).toMatch(/role "user"/);
  });

  it('a pairs response may be messages ending with the assistant turn, even repeating the prompt first', async () => {
    const call = { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } };
    const withTool = [{ role: 'assistant', tool_calls: [call] }, { role: 'tool', tool_call_id: 'c1', content: 'found' }, assistant('It shipped.')];
    const repeated = [user('Where is it?'), assistant('It shipped.')];
    expect(await codes([pair('Where is it?', withTool, 'No idea.'), pair('Where is it?', repeated, 'No idea.')])).toEqual([]);
    // Repeating the prompt changes nothing: the same pair as with a plain string.
    expect(await codes([pair('Where is it?', 'It shipped.', 'No idea.'), pair('Where is it?', repeated, 'No idea.')])).toEqual(['2 duplicate_pair']);
    const endsWithUser = [pair('a', [assistant('b'), user('c')], 'd')];
    expect(covered(endsWithUser, at(endsWithUser, 'output_not_single_assistant'))).toBe('"user"');
  });

  it('the chat rules apply inside the prompt, placed within it', () => {
    const lines = [preference([{ role: 'usr', content: 'a' }], [assistant('b')], [assistant('c')])];
    const f = at(lines, 'unrecognized_role');
    expect(covered(lines, f)).toBe('"usr"');
    expect(validateLines(applyFix(lines, f.fixes![0])).findings).toEqual([]);
  });
});

describe('duplicate pairs', () => {
  it('the same pair written differently is duplicate_pair; an exact copy stays duplicate_example only', async () => {
    const restated = JSON.stringify({ rejected: 'c', prompt: [user('a')], chosen: [assistant('b')] });
    expect(await codes([pair('a', 'b', 'c'), restated, pair('a', 'b', 'c'), pair('a', 'b', 'd')])).toEqual(['2 duplicate_pair', '3 duplicate_example']);
    const f = validateLines([pair('a', 'b', 'c'), restated]).findings[0];
    expect(f.related).toEqual([{ line: 1, message: 'first copy of this pair' }]);
    expect(f.fixes).toEqual([{ kind: 'deleteLine', title: 'Delete this duplicate of the pair on line 1', line: 2 }]);
  });
});

describe('length and statistics', () => {
  // pairs: prompt 'p p p' (3), chosen 2 or 6 words, rejected 4 words. A sequence counts 1 (example) + 4 per
  // turn (2 turns) + the words: the prompt part is 1 + 8 + 3 = 12.
  const lines = [pair('p p p', 'c c', 'r r r r'), pair('p p p', 'c c c c c c', 'r r r r'), pair('q q q', 'c c', 'r r r r')];

  it("a multi-turn prompt's assistant turns are context, not response tokens", async () => {
    const multi = [pair([user('p p'), assistant('a a a'), user('p')], 'c c', 'r r r r')];
    const report = await validateText(multi.join('\n'), { tokenCounter: words });
    // 1 + 4 per turn (4 turns) + 6 prompt words; only the responses are trained.
    expect(report.stats.preference).toMatchObject({ promptTokens: { max: 1 + 16 + 6 }, chosenTokens: { max: 2 }, rejectedTokens: { max: 4 } });
    expect(report.stats.tokens).toMatchObject({ total: 27, assistant: 6 });
  });

  it('a pair counts as its prompt plus the longer response; both responses are trained', async () => {
    const report = await validateText(lines.join('\n'), { tokenCounter: words });
    expect(report.stats.tokens).toMatchObject({ total: 16 + 18 + 16, assistant: 6 + 10 + 6, max: 18 });
    expect(report.stats.preference).toEqual({
      pairs: 3,
      promptTokens: { p50: 12, p95: 12, max: 12 },
      chosenTokens: { p50: 2, p95: 6, max: 6 },
      rejectedTokens: { p50: 4, p95: 4, max: 4 },
      chosenLongerShare: 1 / 3,
    });
    const doc = new DocumentValidator({ maxSeqLen: 2048, tokenCounter: words });
    doc.reset(lines);
    expect(doc.stats()).toEqual(report.stats);
  });

  it('too_long measures the longer side: over max_seq_len by the chosen response alone', async () => {
    expect(await codes(lines, { tokenCounter: words, maxSeqLen: 17 })).toEqual(['2 too_long']);
    expect((await validateText(lines.join('\n'), { tokenCounter: words, maxSeqLen: 17 })).findings[0].message).toMatch(
      /The pair is 18 tokens \(prompt \+ longer response\)/,
    );
  });

  it('the editor keeps the statistics as lines change', () => {
    const doc = new DocumentValidator({ maxSeqLen: 2048, tokenCounter: words });
    doc.reset(lines);
    doc.applyChange(1, 1, []);
    expect(doc.stats().preference).toMatchObject({ pairs: 2, chosenLongerShare: 0 });
  });

  it('files of the other formats have no preference statistics', async () => {
    expect((await validateText(chat(user('a'), assistant('b')))).stats.preference).toBeUndefined();
  });
});

describe('length_bias', () => {
  /** `total` distinct pairs of unequal length, `chosenLonger` of them with the longer chosen response. */
  const pairs = (total: number, chosenLonger: number) =>
    Array.from({ length: total }, (_, i) => (i < chosenLonger ? pair(`q${i}`, 'long long long', 'short') : pair(`q${i}`, 'short', 'long long long')));

  it('is reported above 80% and below 20%, not at 80%', async () => {
    expect(await codes(pairs(20, 17))).toEqual(['1 length_bias']);
    expect(await codes(pairs(20, 3))).toEqual(['1 length_bias']);
    expect(await codes(pairs(20, 16))).toEqual([]);
    expect(await codes(pairs(20, 4))).toEqual([]);
  });

  it('says which way the bias goes and what to add', () => {
    expect(validateLines(pairs(20, 20)).findings[0].message).toMatch(
      /longer than the rejected one in 100% of 20 pairs.*Add pairs where the chosen response is the shorter one/,
    );
    expect(validateLines(pairs(20, 0)).findings[0].message).toMatch(/shorter than the rejected one in 100% of 20 pairs/);
  });

  it('needs enough pairs of unequal length to mean anything', async () => {
    expect(await codes(pairs(LENGTH_BIAS_MIN_PAIRS - 1, LENGTH_BIAS_MIN_PAIRS - 1))).toEqual([]);
    const ties = Array.from({ length: 30 }, (_, i) => pair(`t${i}`, 'same length', 'other words'));
    expect(await codes([...pairs(10, 10), ...ties])).toEqual([]);
  });
});

describe('conversion between the preference formats', () => {
  const sample = readFileSync('samples/preference/train.jsonl', 'utf8').trimEnd().split('\n');

  it('pairs -> openai-preference -> pairs gives the same lines (samples/preference/train.jsonl)', async () => {
    const openai = convertPreference(sample, 'openai-preference');
    expect(openai.skipped).toEqual([]);
    expect(openai.sourceFormats).toEqual(['pairs']);
    const report = await validateText(openai.lines.join('\n'));
    expect(report.format).toBe('openai-preference');
    expect(report.findings).toEqual([]);
    const back = convertPreference(openai.lines, 'pairs');
    expect(back.lines).toEqual(sample.map((l) => JSON.stringify(JSON.parse(l))));
  });

  it('openai-preference -> pairs -> openai-preference keeps multi-turn prompts and rich responses as messages', () => {
    const lines = [
      preference([system('Be brief.'), user('a'), assistant('b'), user('c')], [{ role: 'assistant', content: 'd', weight: 1 }], [assistant('e')]),
      preference([user('plain')], [assistant('x')], [assistant('y')]),
    ];
    const pairs = convertPreference(lines, 'pairs');
    expect(JSON.parse(pairs.lines[1])).toEqual({ prompt: 'plain', chosen: 'x', rejected: 'y' });
    expect(JSON.parse(pairs.lines[0]).chosen).toEqual([{ role: 'assistant', content: 'd', weight: 1 }]);
    expect(convertPreference(pairs.lines, 'openai-preference').lines).toEqual(lines);
  });

  it('says which lines it cannot convert, and why', () => {
    const withTools = JSON.stringify({
      input: { messages: [user('a')], tools: [] },
      preferred_output: [assistant('b')],
      non_preferred_output: [assistant('c')],
    });
    const result = convertPreference([PREF, withTools, chat(user('a'), assistant('b')), '{', PAIR], 'pairs');
    // A line already in the target format is kept.
    expect(result.lines).toEqual([pair('Name a primary colour.', 'Red.', 'Purple, probably.'), JSON.stringify(JSON.parse(PAIR))]);
    expect(result.skipped).toEqual([
      { line: 2, reason: '"input" has "tools", which the pairs format cannot hold' },
      { line: 3, reason: 'openai-chat examples are not preference pairs' },
      { line: 4, reason: 'not valid JSON' },
    ]);
    expect(convertPreference([pair('a', ['x', 'y'], 'c')], 'openai-preference').skipped).toEqual([
      { line: 1, reason: '"chosen" must be a string or a list of one assistant message' },
    ]);
  });
});

describe('samples/preference', () => {
  it('broken.jsonl has the findings samples/README.md lists for it, at the listed lines', async () => {
    const readme = readFileSync('samples/README.md', 'utf8');
    const section = readme.slice(readme.indexOf('`brightrun validate samples/preference/broken.jsonl`'));
    const announced = [...section.matchAll(/^- line (\d+): `(\w+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(announced.length).toBeGreaterThanOrEqual(10);
    const report = await validateText(readFileSync('samples/preference/broken.jsonl'));
    expect(report.findings.map((f) => `${f.line} ${f.code}`)).toEqual(announced);
    expect(validateLines(readFileSync('samples/preference/broken.jsonl', 'utf8').trimEnd().split('\n')).findings).toEqual(report.findings);
  });

  it('train and val are clean, do not overlap, and are not length-biased', async () => {
    const val = readFileSync('samples/preference/val.jsonl', 'utf8').trimEnd().split('\n');
    const { validationSetFromLines } = await import('../../../src/core/dataset');
    const report = await validateText(readFileSync('samples/preference/train.jsonl'), { validationSet: validationSetFromLines('val.jsonl', val) });
    expect(report.findings).toEqual([]);
    expect(report.stats.preference!.pairs).toBeGreaterThanOrEqual(200);
    expect(report.stats.preference!.chosenLongerShare).toBeGreaterThan(0.2);
    expect(report.stats.preference!.chosenLongerShare).toBeLessThan(0.8);
  });
});

describe('brightrun validate on the preference samples', () => {
  let out: string[] = [];
  beforeEach(() => {
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  it('prints the pair statistics and exits 0 on the clean sample', async () => {
    expect(await runCli(['validate', 'samples/preference/train.jsonl', '--tokenizer', 'estimate'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/train\.jsonl: pairs, 240 examples/);
    expect(text).toMatch(/240 pairs; tokens per prompt p50 \d+ \/ p95 \d+ \/ max \d+, chosen p50 \d+ .*, rejected p50 \d+ .*; chosen longer in \d+% of pairs/);
  });

  it('exits 1 on the broken sample, with each finding at file:line:col', async () => {
    expect(await runCli(['validate', 'samples/preference/broken.jsonl', '--tokenizer', 'estimate'])).toBe(1);
    expect(out).toContain('samples/preference/broken.jsonl:3:81: error missing_side: "choosen" should be "chosen": rename the key.');
    expect(out.some((l) => /^samples\/preference\/broken\.jsonl:1:1: warning length_bias: /.test(l))).toBe(true);
  });
});
