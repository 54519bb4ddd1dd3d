// Real model folders the exact-count tests run against when present. SmolLM2-135M-Instruct is made by
// scripts/setup-model.sh (from a GGUF shipped on PyPI); once that script exists, CI must have run it, so a
// missing folder fails there instead of skipping (through missingParts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ModelFolder {
  name: string;
  dir: string;
  present: boolean;
  /** The script that makes it, when the repository has one. */
  setupStep?: string;
}

export function smolLM2Folder(root = process.cwd()): ModelFolder {
  const dir = join(root, '.cache/models/smollm2-135m-instruct');
  const present = existsSync(join(dir, 'tokenizer.json'));
  const setupStep = existsSync(join(root, 'scripts/setup-model.sh')) ? 'bash scripts/setup-model.sh' : undefined;
  return { name: 'SmolLM2-135M-Instruct', dir, present, setupStep };
}
