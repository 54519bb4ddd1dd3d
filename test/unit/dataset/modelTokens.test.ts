// Exact counts with a model's own tokenizer and chat template: for every example of every sample file (and
// generated ones: CJK, emoji, code, tool calls, untrained turns), the validator's count equals the length the
// trainer tokenizes it to (python/brightrun_trainer/data/tokenize.py, run here), in total and trained tokens.
// Models: the tiny test model (byte-level BPE, ChatML template), a Llama-style SentencePiece BPE with byte
// fallback, BOS post-processor and Llama-2 template, a Unigram (Metaspace) tokenizer without a chat template
// (the trainer's fallback template), and SmolLM2-135M-Instruct where its folder exists (modelFolders.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, exactCounter, validateFile } from '../../../src/core/dataset';
import type { TokenCounter } from '../../../src/contracts/dataset';
import { nodeDatasetFiles } from '../../../src/platform/nodeDatasetFiles';
import { nodeTokenizerFiles } from '../../../src/platform/nodeTokenizerFiles';
import { FALLBACK_CHAT_TEMPLATE } from '../../../src/core/dataset/tokens/chatTemplate';
import { variedChatLines } from '../../../scripts/lib/variedText.mjs';
import { tempDir } from './helpers';
import { missingParts } from '../../realParts';
import { smolLM2Folder } from './modelFolders';

const python = '.venv/bin/python';

/**
 * Per example of each file: [tokens, trained tokens] as the trainer tokenizes it (no truncation), or [-1, -1]
 * where the trainer refuses the example (e.g. a template that allows no tool turns); the validator then has no
 * exact count for it either.
 */
const REFERENCE = `
import json, sys
from brightrun_trainer.data.formats import read_dataset
from brightrun_trainer.data.tokenize import ensure_chat_template, tokenize_examples
from brightrun_trainer.errors import DataError
from brightrun_trainer.model import load_tokenizer
tok = load_tokenizer(sys.argv[1])
ensure_chat_template(tok)
out = {}
for path in sys.argv[2:]:
    _, examples = read_dataset(path)
    counts = []
    for example in examples:
        try:
            data, _ = tokenize_examples(tok, [example], 10**9, "truncate", path)
            counts.append([len(data[0].input_ids), data[0].trained_tokens])
        except DataError:
            counts.append([-1, -1])
    out[path] = counts
print(json.dumps(out))
`;

/** A Llama-style tokenizer (SentencePiece BPE, byte fallback, "<s>" added to text) and a Unigram one, trained here. */
const BUILD = `
import json, sys
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, decoders, trainers
out, corpus = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().split("\\n")
LLAMA2 = ("{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}"
  "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
  "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
  "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
  "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\\\n' + system_message + '\\\\n<</SYS>>\\\\n\\\\n' + message['content'] %}"
  "{% else %}{% set content = message['content'] %}{% endif %}"
  "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
  "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}")

def save(tok, name, config):
    import os
    os.makedirs(f"{out}/{name}", exist_ok=True)
    tok.save(f"{out}/{name}/tokenizer.json")
    json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "clean_up_tokenization_spaces": False, **config}, open(f"{out}/{name}/tokenizer_config.json", "w"))

llama = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
llama.normalizer = normalizers.Sequence([normalizers.Prepend("\\u2581"), normalizers.Replace(" ", "\\u2581")])
llama.decoder = decoders.Sequence([decoders.Replace("\\u2581", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
llama.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=900, special_tokens=["<unk>", "<s>", "</s>"]))
spec = json.loads(llama.to_str())
vocab = spec["model"]["vocab"]
for b in range(256):
    vocab.setdefault(f"<0x{b:02X}>", len(vocab))
llama = Tokenizer.from_str(json.dumps(spec))
llama.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", llama.token_to_id("<s>"))])
save(llama, "llama", {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "chat_template": LLAMA2})

uni = Tokenizer(models.Unigram())
uni.normalizer = normalizers.NFKC()
uni.pre_tokenizer = pre_tokenizers.Metaspace()
uni.decoder = decoders.Metaspace()
uni.train_from_iterator(corpus, trainers.UnigramTrainer(vocab_size=600, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>"))
save(uni, "unigram", {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"})
print(json.dumps(${'{'}"fallback": __import__("brightrun_trainer.data.tokenize", fromlist=["x"]).FALLBACK_CHAT_TEMPLATE${'}'}))
`;

const SAMPLES = ['chat-train', 'chat-val', 'tickets/tickets-train', 'tickets/tickets-val', 'alpaca', 'sharegpt', 'prompt-completion', 'text'].map(
  (n) => `samples/${n}.jsonl`,
);

