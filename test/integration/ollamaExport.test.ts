// `brightrun export RUN --ollama` on a real completed run (the real trainer, the tiny model): the export folder and
// Modelfile, the printed command without Ollama, `ollama create` with it, the GGUF adapter, the merged model.
// Ollama itself cannot be installed on the test machines (no network; it is not in Debian, PyPI or npm), so a
// stand-in `ollama` executable on PATH records how it is called and keeps the Modelfile it was given; llama.cpp
// is not installable either, and its converter is likewise a stand-in that records its arguments.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/dispatch';
import { missingParts } from '../realParts';
import { PROJECT_PYTHON, smallDatasets, tinyModelDir } from './helpers/sshRunFixture';

let root: string;
let runDir: string;
let out: string[];
let err: string[];
const ORIGINAL_PATH = process.env.PATH ?? '';

function useHome(): void {
  vi.stubEnv('BRIGHTRUN_HOME', join(root, 'home'));
  vi.stubEnv('BRIGHTRUN_PYTHON', PROJECT_PYTHON);
  vi.stubEnv('LLAMA_CPP_DIR', '');
}

/** FROM, ADAPTER, TEMPLATE and stops of a Modelfile, read the way Ollama's parser reads them. */
function parseModelfile(text: string): { from?: string; adapter?: string; template?: string; system?: string; stops: string[] } {
  const result: { from?: string; adapter?: string; template?: string; system?: string; stops: string[] } = { stops: [] };
  const unquote = (v: string) => (v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);
  const template = /^TEMPLATE """([\s\S]*?)"""$/m.exec(text);
  if (template) result.template = template[1];
  const system = /^SYSTEM """([\s\S]*?)"""$/m.exec(text);
  if (system) result.system = system[1];
  for (const line of text.split('\n')) {
    const [keyword, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (keyword === 'FROM') result.from = unquote(value);
    if (keyword === 'ADAPTER') result.adapter = unquote(value);
    if (keyword === 'PARAMETER' && rest[0] === 'stop') result.stops.push(JSON.parse(rest.slice(1).join(' ')));
  }
  return result;
}

/** A stand-in `ollama` that records its arguments and a copy of the Modelfile it is handed, and exits with `code`. */
function fakeOllama(code = 0, message = 'success'): { bin: string; seen: string } {
  const bin = mkdtempSync(join(root, 'bin-'));
  const seen = join(bin, 'seen');
  mkdirSync(seen);
  writeFileSync(
    join(bin, 'ollama'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}/args'\n[ "$3" = "-f" ] && cp "$4" '${seen}/Modelfile'\necho 'transferring model data'\necho '${message}'\nexit ${code}\n`,
  );
  chmodSync(join(bin, 'ollama'), 0o755);
  return { bin, seen };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'brightrun-ollama-'));
  useHome();
  const data = smallDatasets('project');
  const config = join(data.root, 'run.brightrun.json');
  const hyperparameters = { maxSteps: 3, batchSize: 2, gradAccum: 1, learningRate: 0.001 };
  writeFileSync(config, JSON.stringify({ name: 'Tiny Bot', datasets: { train: data.train }, baseModel: tinyModelDir(), maxSeqLen: 64, hyperparameters }));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  expect(await runCli(['train', config, '--follow'])).toBe(0);
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  const [runId] = readdirSync(join(root, 'home', 'local', 'runs'));
  runDir = join(root, 'home', 'local', 'runs', runId);
}, 300_000);

