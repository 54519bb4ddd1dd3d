// Exact token counts: our byte-level BPE against the Python `tokenizers` library on tokenizers trained here
// (GPT-2 style ByteLevel, and Llama-3 style Split regex + ByteLevel + NFC), including very long unbroken runs of
// letters (counted in O(n log n)); cl100k on such runs; model-cache lookup; fallbacks.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingParts } from '../../realParts';
import { exactCounter, approximateCounter, estimateCounter } from '../../../src/core/dataset';
import { findTokenizerJson, nodeTokenizerFiles } from '../../../src/platform/nodeTokenizerFiles';
import { MAX_PRE_TOKEN } from '../../../src/core/dataset/tokens/simpleCounters';
import { seededRandom } from '../../../scripts/lib/seededRandom.mjs';
import { ByteLevelBpe, toJsRegex } from '../../../src/core/dataset/tokens/byteLevelBpe';
import { tempDir } from './helpers';

const python = '.venv/bin/python';
const TEXTS = [
  'Hello world',
  "I'm here, you're there; they'LL go. IT'S fine!",
  '  leading  and trailing   spaces  ',
  'numbers 1234567 and 3.14159, 42nd',
  'emoji 😀🎉👩‍👩‍👧 and CJK 你好世界 and accents café naïve',
  'line1\nline2\r\n\n\ttabbed',
  'special <|endoftext|> inside <|im_start|>user',
  'combining e\u0301 vs é',
  'code: def f(x):\n    return x**2  # comment',
  '$$$ ~~~ ### !!! ??? ...',
  '',
  ...readFileSync('samples/chat-val.jsonl', 'utf8').split('\n').slice(0, 10),
];

/** Unbroken runs longer than the classic merge loop handles (it would take minutes on 200k letters). */
const random = seededRandom(3);
const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
const LONG_TEXTS = ['a'.repeat(1000), 'a'.repeat(1001), letters(3000), 'ab'.repeat(700), `x ${'é'.repeat(400)} y`, 'a'.repeat(200_000), letters(200_000)];

const TRAIN = `
import json, sys
from tokenizers import Tokenizer, models, pre_tokenizers, trainers, Regex, normalizers
out, corpus_file = sys.argv[1], sys.argv[2]
corpus = open(corpus_file, encoding='utf-8').read().split('\\n')
def train(pre, name, nfc=False):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre
    if nfc: tok.normalizer = normalizers.NFC()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=700, special_tokens=["<|endoftext|>", "<|im_start|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.save(f"{out}/{name}.json")
    return tok
pat = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
toks = {
  'gpt2': train(pre_tokenizers.ByteLevel(add_prefix_space=False), 'gpt2'),
  'llama3': train(pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(pat), behavior="isolated"), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]), 'llama3', nfc=True),
  'prefix': train(pre_tokenizers.ByteLevel(add_prefix_space=True), 'prefix'),
}
texts = json.load(open(f"{out}/texts.json", encoding='utf-8')) + json.load(open(f"{out}/long.json", encoding='utf-8'))
print(json.dumps({k: [len(t.encode(x, add_special_tokens=False).ids) for x in texts] for k, t in toks.items()}))
`;

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(python) }, 'bash scripts/setup.sh'))('exact byte-level BPE', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'texts.json'), JSON.stringify(TEXTS));
  writeFileSync(join(dir, 'long.json'), JSON.stringify(LONG_TEXTS));
  const corpus = join(dir, 'corpus.txt');
  // Runs of letters in the corpus give the tokenizers merges such as "aa" and "aaaa", which long runs exercise.
  writeFileSync(
    corpus,
    readFileSync('samples/chat-train.jsonl', 'utf8') + TEXTS.join('\n') + '\n' + ['a'.repeat(64), 'ab'.repeat(32), letters(2000)].join('\n'),
  );
  let expected: Record<string, number[]> = {};

  it('trains reference tokenizers with the Python tokenizers library', () => {
    const run = spawnSync(python, ['-c', TRAIN, dir, corpus], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expected = JSON.parse(run.stdout);
  }, 60_000);

  for (const name of ['gpt2', 'llama3', 'prefix']) {
    it(`counts exactly like tokenizers for a ${name}-style tokenizer`, () => {
      const bpe = new ByteLevelBpe(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
      expect(TEXTS.map((t) => bpe.count(t))).toEqual(expected[name].slice(0, TEXTS.length));
    });

    it(`counts very long unbroken runs exactly like tokenizers for a ${name}-style tokenizer`, { timeout: 60_000 }, () => {
      const bpe = new ByteLevelBpe(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
      expect(LONG_TEXTS.map((t) => bpe.count(t))).toEqual(expected[name].slice(TEXTS.length));
    });
  }

  it('finds tokenizer.json from a file, a folder, or a model id in the Hugging Face cache', async () => {
    const file = join(dir, 'gpt2.json');
    const hub = join(dir, 'hub');
    const snapshot = join(hub, 'models--acme--tiny-chat', 'snapshots', 'abc123');
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'tokenizer.json'), readFileSync(file));
    const env = { HF_HUB_CACHE: hub };
    expect(await findTokenizerJson(file, env)).toBe(file);
    expect(await findTokenizerJson(snapshot, env)).toBe(join(snapshot, 'tokenizer.json'));
    expect(await findTokenizerJson('acme/tiny-chat', env)).toBe(join(snapshot, 'tokenizer.json'));
    expect(await findTokenizerJson('acme/absent', env)).toBeUndefined();
    const counter = await exactCounter(file, nodeTokenizerFiles);
    expect(counter.approximate).toBe(false);
    expect(counter.count(TEXTS[1])).toBe(expected.gpt2[1]);
  });
});

