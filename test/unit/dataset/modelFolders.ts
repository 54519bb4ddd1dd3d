// Real model folders the exact-count tests run against when present. SmolLM2-135M-Instruct is made by
// scripts/setup-model.sh (from a GGUF shipped on PyPI); once that script exists, CI must have run it, so a
// missing folder fails there instead of skipping.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelFolder {
  name: string;
  dir: string;
  present: boolean;
  /** True where its absence is a failure (CI, once the setup step that makes it exists). */
  required: boolean;
}

export function smolLM2Folder(root = process.cwd()): ModelFolder {
  const dir = join(root, '.cache/models/smollm2-135m-instruct');
  const present = existsSync(join(dir, 'tokenizer.json'));
  const setupStep = existsSync(join(root, 'scripts/setup-model.sh'));
  return { name: 'SmolLM2-135M-Instruct', dir, present, required: process.env.CI === 'true' && setupStep };
}