/** Generated chat lines with what the samples lack: varied scripts, untrained turns, tool calls. */
function generatedFiles(dir: string): string[] {
  const varied = join(dir, 'varied.jsonl');
  writeFileSync(varied, variedChatLines(21, 120).join('\n') + '\n');
  const special = join(dir, 'special.jsonl');
  const lines = [
    {
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!', weight: 0 },
        { role: 'user', content: 'Again?' },
        { role: 'assistant', content: 'Yes  — again.\n' },
      ],
    },
    {
      messages: [
        { role: 'system', content: '  padded system  ' },
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'part one, ' },
            { type: 'text', text: 'part two' },
          ],
        },
      ],
    },
    {
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city": "Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '21°C' },
        { role: 'assistant', content: 'It is 21°C.' },
      ],
    },
    {
      messages: [
        { role: 'user', content: 'Say <|im_end|> or </s> literally' },
        { role: 'assistant', content: '<s>[INST] no [/INST] <|im_start|>' },
      ],
    },
  ];
  writeFileSync(special, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  // Plain text gets the tokenizer's special tokens and EOS, unless it already ends with EOS.
  const texts = join(dir, 'text-eos.jsonl');
  const endings = ['', '</s>', '<|im_end|>', '<|endoftext|>', ' </s> ', '<s>'];
  writeFileSync(texts, endings.map((end, i) => JSON.stringify({ text: `Plain text number ${i}, 数据 😀${end}` })).join('\n') + '\n');
  return [varied, special, texts];
}

function referenceCounts(modelDir: string, files: string[]): Record<string, [number, number][]> {
  const run = spawnSync(python, ['-c', REFERENCE, modelDir, ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** The validator's per-example counts, in the same order (non-blank lines). */
function ourCounts(counter: TokenCounter, file: string): [number, number][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const value = JSON.parse(line) as Record<string, unknown>;
      const counted = counter.countExample!(detectFormat(value)!, value);
      return counted ? [counted.total, counted.trained] : [-1, -1];
    });
}

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(python) }, 'bash scripts/setup.sh'))(
  "exact counts with the model's own tokenizer and chat template",
  () => {
    const dir = tempDir();
    const files = [...SAMPLES, ...generatedFiles(dir)];
    const models: Record<string, string> = { tiny: join(dir, 'tiny'), llama: join(dir, 'llama'), unigram: join(dir, 'unigram') };
    let fallbackTemplate = '';

    beforeAll(() => {
      const tiny = spawnSync(
        python,
        ['-m', 'brightrun_trainer', 'make-tiny-model', models.tiny, '--corpus', 'samples/chat-train.jsonl', 'samples/chat-val.jsonl'],
        { encoding: 'utf8' },
      );
      if (tiny.status !== 0) throw new Error(tiny.stderr);
      const corpus = join(dir, 'corpus.txt');
      writeFileSync(corpus, SAMPLES.map((f) => readFileSync(f, 'utf8')).join('\n') + variedChatLines(22, 300).join('\n'));
      const built = spawnSync(python, ['-c', BUILD, dir, corpus], { encoding: 'utf8' });
      if (built.status !== 0) throw new Error(built.stderr);
      fallbackTemplate = JSON.parse(built.stdout).fallback;
    }, 180_000);

    it("uses the trainer's own fallback chat template", () => {
      expect(FALLBACK_CHAT_TEMPLATE).toBe(fallbackTemplate);
    });

    for (const name of ['tiny', 'llama', 'unigram']) {
      it(`counts every example exactly like the trainer: ${name}`, async () => {
        const expected = referenceCounts(models[name], files);
        const counter = await exactCounter(models[name], nodeTokenizerFiles);
        expect(counter.approximate, counter.note).toBe(false);
        for (const file of files) expect(ourCounts(counter, file), file).toEqual(expected[file]);
        // Through the validator: its total is the trainer's total.
        const report = await validateFile(files[0], { files: nodeDatasetFiles, maxSeqLen: 4096, tokenCounter: counter });
        expect(report.stats.tokens.total).toBe(expected[files[0]].reduce((a, [n]) => a + n, 0));
        expect(report.stats.tokens.assistant).toBe(expected[files[0]].reduce((a, [, t]) => a + t, 0));
      }, 120_000);
    }

    const smol = smolLM2Folder();
    // Until the repository has the step that makes the folder, its absence only skips; from then on, CI fails.
    const smolPart = { [`${smol.name} in ${smol.dir}`]: false };
    it.skipIf(!smol.present && (!smol.setupStep || missingParts(smolPart, smol.setupStep)))(
      `counts every example exactly like the trainer: ${smol.name}`,
      async () => {
        const expected = referenceCounts(smol.dir, files);
        const counter = await exactCounter(smol.dir, nodeTokenizerFiles);
        expect(counter.approximate, counter.note).toBe(false);
        for (const file of files) expect(ourCounts(counter, file), file).toEqual(expected[file]);
      },
      180_000,
    );
  },
);