beforeEach(() => {
  out = [];
  err = [];
  useHome();
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))('brightrun export --ollama', { timeout: 120_000 }, () => {
  it('without Ollama: writes ollama/ beside the adapter and prints the command (exit 0)', async () => {
    vi.stubEnv('PATH', '/usr/bin:/bin');
    expect(await runCli(['export', 'last', '--ollama'])).toBe(0);
    const modelfile = join(runDir, 'ollama', 'Modelfile');
    expect(out).toContain(`Modelfile: ${modelfile}`);
    expect(out.join('\n')).toContain('Ollama is not installed here');
    expect(out).toContain(`  ollama create tiny-bot -f ${modelfile}`);
    const parsed = parseModelfile(readFileSync(modelfile, 'utf8'));
    expect(parsed.from).toBe(tinyModelDir());
    expect(parsed.adapter).toBe(join(runDir, 'adapter'));
    expect(parsed.template).toContain('<|im_start|>{{ .Role }}');
    expect(parsed.stops).toEqual(['<|im_start|>', '<|im_end|>']);
    // Every sample example starts with the same system prompt: it becomes the model's.
    expect(parsed.system).toMatch(/^You are Lumo, the support assistant for Brightwater home appliances\./);
  });

  it('with Ollama and --gguf: converts the adapter with the gguf package and runs ollama create NAME -f Modelfile', async () => {
    const { bin, seen } = fakeOllama();
    vi.stubEnv('PATH', `${bin}:${ORIGINAL_PATH}`);
    const exportDir = join(root, 'export dir');
    expect(await runCli(['export', 'last', '--ollama', '--gguf', '--name', 'me/tiny:v1', '--out', exportDir])).toBe(0);
    const modelfile = join(exportDir, 'Modelfile');
    expect(readFileSync(join(seen, 'args'), 'utf8').split('\n').slice(0, 4)).toEqual(['create', 'me/tiny:v1', '-f', modelfile]);
    const parsed = parseModelfile(readFileSync(join(seen, 'Modelfile'), 'utf8'));
    expect(parsed.from).toBe(tinyModelDir());
    expect(parsed.adapter).toBe(join(exportDir, 'adapter.gguf'));
    expect(existsSync(parsed.from!) && existsSync(parsed.adapter!)).toBe(true);
    expect(readFileSync(parsed.adapter!).subarray(0, 4).toString()).toBe('GGUF');
    expect(out).toContain('GGUF converter: BrightRun (gguf package)');
    expect(out.join('\n')).toContain('Created the Ollama model me/tiny:v1. Try it: ollama run me/tiny:v1');
    expect(err.join('\n')).toContain('success'); // ollama's own output is shown
  });

  it("prefers llama.cpp's converter when LLAMA_CPP_DIR has it", async () => {
    const llama = mkdtempSync(join(root, 'llama.cpp-'));
    writeFileSync(
      join(llama, 'convert_lora_to_gguf.py'),
      'import json, sys\nargs = sys.argv[1:]\nopen(args[args.index("--outfile") + 1], "wb").write(b"GGUF")\njson.dump(args, open(sys.argv[0] + ".args", "w"))\nprint("llama.cpp converted")\n',
    );
    vi.stubEnv('PATH', '/usr/bin:/bin');
    vi.stubEnv('LLAMA_CPP_DIR', llama);
    const exportDir = join(root, 'llama-export');
    expect(await runCli(['export', 'last', '--ollama', '--gguf', '--out', exportDir])).toBe(0);
    const args = JSON.parse(readFileSync(join(llama, 'convert_lora_to_gguf.py.args'), 'utf8'));
    expect(args).toEqual([join(runDir, 'adapter'), '--base', tinyModelDir(), '--outfile', join(exportDir, 'adapter.gguf'), '--outtype', 'f16']);
    expect(out).toContain(`GGUF converter: llama.cpp ${join(llama, 'convert_lora_to_gguf.py')}`);
  });

  it('--merged: FROM the merged model folder, no ADAPTER', async () => {
    vi.stubEnv('PATH', '/usr/bin:/bin');
    const exportDir = join(root, 'merged-export');
    expect(await runCli(['export', 'last', '--ollama', '--merged', '--out', exportDir])).toBe(0);
    const parsed = parseModelfile(readFileSync(join(exportDir, 'Modelfile'), 'utf8'));
    expect(parsed.from).toBe(join(exportDir, 'merged'));
    expect(existsSync(join(exportDir, 'merged', 'config.json'))).toBe(true);
    expect(parsed.adapter).toBeUndefined();
    // A merged model converts to GGUF only with llama.cpp: refused before the merge, saying what to install.
    const refused = join(root, 'merged-gguf');
    expect(await runCli(['export', 'last', '--ollama', '--merged', '--gguf', '--out', refused])).toBe(1);
    expect(err.join('\n')).toMatch(/needs llama\.cpp's convert_hf_to_gguf\.py: install llama\.cpp and set LLAMA_CPP_DIR/);
    expect(existsSync(join(refused, 'merged'))).toBe(false);
  });

  it('a failing ollama create: exit 1 and its output shown; bad names are refused before anything runs', async () => {
    const { bin } = fakeOllama(1, 'Error: unsupported architecture');
    vi.stubEnv('PATH', `${bin}:${ORIGINAL_PATH}`);
    expect(await runCli(['export', 'last', '--ollama', '--out', join(root, 'failing')])).toBe(1);
    expect(err.join('\n')).toContain('Error: unsupported architecture');
    expect(err.join('\n')).toContain('`ollama create` failed (exit 1)');
    expect(await runCli(['export', 'last', '--ollama', '--name', 'tiny bot'])).toBe(2);
    expect(await runCli(['export', 'last'])).toBe(2);
    expect(err.join('\n')).toContain('--ollama');
  });
});
