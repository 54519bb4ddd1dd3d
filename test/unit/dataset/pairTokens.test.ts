// Exact counts of preference pairs with a model's own tokenizer and chat template: for every pair of
// samples/preference/train.jsonl, prompt + chosen and prompt + rejected are exactly the lengths the trainer
// tokenizes the two sequences to (python/brightrun_trainer/data/preference.py tokenize_pairs, run here), and the
// pair's length (what too_long checks) is the longer of the two.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeLine, exactCounter } from '../../../src/core/dataset';
import { nodeTokenizerFiles } from '../../../src/platform/nodeTokenizerFiles';
import { missingParts } from '../../realParts';
import { smolLM2Folder } from './modelFolders';

const python = '.venv/bin/python';
const SAMPLE = 'samples/preference/train.jsonl';

const REFERENCE = `
import json, sys
from brightrun_trainer.data.formats import read_dataset
from brightrun_trainer.data.tokenize import ensure_chat_template
from brightrun_trainer.data.preference import tokenize_pairs
from brightrun_trainer.model import load_tokenizer
tok = load_tokenizer(sys.argv[1])
ensure_chat_template(tok)
_, examples = read_dataset(sys.argv[2])
pairs, _ = tokenize_pairs(tok, examples, 1 << 30, "truncate", sys.argv[2])
print(json.dumps([[len(p.chosen.input_ids), len(p.rejected.input_ids)] for p in pairs]))
`;

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(python) }, 'bash scripts/setup.sh'))('exact pair counts', () => {
  const smol = smolLM2Folder();
  const smolPart = { [`${smol.name} in ${smol.dir}`]: false };
  it.skipIf(!smol.present && (!smol.setupStep || missingParts(smolPart, smol.setupStep)))(
    `match the trainer's two sequences per pair: ${smol.name}`,
    async () => {
      const run = spawnSync(python, ['-c', REFERENCE, smol.dir, SAMPLE], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: 'python' } });
      expect(run.status, run.stderr).toBe(0);
      const expected = JSON.parse(run.stdout) as [number, number][];
      const counter = await exactCounter(smol.dir, nodeTokenizerFiles);
      expect(counter.approximate, counter.note).toBe(false);
      const ours = readFileSync(SAMPLE, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => {
          const r = analyzeLine(line, counter);
          return { sides: [r.pair!.promptTokens + r.pair!.chosenTokens, r.pair!.promptTokens + r.pair!.rejectedTokens], tokens: r.tokens };
        });
      expect(ours.map((o) => o.sides)).toEqual(expected);
      expect(ours.map((o) => o.tokens)).toEqual(expected.map(([c, r]) => Math.max(c, r)));
    },
    180_000,
  );
});