describe('token counter fallbacks', () => {
  it('an unsupported tokenizer falls back to approximate counts with a note', async () => {
    const dir = tempDir();
    const file = join(dir, 'tokenizer.json');
    writeFileSync(file, JSON.stringify({ model: { type: 'NoSuchModel', vocab: [] }, pre_tokenizer: { type: 'Metaspace' } }));
    const counter = await exactCounter(file, nodeTokenizerFiles);
    expect(counter.approximate).toBe(true);
    expect(counter.note).toMatch(/tokenizer\.json.*approximate/);
    expect(counter.count('hello world')).toBeGreaterThan(0);
  });

  it('a missing tokenizer falls back with a note that says where it looked', async () => {
    const counter = await exactCounter(join(tempDir(), 'nothing-here'), nodeTokenizerFiles);
    expect(counter.approximate).toBe(true);
    expect(counter.note).toMatch(/No tokenizer.json found/);
  });

  it('the default counter is gpt-tokenizer, labelled approximate', async () => {
    const counter = await approximateCounter();
    expect(counter.name).toMatch(/approximate/);
    expect(counter.count('Hello world')).toBe(2);
    expect(estimateCounter().count('12345678')).toBe(2);
  });

  it('counts special-token text in the data as plain text instead of failing', async () => {
    const counter = await approximateCounter();
    expect(counter.count('hello <|endoftext|> world <|im_start|>')).toBeGreaterThan(4);
  });

  it('counts very long unbroken runs with cl100k in bounded pieces: the same count as whole on shorter runs', { timeout: 60_000 }, async () => {
    const counter = await approximateCounter();
    const { countTokens } = await import('gpt-tokenizer/encoding/cl100k_base');
    // Up to MAX_PRE_TOKEN characters a run is counted whole, exactly as gpt-tokenizer counts it.
    const short = letters(MAX_PRE_TOKEN);
    expect(counter.count(short)).toBe(countTokens(short));
    // "aaaaaaaa" is one cl100k token: 2048 a's are 256 tokens whole, and 200k are 25k tokens in pieces.
    expect(countTokens('a'.repeat(2048))).toBe(256);
    expect(counter.count('a'.repeat(200_000))).toBe(25_000);
    // Random letters: cut into pieces, within 1% of the whole count on 8k letters, and 200k letters finish.
    const text = letters(8000);
    expect(Math.abs(counter.count(text) / countTokens(text) - 1)).toBeLessThan(0.01);
    expect(counter.count(letters(200_000))).toBeGreaterThan(50_000);
  });

  it('expands case-insensitive groups for JavaScript', () => {
    const re = new RegExp(toJsRegex("(?i:'s|'t)|\\p{L}+"), 'gu');
    expect("IT'S it's".match(re)).toEqual(['IT', "'S", 'it', "'s"]);
  });
});
