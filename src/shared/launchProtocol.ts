// The launch form's messages, both directions. Handshake: the webview posts `ready`; the host answers with
// `init` (initial values, workspace datasets with their statistics, hosts), then `models` once the models
// already on this machine are listed. Anything the form asks for
// (estimate, preflight, dataset statistics, save, launch, a model folder) is a request with a `requestId`
// answered by the matching `*Result` with the same id; the form ignores answers to requests it has superseded.
// Presets and their explanations are not sent: both sides import src/contracts/presets.ts.
import * as z from 'zod';
import { DATASET_FORMATS } from '../contracts/trainerConfig';
import type { DatasetStats } from '../contracts/dataset';
import { parseMessage, type ParseResult } from './parseMessage';
import { lazySchema } from '../contracts/lazySchema';

const finite = lazySchema(() => z.number().finite());

const TokenPercentilesSchema = lazySchema(() => z.object({ p50: finite, p95: finite, max: finite }));

/** Mirrors DatasetStats (src/contracts/dataset.ts); the assertions below keep the two in step. */
export const DatasetStatsSchema = lazySchema(() =>
  z.object({
    format: z.enum([...DATASET_FORMATS, 'unknown']),
    examples: z.number().int().min(0),
    messages: z.number().int().min(0),
    tokens: z.object({ total: finite, assistant: finite, p50: finite, p95: finite, max: finite }),
    tokensApproximate: z.boolean(),
    tokenizer: z.string(),
    maxSeqLen: z.number().int(),
    examplesOverMaxSeqLen: z.number().int().min(0),
    paddingWaste: finite.min(0).max(1),
    errors: z.number().int().min(0),
    warnings: z.number().int().min(0),
    infos: z.number().int().min(0),
    preference: z
      .object({
        pairs: z.number().int().min(0),
        promptTokens: TokenPercentilesSchema,
        chosenTokens: TokenPercentilesSchema,
        rejectedTokens: TokenPercentilesSchema,
        chosenLongerShare: finite.min(0).max(1),
      })
      .optional(),
  }),
);
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const statsInSync: Same<z.infer<typeof DatasetStatsSchema>, DatasetStats> = true;
void statsInSync;

export const DatasetEntry = lazySchema(() =>
  z.object({
    /** As written into the config: relative to the config file's folder (or absolute outside the workspace). */
    path: z.string().min(1),
    /** Shown in the picker, e.g. "data/train.jsonl". */
    label: z.string(),
    /** null while the validator has not finished this file, or when it gave up on it (see `unavailable`). */
    stats: DatasetStatsSchema.nullable(),
    /** Why there are no statistics when the validator gave up (too slow to summarise, unreadable); shown instead. */
    unavailable: z.string().optional(),
  }),
);

export const PreflightCheck = lazySchema(() =>
  z.object({
    name: z.string(),
    status: z.enum(['ok', 'warning', 'error']),
    detail: z.string(),
  }),
);

export const PreflightView = lazySchema(() =>
  z.object({
    ok: z.boolean(),
    /** One line: "2 x A100 80GB, CUDA 12.4, 412 GB free" or what is wrong. */
    summary: z.string(),
    checks: z.array(PreflightCheck),
    gpus: z.array(z.object({ name: z.string(), memoryGb: finite.min(0) })),
    checkedAt: z.string(),
  }),
);

export const HostEntry = lazySchema(() =>
  z.object({
    name: z.string().min(1),
    kind: z.enum(['local', 'ssh', 'slurm']),
    /** "user@box:22", "~/.ssh/config alias", "this machine". */
    detail: z.string(),
    /** Default USD per GPU-hour (settings, or from the detected GPU); null when unknown. */
    pricePerGpuHour: finite.min(0).nullable(),
    /** The last preflight, if one ran; the form can ask for a fresh one. */
    preflight: PreflightView.nullable(),
  }),
);

export const Estimate = lazySchema(() =>
  z.object({
    steps: z.number().int().min(0),
    duration_s: finite.min(0),
    /** null without a price per GPU-hour. */
    cost_usd: finite.min(0).nullable(),
    /** How it was computed, e.g. "1,200 examples x 2 epochs / batch 16; 850 tokens/s measured on this host". */
    basis: z.string(),
  }),
);

