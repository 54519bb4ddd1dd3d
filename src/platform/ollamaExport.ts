// Export a trained adapter to Ollama on this machine: an export folder with a Modelfile (base + adapter, or the
// merged model), the adapter converted to GGUF when asked or when the base is a GGUF file, and `ollama create`
// when Ollama is installed. The CLI and the editor both call exportToOllama; the Modelfile itself is rendered by
// core/models/ollamaModelfile.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { accessSync, constants, createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import {
  FAMILY_NAMES,
  chatTemplateOf,
  commonSystemPrompt,
  eosTokenOf,
  ollamaCreateCommand,
  renderModelfile,
  type TemplateFamily,
} from '../core/models/ollamaModelfile';
import { parseToolOutput, toolFailure } from '../core/runs/toolOutput';
import { writeFileAtomic } from './localHost';

export type OllamaExportMode = 'adapter' | 'merged';

export interface OllamaExportRequest {
  runId: string;
  runLabel: string;
  /** The adapter folder on this machine (adapter_model.safetensors, adapter_config.json, tokenizer files). */
  adapterDir: string;
  /** The run config's base model: a .gguf file, a model folder or a Hub id. */
  baseModel: string;
  name: string;
  outDir: string;
  mode: OllamaExportMode;
  /** Convert to GGUF (the adapter, or the merged model with llama.cpp). Forced on for an adapter on a GGUF base. */
  gguf: boolean;
  /** The training data on this machine: a system prompt most examples share becomes the model's SYSTEM. */
  trainFile?: string | null;
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface OllamaExportDeps {
  /** Runs a trainer subcommand on this machine (`python -m brightrun_trainer ARGS`, with the trainer's packages). */
  trainerTool(args: string[]): Promise<ProcessResult>;
  env: NodeJS.ProcessEnv;
  /** Progress lines and the output of the tools that run (converter, ollama). */
  log(line: string): void;
}

export interface OllamaExportResult {
  outDir: string;
  modelfile: string;
  family: TemplateFamily;
  /** What the user should know: forced conversions, an unrecognised template. */
  notes: string[];
  /** Which GGUF converter ran: "llama.cpp convert_lora_to_gguf.py", "BrightRun (gguf package)", or null. */
  converter: string | null;
  command: string;
  /** Null when Ollama is not installed; else what `ollama create` did. */
  ollama: { code: number; output: string } | null;
}

/** An error whose message says what to do; `output` is a tool's output when one failed. */
export class OllamaExportError extends Error {
  constructor(
    message: string,
    readonly output = '',
  ) {
    super(message);
  }
}

/** The export folder: `ollama/` beside a run's `adapter/` folder, else `<adapter folder>-ollama` beside it. */
export function defaultExportDir(adapterDir: string): string {
  const dir = resolve(adapterDir);
  return basename(dir) === 'adapter' ? join(dirname(dir), 'ollama') : `${dir}-ollama`;
}

/** An executable named `name` in one of the PATH folders (with PATHEXT's endings on Windows), or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const endings = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ending of endings) {
      const candidate = join(dir, name + ending);
      try {
        accessSync(candidate, constants.X_OK);
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** llama.cpp's converter script: in $LLAMA_CPP_DIR, else a folder of PATH; null when not installed. */
export function findLlamaCppScript(script: 'convert_lora_to_gguf.py' | 'convert_hf_to_gguf.py', env: NodeJS.ProcessEnv): string | null {
  const dirs = [env.LLAMA_CPP_DIR, ...(env.PATH ?? '').split(delimiter)].filter((d): d is string => Boolean(d));
  return dirs.map((dir) => join(dir, script)).find((path) => existsSync(path)) ?? null;
}

/** The folder of a Hub id in the local Hugging Face cache (the snapshot `main` points at), or null. */
export function hubCacheSnapshot(modelId: string, env: NodeJS.ProcessEnv): string | null {
  if (!/^[\w.-]+\/[\w.-]+$/.test(modelId)) return null;
  const hub = env.HF_HUB_CACHE || (env.HF_HOME ? join(env.HF_HOME, 'hub') : join(homedir(), '.cache', 'huggingface', 'hub'));
  const repo = join(hub, `models--${modelId.replace('/', '--')}`);
  const snapshots = join(repo, 'snapshots');
  try {
    const main = readFileSync(join(repo, 'refs', 'main'), 'utf8').trim();
    if (existsSync(join(snapshots, main, 'config.json'))) return join(snapshots, main);
  } catch {
    // no refs/main: any complete snapshot
  }
  try {
    const found = readdirSync(snapshots).find((s) => existsSync(join(snapshots, s, 'config.json')));
    return found ? join(snapshots, found) : null;
  } catch {
    return null;
  }
}

export interface LocalBase {
  kind: 'gguf' | 'folder';
  path: string;
}

function localBaseAt(candidate: string, env: NodeJS.ProcessEnv): LocalBase | null {
  if (isAbsolute(candidate) && /\.gguf$/i.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return { kind: 'gguf', path: candidate };
  if (isAbsolute(candidate) && existsSync(join(candidate, 'config.json'))) return { kind: 'folder', path: candidate };
  const snapshot = hubCacheSnapshot(candidate, env);
  return snapshot ? { kind: 'folder', path: snapshot } : null;
}

/**
 * Where the base model is on this machine: its .gguf file, its folder, or its Hugging Face cache snapshot. The
 * run config may name it relative to its own folder, so the path the trainer loaded (the run's config.json beside
 * the adapter folder) is tried first, then the config's value, then the adapter's own record of its base.
 */
export function resolveLocalBase(baseModel: string, adapterDir: string, env: NodeJS.ProcessEnv): LocalBase {
  const trainerBase = readJson(join(dirname(resolve(adapterDir)), 'config.json')).base_model;
  const adapterBase = readJson(join(adapterDir, 'adapter_config.json')).base_model_name_or_path;
  for (const candidate of [trainerBase, baseModel, adapterBase]) {
    const found = typeof candidate === 'string' && candidate ? localBaseAt(candidate, env) : null;
    if (found) return found;
  }
  throw new OllamaExportError(
    `The base model ${baseModel} is not on this machine (no .gguf file, model folder or Hugging Face cache download), and Ollama needs it. ` +
      `Download it first (e.g. \`hf download ${baseModel}\`), or export the merged model (--merged) where the base model is.`,
  );
}

function readJson(path: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The chat template and eos token: the adapter's tokenizer files first (saved with it), then the base's. */
export function readTokenizerFacts(dirs: readonly string[]): { chatTemplate: string | null; eosToken: string | null } {
  let chatTemplate: string | null = null;
  let eosToken: string | null = null;
  for (const dir of dirs) {
    const config = readJson(join(dir, 'tokenizer_config.json'));
    const jinja = join(dir, 'chat_template.jinja');
    chatTemplate ??= existsSync(jinja) ? readFileSync(jinja, 'utf8') : chatTemplateOf(config);
    eosToken ??= eosTokenOf(config);
  }
  return { chatTemplate, eosToken };
}

function adapterBaseFolder(adapterDir: string): string | null {
  const base = readJson(join(adapterDir, 'adapter_config.json')).base_model_name_or_path;
  return typeof base === 'string' && existsSync(join(base, 'config.json')) ? base : null;
}

async function trainerTool(deps: OllamaExportDeps, args: string[], what: string): Promise<Record<string, unknown>> {
  const result = await deps.trainerTool(args);
  const output = parseToolOutput(result.stdout);
  if (result.code !== 0) throw new OllamaExportError(`${what} failed: ${toolFailure(output, result.stderr)}`, result.stderr);
  return output.objects.at(-1) ?? {};
}

async function llamaCpp(deps: OllamaExportDeps, script: string, args: string[]): Promise<void> {
  deps.log(`Converting with ${script}`);
  // With the trainer's Python: it has what llama.cpp's converters import (torch, numpy, gguf, transformers).
  const result = await deps.trainerTool(['llama-cpp', script, ...args]);
  const output = `${result.stdout}${result.stderr}`.trim();
  if (output) deps.log(output);
  if (result.code !== 0) throw new OllamaExportError(`llama.cpp's ${script} failed (exit ${result.code}).`, output);
}

/** The GGUF LoRA adapter, by llama.cpp's converter when installed, else by the trainer's own (gguf package). */
async function convertAdapter(request: OllamaExportRequest, base: LocalBase, deps: OllamaExportDeps): Promise<{ path: string; converter: string }> {
  const out = join(request.outDir, 'adapter.gguf');
  const script = findLlamaCppScript('convert_lora_to_gguf.py', deps.env);
  // llama.cpp reads the base model's config from a Hugging Face folder; a GGUF base has one in the trainer's cache.
  const baseFolder = base.kind === 'folder' ? base.path : adapterBaseFolder(request.adapterDir);
  if (script && baseFolder) {
    await llamaCpp(deps, script, [request.adapterDir, '--base', baseFolder, '--outfile', out, '--outtype', 'f16']);
    return { path: out, converter: `llama.cpp ${script}` };
  }
  deps.log('Converting the adapter to GGUF with the gguf package (llama.cpp not found: set LLAMA_CPP_DIR to use its converter)');
  const written = await trainerTool(deps, ['export-gguf', '--adapter', request.adapterDir, '--out', out, '--base', base.path], 'The GGUF conversion');
  deps.log(
    `GGUF adapter: ${String(written.tensors ?? '?')} tensors, ${String(written.architecture ?? '?')} architecture, alpha ${String(written.alpha ?? '?')}`,
  );
  return { path: out, converter: 'BrightRun (gguf package)' };
}

async function mergeModel(request: OllamaExportRequest, deps: OllamaExportDeps): Promise<{ from: string; converter: string | null }> {
  // Checked before merging: a merge takes minutes and a model's size on disk, wasted if the conversion cannot run.
  const script = request.gguf ? findLlamaCppScript('convert_hf_to_gguf.py', deps.env) : null;
  if (request.gguf && !script) {
    throw new OllamaExportError(
      "Converting a whole merged model to GGUF needs llama.cpp's convert_hf_to_gguf.py: install llama.cpp and set LLAMA_CPP_DIR to its folder, " +
        'or export the merged model without GGUF (Ollama imports the safetensors folder itself).',
    );
  }
  const merged = join(request.outDir, 'merged');
  deps.log(`Merging the adapter into the base model: ${merged}`);
  await trainerTool(deps, ['merge', '--adapter', request.adapterDir, '--out', merged], 'Merging the adapter');
  if (!script) return { from: merged, converter: null };
  const out = join(request.outDir, 'model.gguf');
  await llamaCpp(deps, script, [merged, '--outfile', out, '--outtype', 'f16']);
  return { from: out, converter: `llama.cpp ${script}` };
}

/** Examples read to find a common system prompt: enough to tell, and an export of a huge dataset stays quick. */
const SYSTEM_SAMPLE_LINES = 2000;

/** The system prompt most of the first examples of the training file share; null without one or a readable file. */
async function trainingSystemPrompt(trainFile: string | null | undefined): Promise<string | null> {
  if (!trainFile || !existsSync(trainFile)) return null;
  const lines: string[] = [];
  const stream = createReadStream(trainFile, { encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      lines.push(line);
      if (lines.length >= SYSTEM_SAMPLE_LINES) break;
    }
  } catch {
    return null;
  } finally {
    reader.close();
    stream.destroy();
  }
  return commonSystemPrompt(lines);
}

/** Runs `argv`, passing each line of its output on as it comes; resolves with the exit code and all output. */
function runStreaming(argv: string[], cwd: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => reject(new OllamaExportError(`Cannot start ${argv[0]}: ${error.message}`)));
    child.on('close', (code) => {
      if (partial.trim()) onLine(partial);
      resolvePromise({ code: code ?? 1, output });
    });
  });
}

