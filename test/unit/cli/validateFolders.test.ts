// `brightrun validate FOLDER`: every *.jsonl under it, recursively, in path order, the count said on stderr; and
// the --json document of a folder piped into another program, the way scripts use it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/dispatch';
import { expandDatasetPaths } from '../../../src/cli/datasetFiles';
import { builtCli, requireBuiltCli } from './builtCli';

const OK = JSON.stringify({
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
  ],
});
const BROKEN = '{"messages": [}';

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

/** data/{b.jsonl, a/z.jsonl, a/y.JSONL, notes.txt, eval.prompts.jsonl, node_modules/x.jsonl, .git/h.jsonl, .hidden/k.jsonl}. */
function dataFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'brightrun-folder-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('b.jsonl', `${OK}\n`);
  write('a/z.jsonl', `${OK}\n${BROKEN}\n`);
  write('a/y.JSONL', `${OK}\n`);
  write('notes.txt', 'not data');
  write('eval.prompts.jsonl', '{"prompt": "q"}\n');
  write('node_modules/x.jsonl', BROKEN);
  write('.git/h.jsonl', BROKEN);
  write('.hidden/k.jsonl', `${OK}\n`);
  return root;
}

describe('the files of a folder', () => {
  it('are every *.jsonl under it, sorted by path, without dependency, git and prompt-set files', () => {
    const root = dataFolder();
    const { files, folders } = expandDatasetPaths([root]);
    expect(files).toEqual(['.hidden/k.jsonl', 'a/y.JSONL', 'a/z.jsonl', 'b.jsonl'].map((f) => join(root, f)));
    expect(folders).toEqual([{ folder: root, files }]);
  });

  it('keep files named on the command line as they are, in the order given, missing ones included', () => {
    const root = dataFolder();
    const named = [join(root, 'notes.txt'), join(root, 'a'), join(root, 'absent.jsonl')];
    expect(expandDatasetPaths(named).files).toEqual([
      join(root, 'notes.txt'),
      join(root, 'a', 'y.JSONL'),
      join(root, 'a', 'z.jsonl'),
      join(root, 'absent.jsonl'),
    ]);
  });

  it('do not loop through a link back to a parent folder', () => {
    const root = dataFolder();
    symlinkSync(root, join(root, 'a', 'loop'));
    symlinkSync(join(root, 'b.jsonl'), join(root, 'a', 'linked.jsonl'));
    expect(expandDatasetPaths([join(root, 'a')]).files).toEqual(['linked.jsonl', 'y.JSONL', 'z.jsonl'].map((f) => join(root, 'a', f)));
  });
});

describe('brightrun validate FOLDER', () => {
  it('validates every file of the folder, says how many, and exits 1 for the one with errors', async () => {
    const root = dataFolder();
    expect(await runCli(['validate', root, '--tokenizer', 'estimate'])).toBe(1);
    expect(err).toContain(`brightrun validate: ${root}: 4 JSONL files`);
    const summaries = out.filter((l) => /: openai-chat, \d+ examples/.test(l)).map((l) => l.slice(root.length + 1, l.indexOf(':', root.length + 1)));
    expect(summaries).toEqual(['.hidden/k.jsonl', 'a/y.JSONL', 'a/z.jsonl', 'b.jsonl']);
    expect(out).toContainEqual(expect.stringMatching(/a\/z\.jsonl:2:\d+: error invalid_json/));
  });

  it('exits 0 when every file is clean, and 2 for a folder without any *.jsonl', async () => {
    const root = dataFolder();
    expect(await runCli(['validate', join(root, '.hidden'), '--tokenizer', 'estimate'])).toBe(0);
    expect(err).toContain(`brightrun validate: ${join(root, '.hidden')}: 1 JSONL file`);
    const empty = mkdtempSync(join(tmpdir(), 'brightrun-empty-'));
    writeFileSync(join(empty, 'readme.md'), '');
    expect(await runCli(['validate', empty])).toBe(2);
    expect(err.join('\n')).toContain(`brightrun validate: ${empty} holds no *.jsonl file`);
  });
});

describe('the built CLI in a pipeline', () => {
  beforeAll(requireBuiltCli);

  it('pipes the --json document of a folder into another program, which parses it', () => {
    const root = dataFolder();
    // The reader is a second program, as `| jq` would be; PIPESTATUS keeps the CLI's own exit status.
    const reader = `node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(d.files.map((f) => f.path + " " + f.stats.errors).join("\\n"))'`;
    const script =
      `"${process.execPath}" "${builtCli}" validate --json --tokenizer estimate "$1" | ${reader}; ` + 'echo "exit ${PIPESTATUS[0]} ${PIPESTATUS[1]}"';
    const result = spawnSync('bash', ['-c', script, 'pipeline', root], { encoding: 'utf8' });
    expect(result.stdout.trim().split('\n')).toEqual([
      `${join(root, '.hidden/k.jsonl')} 0`,
      `${join(root, 'a/y.JSONL')} 0`,
      `${join(root, 'a/z.jsonl')} 1`,
      `${join(root, 'b.jsonl')} 0`,
      'exit 1 0',
    ]);
    expect(result.stderr).toContain(`${root}: 4 JSONL files`);
  }, 60_000);
});
