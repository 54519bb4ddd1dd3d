// A model's tokenizer files on this machine: the path itself, a model folder, or a model id in the local Hugging
// Face cache (~/.cache/huggingface/hub/models--ORG--NAME/snapshots/<revision>/tokenizer.json; HF_HUB_CACHE /
// HF_HOME move it).
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TokenizerFiles } from '../core/dataset/tokens/tokenizerFiles';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(homedir(), '.cache', 'huggingface', 'hub');
}

export async function findTokenizerJson(source: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (await isFile(source)) return source;
  if (await isFile(join(source, 'tokenizer.json'))) return join(source, 'tokenizer.json');
  if (!/^[\w.-]+\/[\w.-]+$/.test(source)) return undefined;
  const snapshots = join(hubCacheDir(env), `models--${source.replace('/', '--')}`, 'snapshots');
  let revisions: string[];
  try {
    revisions = await readdir(snapshots);
  } catch {
    return undefined;
  }
  // Newest snapshot first, so an updated download wins over an old one.
  const dated = await Promise.all(revisions.map(async (r) => ({ r, t: (await stat(join(snapshots, r))).mtimeMs })));
  for (const { r } of dated.sort((a, b) => b.t - a.t)) {
    const file = join(snapshots, r, 'tokenizer.json');
    if (await isFile(file)) return file;
  }
  return undefined;
}

export const nodeTokenizerFiles: TokenizerFiles = {
  find: (source) => findTokenizerJson(source),
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  async list(folder) {
    try {
      return await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },
};