export async function exportToOllama(request: OllamaExportRequest, deps: OllamaExportDeps): Promise<OllamaExportResult> {
  if (!existsSync(join(request.adapterDir, 'adapter_config.json'))) {
    throw new OllamaExportError(`${request.adapterDir} is not an adapter folder (no adapter_config.json).`);
  }
  const notes: string[] = [];
  const base = resolveLocalBase(request.baseModel, request.adapterDir, deps.env);
  mkdirSync(request.outDir, { recursive: true });

  let from: string;
  let adapter: string | null = null;
  let converter: string | null = null;
  if (request.mode === 'merged') {
    ({ from, converter } = await mergeModel(request, deps));
  } else {
    from = base.path;
    const gguf = request.gguf || base.kind === 'gguf';
    if (gguf && !request.gguf) notes.push('The base model is a GGUF file, so the adapter was converted to GGUF too (Ollama needs both in the same form).');
    if (gguf) ({ path: adapter, converter } = await convertAdapter(request, base, deps));
    else adapter = request.adapterDir;
  }

  const tokenizerDirs = [
    request.adapterDir,
    ...(base.kind === 'folder' ? [base.path] : []),
    ...[adapterBaseFolder(request.adapterDir)].filter((d): d is string => d !== null),
  ];
  const rendered = renderModelfile({
    comment: `Ollama Modelfile for the adapter of BrightRun run ${request.runLabel} (${request.runId}), base model ${request.baseModel}.\nCreate the model with: ollama create ${request.name} -f Modelfile`,
    from,
    adapter,
    ...readTokenizerFacts(tokenizerDirs),
    system: await trainingSystemPrompt(request.trainFile),
  });
  notes.push(...rendered.notes);
  const modelfile = join(request.outDir, 'Modelfile');
  await writeFileAtomic(modelfile, rendered.text);
  deps.log(`Modelfile written: ${modelfile} (${FAMILY_NAMES[rendered.family]} template, stop ${rendered.stops.join(' ')})`);

  const command = ollamaCreateCommand(request.name, modelfile);
  const ollama = findOnPath('ollama', deps.env);
  if (!ollama) return { outDir: request.outDir, modelfile, family: rendered.family, notes, converter, command, ollama: null };
  deps.log(`Running: ${command}`);
  const created = await runStreaming([ollama, 'create', request.name, '-f', modelfile], dirname(modelfile), deps.env, deps.log);
  return { outDir: request.outDir, modelfile, family: rendered.family, notes, converter, command, ollama: created };
}