/** A problem the host found in the submitted config, at its JSON path ("$.hyperparameters.learningRate"). */
export const ConfigProblemSchema = lazySchema(() => z.object({ path: z.string(), message: z.string() }));

/** A config as the user wrote it (maybe incomplete or invalid): the form shows what is wrong at each field. */
const configObject = () => z.record(z.string(), z.unknown());

/** A model already on a host, offered for baseModel (the trainer's `list-models`). */
export const ModelSuggestion = lazySchema(() =>
  z.object({
    /** Shown in the list: the folder's name or the Hub id. */
    name: z.string().min(1),
    /** What the config gets: a folder path, or a Hub id found in the Hugging Face cache. */
    baseModel: z.string().min(1),
    /** Where it was found: "project" (.cache/models), "brightrun" ($BRIGHTRUN_HOME/models, converted .gguf), "hf-cache". */
    source: z.string(),
    /** config.json's model_type ("llama", "qwen2"), when readable. */
    modelType: z.string().nullable(),
  }),
);

/** A run template of the workspace (a *.brightrun.json with a `template` block), offered beside the presets. */
export const TemplateEntry = lazySchema(() =>
  z.object({
    /** The template file (absolute). */
    path: z.string().min(1),
    /** Shown under its name, e.g. "configs/tickets.brightrun.json". */
    label: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    /** Its variables in the order it declares them; the form asks for those without a default. */
    variables: z.array(z.object({ name: z.string(), description: z.string().nullable(), default: z.string().nullable() })),
    /** What the form starts from: the template's settings with defaults filled in and paths relative to the form's
     *  folder; the settings holding a variable without a default are left out. */
    config: configObject(),
    /** The settings left out for the user to fill ("datasets.train"). */
    unfilled: z.array(z.string()),
    /** Why the template cannot be used (it is not a valid template); then it is listed but not offered. */
    problem: z.string().optional(),
  }),
);

// ---- host -> webview

export const LaunchInit = lazySchema(() =>
  z.object({
    type: z.literal('init'),
    /** The *.brightrun.json being edited, or null for a new run (the host asks where to save it). */
    configPath: z.string().nullable(),
    config: configObject(),
    datasets: z.array(DatasetEntry),
    hosts: z.array(HostEntry),
    /** The template the form was opened from (its path): its settings are the config; absent for any other form. */
    fromTemplate: z.string().optional(),
  }),
);
/** The workspace's run templates, sent once after `init` (finding them reads files). Replaces the whole list. */
export const LaunchTemplates = lazySchema(() => z.object({ type: z.literal('templates'), templates: z.array(TemplateEntry) }));
/** The workspace's datasets changed (a file added, statistics computed). Replaces the whole list. */
export const LaunchDatasets = lazySchema(() => z.object({ type: z.literal('datasets'), datasets: z.array(DatasetEntry) }));
export const LaunchHosts = lazySchema(() => z.object({ type: z.literal('hosts'), hosts: z.array(HostEntry) }));
/** The models already on `host`, sent once after `init` (listing runs Python, so the form never waits for it).
 *  Only this machine's are listed; the form offers them while `host` is the chosen host. */
export const LaunchModels = lazySchema(() => z.object({ type: z.literal('models'), host: z.string(), models: z.array(ModelSuggestion) }));

const Answer = lazySchema(() => z.object({ requestId: z.string() }));
const failure = lazySchema(() => z.object({ ...Answer.shape, ok: z.literal(false), error: z.string() }));

