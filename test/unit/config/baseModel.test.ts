// baseModel in *.brightrun.json: a Hub id or a folder path, refused at its JSON path when it holds shell syntax,
// newlines or anything that is neither.
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { runConfigJsonSchema, type RunConfigFile } from '../../../src/contracts/runConfigFile';
import { isLocalModelPath, localPaths } from '../../../src/core/config/resolveConfig';
import { resolve } from 'node:path';

const withModel = (baseModel: string) => validateRunConfig({ datasets: { train: 'train.jsonl' }, baseModel });

describe('baseModel', () => {
  it('accepts Hub ids and folder paths', () => {
    for (const ok of [
      'Qwen/Qwen2.5-0.5B-Instruct',
      'gpt2',
      'HuggingFaceTB/SmolLM2-135M-Instruct',
      'org_1/name.v2',
      './models/my model',
      '../base',
      '/srv/models/llama 3',
      '~/models/x',
      'C:\\models\\x',
    ]) {
      expect(withModel(ok), ok).toMatchObject({ ok: true });
    }
  });

  it('accepts a .gguf file, with or without ./, and resolves a relative one next to the config like a folder', () => {
    for (const ok of ['./models/qwen.Q8_0.gguf', '/srv/models/llama.gguf', '~/m/x.GGUF', 'models/tiny.gguf', 'tiny.gguf']) {
      expect(withModel(ok), ok).toMatchObject({ ok: true });
      expect(isLocalModelPath(ok), ok).toBe(true);
    }
    expect(localPaths({ datasets: { train: 't.jsonl' }, baseModel: 'models/tiny.gguf' } as RunConfigFile, '/proj/run.brightrun.json').baseModel).toBe(
      resolve('/proj/models/tiny.gguf'),
    );
    expect(isLocalModelPath('org/name')).toBe(false);
    const shell = withModel('models/$(id).gguf');
    expect(shell.ok).toBe(false);
    if (!shell.ok) expect(shell.problems[0].message).toMatch(/holds '\$'/);
  });

  it('refuses shell syntax, newlines and values that are neither, at $.baseModel', () => {
    const cases: [string, RegExp][] = [
      ['Qwen/Qwen2.5; rm -rf ~', /neither a Hugging Face model id/],
      ['org/name\n--resume', /control character/],
      ['$(touch pwned)', /neither a Hugging Face model id/],
      ['./models/$(touch pwned)', /holds '\$', which a shell would interpret/],
      ['/models/a`id`', /holds '`'/],
      ["./it's", /holds '''/],
      ['org/../../etc', /neither/],
      ['a/b/c', /neither/],
      ['-org/name', /neither/],
      ['org--x/name', /neither/],
      ['x'.repeat(97), /neither/],
    ];
    for (const [value, message] of cases) {
      const r = withModel(value);
      expect(r.ok, value).toBe(false);
      if (!r.ok) {
        expect(r.problems).toHaveLength(1);
        expect(r.problems[0].path).toBe('$.baseModel');
        expect(r.problems[0].message).toMatch(message);
      }
    }
  });

  it('leaves the JSON Schema for the editor unchanged (the check is a refinement)', () => {
    const schema = runConfigJsonSchema() as { properties: { baseModel: Record<string, unknown> } };
    expect(schema.properties.baseModel).toMatchObject({ type: 'string', minLength: 1 });
  });
});
