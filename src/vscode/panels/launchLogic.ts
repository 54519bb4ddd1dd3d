// The launch form's host-side rules, pure so they are unit-tested: default values, dataset paths as the config
// writes them, the estimate for a config being edited, the config file's name and the models offered for baseModel.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { estimateRun, type ThroughputSample } from '../../core/config/estimate';
import { localPaths, resolveConfig } from '../../core/config/resolveConfig';
import { hostGpuPrice } from '../../core/config/throughputTable';
import { validateRunConfig, type ConfigProblem } from '../../contracts/validateRunConfig';
import { methodFormatProblem } from '../../contracts/preference';
import type { DatasetStats } from '../../contracts/dataset';
import { baseModelProblem, isLocalModelPath } from '../../contracts/baseModelName';
import { ModelSuggestion, type DatasetEntry, type Estimate } from '../../shared/launchProtocol';

/** A dataset path as a config in `baseDir` writes it: relative with "/" separators, absolute outside it. */
export function configRelativePath(baseDir: string, absolutePath: string): string {
  const rel = relative(baseDir, absolutePath);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return absolutePath;
  return rel.split(sep).join('/');
}

export function datasetEntries(
  files: readonly { path: string; stats?: DatasetStats; unavailable?: string }[],
  baseDir: string,
  workspaceRoot: string,
): DatasetEntry[] {
  return files.map((file) => ({
    path: configRelativePath(baseDir, file.path),
    label: configRelativePath(workspaceRoot, file.path),
    stats: file.stats ?? null,
    ...(!file.stats && file.unavailable ? { unavailable: file.unavailable } : {}),
  }));
}

/** What a new run starts from: the balanced preset on the local host, training on the picked dataset. */
export function defaultRunConfig(trainPath?: string, validationPath?: string): Record<string, unknown> {
  return {
    name: '',
    datasets: { ...(trainPath ? { train: trainPath } : {}), ...(validationPath ? { validation: validationPath } : {}) },
    baseModel: '',
    preset: 'balanced',
    host: 'local',
    gpus: 1,
    maxSeqLen: 2048,
  };
}

/** A validation file next to the training file by the usual naming (train -> val/valid/validation/eval). */
export function guessValidationFile(trainPath: string, candidates: readonly string[]): string | undefined {
  const match = trainPath.match(/^(.*?)(train(?:ing)?)(.*)$/i);
  if (!match) return undefined;
  for (const word of ['val', 'valid', 'validation', 'eval', 'test', 'dev']) {
    const guess = `${match[1]}${word}${match[3]}`;
    if (candidates.includes(guess)) return guess;
  }
  return undefined;
}