export const EstimateResult = lazySchema(() =>
  z.object({
    type: z.literal('estimateResult'),
    ...Answer.shape,
    estimate: Estimate.nullable(),
    /** Why there is no estimate (e.g. the training file has errors). */
    error: z.string().optional(),
  }),
);
export const PreflightResult = lazySchema(() =>
  z.object({
    type: z.literal('preflightResult'),
    ...Answer.shape,
    host: z.string(),
    preflight: PreflightView.nullable(),
    error: z.string().optional(),
  }),
);
export const StatsResult = lazySchema(() =>
  z.object({
    type: z.literal('statsResult'),
    ...Answer.shape,
    path: z.string(),
    stats: DatasetStatsSchema.nullable(),
    error: z.string().optional(),
  }),
);
export const SaveResult = lazySchema(() =>
  z.discriminatedUnion('ok', [
    z.object({ type: z.literal('saveResult'), ...Answer.shape, ok: z.literal(true), configPath: z.string() }),
    failure.extend({ type: z.literal('saveResult'), problems: z.array(ConfigProblemSchema).default([]) }),
  ]),
);
export const LaunchResult = lazySchema(() =>
  z.discriminatedUnion('ok', [
    z.object({ type: z.literal('launchResult'), ...Answer.shape, ok: z.literal(true), runId: z.string(), configPath: z.string() }),
    failure.extend({ type: z.literal('launchResult'), problems: z.array(ConfigProblemSchema).default([]) }),
  ]),
);
export const BrowseResult = lazySchema(() =>
  z.object({
    type: z.literal('browseResult'),
    ...Answer.shape,
    /** null when the user cancelled the dialog. */
    path: z.string().nullable(),
  }),
);

export const LaunchHostMessage = lazySchema(() =>
  z.union([
    LaunchInit,
    LaunchDatasets,
    LaunchHosts,
    LaunchModels,
    LaunchTemplates,
    EstimateResult,
    PreflightResult,
    StatsResult,
    SaveResult,
    LaunchResult,
    BrowseResult,
  ]),
);

// ---- webview -> host

export const LaunchReady = lazySchema(() => z.object({ type: z.literal('ready') }));
export const EstimateRequest = lazySchema(() => z.object({ type: z.literal('estimate'), ...Answer.shape, config: configObject() }));
export const PreflightRequest = lazySchema(() => z.object({ type: z.literal('preflight'), ...Answer.shape, host: z.string().min(1) }));
export const StatsRequest = lazySchema(() => z.object({ type: z.literal('stats'), ...Answer.shape, path: z.string().min(1) }));
/** Write the config file (configPath null: the host asks where). */
export const SaveRequest = lazySchema(() => z.object({ type: z.literal('save'), ...Answer.shape, configPath: z.string().nullable(), config: configObject() }));
/** Write the config file, then start the run and open its monitor. */
export const LaunchRequest = lazySchema(() =>
  z.object({ type: z.literal('launch'), ...Answer.shape, configPath: z.string().nullable(), config: configObject() }),
);
/** Pick a local model folder for baseModel. */
export const BrowseModelRequest = lazySchema(() => z.object({ type: z.literal('browseModel'), ...Answer.shape }));

export const LaunchWebviewMessage = lazySchema(() =>
  z.discriminatedUnion('type', [LaunchReady, EstimateRequest, PreflightRequest, StatsRequest, SaveRequest, LaunchRequest, BrowseModelRequest]),
);

export type DatasetEntry = z.infer<typeof DatasetEntry>;
export type HostEntry = z.infer<typeof HostEntry>;
export type ModelSuggestion = z.infer<typeof ModelSuggestion>;
export type TemplateEntry = z.infer<typeof TemplateEntry>;
export type PreflightView = z.infer<typeof PreflightView>;
export type PreflightCheck = z.infer<typeof PreflightCheck>;
export type Estimate = z.infer<typeof Estimate>;
export type LaunchHostMessage = z.infer<typeof LaunchHostMessage>;
export type LaunchWebviewMessage = z.infer<typeof LaunchWebviewMessage>;
export type LaunchInit = z.infer<typeof LaunchInit>;

/** What the launch form persists with setState: the values being edited, so a reload loses no typing. */
export interface LaunchPersistedState {
  configPath: string | null;
  config: Record<string, unknown>;
  /** The template the values came from, if any. */
  fromTemplate?: string;
}

export function parseLaunchHostMessage(data: unknown): ParseResult<LaunchHostMessage> {
  return parseMessage(LaunchHostMessage, data, 'host->launch form');
}

export function parseLaunchWebviewMessage(data: unknown): ParseResult<LaunchWebviewMessage> {
  return parseMessage(LaunchWebviewMessage, data, 'launch form->host');
}