/** "My Run: v2!" -> "my-run-v2.brightrun.json". */
export function configFileName(name: unknown): string {
  const slug = String(name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'training-run'}.brightrun.json`;
}

/** `path`, or the first of "name-2.brightrun.json", "name-3..." that does not exist. */
export function unusedPath(path: string, exists: (path: string) => boolean): string {
  if (!exists(path)) return path;
  const stem = path.replace(/\.brightrun\.json$/, '');
  for (let n = 2; ; n++) {
    const next = `${stem}-${n}.brightrun.json`;
    if (!exists(next)) return next;
  }
}

export interface EstimateContext {
  /** Folder the config's relative paths start from. */
  baseDir: string;
  statsFor(absolutePath: string): DatasetStats | undefined;
  gpu?: string;
  hostPricePerGpuHour?: number | null;
  history: readonly ThroughputSample[];
}

export type EstimateAnswer = { estimate: Estimate; error?: undefined } | { estimate: null; error: string; problems?: ConfigProblem[] };

export function estimateForConfig(raw: unknown, context: EstimateContext): EstimateAnswer {
  const checked = validateRunConfig(raw);
  if (!checked.ok) {
    return {
      estimate: null,
      error: `Fix the form first: ${checked.problems.map((p) => `${p.path.replace(/^\$\.?/, '') || 'config'}: ${p.message}`).join('; ')}`,
      problems: checked.problems,
    };
  }
  const config = checked.config;
  const paths = localPaths(config, resolve(context.baseDir, 'x.brightrun.json'));
  const stats = context.statsFor(paths.train);
  if (!stats) return { estimate: null, error: `No statistics for ${config.datasets.train} yet: it is being validated (or is not a workspace dataset).` };
  if (stats.examples === 0) return { estimate: null, error: `${config.datasets.train} has no valid examples to train on.` };
  const mismatch = methodFormatProblem(config.method, stats.format);
  if (mismatch) return { estimate: null, error: `${config.datasets.train}: ${mismatch}.` };
  const trainer = resolveConfig(config, { runId: 'estimate', trainPathOnHost: paths.train, validationPathOnHost: paths.validation });
  // Remote hosts without a price use the table's default for the GPU their preflight found (as their runs do);
  // the local machine is the user's own, so it has a cost only when a price is set.
  const price = hostGpuPrice(config.pricePerGpuHour ?? context.hostPricePerGpuHour, config.host === 'local' ? null : context.gpu);
  const result = estimateRun({
    stats,
    config: trainer,
    host: config.host,
    gpu: context.gpu,
    pricePerGpuHour: price?.usdPerHour,
    priceFromGpu: price?.fromGpu,
    history: context.history,
  });
  return { estimate: { steps: result.steps, duration_s: result.durationS, cost_usd: result.costUsd, basis: result.basis } };
}

/** The folder a config file's relative paths start from. */
export function configBaseDir(configPath: string | null, workspaceRoot: string): string {
  return configPath ? dirname(configPath) : workspaceRoot;
}

/** Re-anchors the config's relative paths when it is saved to another folder than the one they were written for. */
export function rebaseConfigPaths(config: Record<string, unknown>, fromDir: string, toDir: string): Record<string, unknown> {
  if (resolve(fromDir) === resolve(toDir)) return config;
  // Relative stays relative (a config and its data move together in git), even when it climbs with "..".
  const rebase = (value: string) => relative(toDir, resolve(fromDir, value)).split(sep).join('/');
  const move = (value: unknown) => (typeof value === 'string' && value && !isAbsolute(value) && !value.startsWith('~') ? rebase(value) : value);
  const next: Record<string, unknown> = { ...config };
  const datasets = config.datasets;
  if (datasets && typeof datasets === 'object' && !Array.isArray(datasets)) {
    const d = datasets as Record<string, unknown>;
    next.datasets = {
      ...d,
      ...(d.train !== undefined ? { train: move(d.train) } : {}),
      ...(d.validation !== undefined ? { validation: move(d.validation) } : {}),
    };
  }
  // A relative folder (./x, ../x) or .gguf file ("models/x.gguf"); absolute, ~/ and drive paths stay as they are.
  if (
    typeof config.baseModel === 'string' &&
    isLocalModelPath(config.baseModel) &&
    !isAbsolute(config.baseModel) &&
    !/^(~|[A-Za-z]:)?[\\/]/.test(config.baseModel)
  ) {
    const moved = rebase(config.baseModel);
    next.baseModel = moved.startsWith('.') ? moved : `./${moved}`;
  }
  return next;
}

/** The file text: empty optional strings dropped, two-space JSON, trailing newline. */
export function configFileText(config: Record<string, unknown>): string {
  const clean: Record<string, unknown> = { ...config };
  if (clean.name === '') delete clean.name;
  return JSON.stringify(clean, null, 2) + '\n';
}

/** Where a save from the form may write: the panel's own config file, whatever path the webview names. A form
 *  without a file yet gets null (the user picks one in a save dialog). */
export function ownSavePath(requested: string | null, own: string | null): { ok: true; path: string | null } | { ok: false; error: string } {
  if (requested === null || (own !== null && resolve(requested) === resolve(own))) return { ok: true, path: own };
  return { ok: false, error: `Not saved: the form asked to write ${requested}, which is not its config file (${own ?? 'none yet'}).` };
}

/** The config file a restored form edits, from the state its webview saved: only an absolute path to an existing
 *  *.brightrun.json file, else none (the form then asks where to save). */
export function restorableConfigPath(value: unknown, isFile: (path: string) => boolean): string | null {
  if (typeof value !== 'string' || !isAbsolute(value) || !value.endsWith('.brightrun.json') || value.includes('\0')) return null;
  return isFile(value) ? resolve(value) : null;
}

/** The suggestions for baseModel from a run of `list-models`: entries that do not fit (or whose baseModel the run
 *  config would refuse) are left out, duplicates once; a failed run or output that is not a JSON list gives none,
 *  and says why (for the log). */
export function modelSuggestionsFromOutput(run: { code: number; stdout: string; stderr: string }): { models: ModelSuggestion[]; problem?: string } {
  if (run.code !== 0) return { models: [], problem: `list-models exited with ${run.code}: ${run.stderr.trim().slice(-300) || 'no message'}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    return { models: [], problem: `list-models printed no JSON (${JSON.stringify(run.stdout.trim().slice(0, 120))})` };
  }
  if (!Array.isArray(parsed)) return { models: [], problem: 'list-models printed JSON that is not a list' };
  const models: ModelSuggestion[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const item of parsed) {
    const entry = ModelSuggestion.safeParse(item);
    if (!entry.success || baseModelProblem(entry.data.baseModel) !== null) skipped++;
    else if (!seen.has(entry.data.baseModel)) {
      seen.add(entry.data.baseModel);
      models.push(entry.data);
    }
  }
  return skipped > 0 ? { models, problem: `list-models: ${skipped} ${skipped === 1 ? 'entry' : 'entries'} left out (not a usable model entry)` } : { models };
}
