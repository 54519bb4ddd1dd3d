// Save as Template: a finished run's whole settings as a run config (the preset with every hyper-parameter as the
// trainer got it, so the template trains the same even if a preset changes), with the datasets as variables to fill
// and a `template` block. Nothing in it belongs to the machine that ran it: no absolute path (a model folder
// outside the project becomes a variable too) and nothing secret (a run config holds none).
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isLocalModelPath } from '../../contracts/baseModelName';
import type { TrainerConfig } from '../../contracts/trainerConfig';
import type { RecoverySettings } from '../../contracts/recovery';
import type { TemplateBlock, TemplateVariable } from '../../contracts/runTemplate';
import { PRESET_NAMES } from '../../contracts/presets';
import { TrainerEvaluation } from '../../contracts/qualityGates';
import type { TrackingSettings, TrainerTracking } from '../../contracts/tracking';

/** What the run's record says about the run besides its trainer config. */
export interface RunForTemplate {
  id: string;
  name: string | null;
  /** The run config's project label (spend is broken down by it). */
  project?: string | null;
  preset: string | null;
  /** baseModel as the run config wrote it (relative to that file, a Hub id, or an absolute path). */
  baseModel: string;
  host: string;
  pricePerGpuHour: number | null;
  budgetUsd: number | null;
  recovery?: RecoverySettings;
  /** The run's config.json: what the trainer was given. */
  trainer: TrainerConfig;
  /** Its last eval loss, for the default description. */
  evalLoss?: number | null;
}

export interface TemplatePlace {
  /** Folder of the run config the run was launched from (its relative paths start there); null when unknown. */
  configDir: string | null;
  /** Folder the template is written to (its relative paths start there). */
  templateDir: string;
  /** The project: a model folder inside it stays a path (relative to the template), one outside is a variable. */
  projectDir: string;
}

export interface TemplateText {
  name: string;
  description?: string;
}

function insideDir(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function relativePath(fromDir: string, path: string): string {
  const rel = relative(fromDir, path).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** baseModel for the template: a Hub id and ~/ paths as they are, a folder or .gguf inside the project relative
 *  to the template, anything else a variable (null). */
function portableBaseModel(baseModel: string, place: TemplatePlace): string | null {
  if (!isLocalModelPath(baseModel) || baseModel.startsWith('~/')) return baseModel;
  if (!isAbsolute(baseModel) && place.configDir === null) return null;
  const absolute = isAbsolute(baseModel) ? baseModel : resolve(place.configDir as string, baseModel);
  return insideDir(place.projectDir, absolute) ? relativePath(place.templateDir, absolute) : null;
}

function lastName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** The run config's `tracking` back from the trainer's. An MLflow store that is a folder of the machine that ran it
 *  (file:) becomes a variable, as a model folder does. */
function trackingOf(tracking: TrainerTracking, variables: Record<string, TemplateVariable>): TrackingSettings {
  const mlflow = tracking.mlflow;
  let trackingUri = mlflow?.tracking_uri;
  if (mlflow && /^file:/i.test(mlflow.tracking_uri)) {
    variables.mlflowTrackingUri = {
      description: 'The MLflow tracking server or store, e.g. "http://127.0.0.1:5000" (the run logged to a folder of its machine).',
    };
    trackingUri = '${mlflowTrackingUri}';
  }
  return {
    ...(tracking.tensorboard ? { tensorboard: true } : {}),
    ...(mlflow && trackingUri ? { mlflow: { trackingUri, experiment: mlflow.experiment } } : {}),
    ...(tracking.wandb ? { wandb: { project: tracking.wandb.project, ...(tracking.wandb.entity ? { entity: tracking.wandb.entity } : {}) } } : {}),
  };
}

/** The template's text as it is written to NAME.brightrun.json: the block first, then the run config. */
export function templateFromRun(run: RunForTemplate, place: TemplatePlace, text: TemplateText): Record<string, unknown> {
  const t = run.trainer;
  const variables: Record<string, TemplateVariable> = {
    train: { description: 'Training data: a JSONL file.' },
  };
  const datasets: Record<string, string> = { train: '${train}' };
  if (t.validation_file !== null) {
    variables.validation = { description: 'Validation data: a JSONL file.' };
    datasets.validation = '${validation}';
  }
  let baseModel = portableBaseModel(run.baseModel, place);
  if (baseModel === null) {
    variables.baseModel = {
      description: `The base model: a Hugging Face id, a model folder or a .gguf file (the run used a folder named "${lastName(run.baseModel)}" on its machine).`,
    };
    baseModel = '${baseModel}';
  }
  const loss = typeof run.evalLoss === 'number' && Number.isFinite(run.evalLoss) ? `, final eval loss ${run.evalLoss.toFixed(3)}` : '';
  const block: TemplateBlock = {
    name: text.name,
    description: text.description || `The settings of run "${run.name ?? run.id}"${loss}.`,
    fromRun: run.id,
    variables,
  };
  const tracking = t.tracking ? trackingOf(t.tracking, variables) : undefined;
  const evaluation = TrainerEvaluation.parse(t.evaluation ?? {});
  const preset = PRESET_NAMES.find((name) => name === run.preset) ?? 'balanced';
  return {
    template: block,
    ...(run.name ? { name: run.name } : {}),
    ...(run.project ? { project: run.project } : {}),
    datasets,
    baseModel,
    method: t.method ?? 'sft',
    ...(t.preference ? { preference: t.preference } : {}),
    preset,
    hyperparameters: {
      loraR: t.lora.r,
      loraAlpha: t.lora.alpha,
      loraDropout: t.lora.dropout,
      ...(t.lora.target_modules ? { targetModules: t.lora.target_modules } : {}),
      learningRate: t.learning_rate,
      epochs: t.epochs,
      ...(t.max_steps !== null ? { maxSteps: t.max_steps } : {}),
      batchSize: t.batch_size,
      gradAccum: t.grad_accum,
      lrScheduler: t.lr_scheduler,
      warmupRatio: t.warmup_ratio,
      weightDecay: t.weight_decay,
      maxGradNorm: t.max_grad_norm,
    },
    packing: t.packing,
    maxSeqLen: t.max_seq_len,
    overlength: t.overlength,
    ...(t.validation_file === null ? { validationSplit: t.validation_split } : {}),
    checkpointEvery: t.save_every,
    keepCheckpoints: t.keep_checkpoints,
    evalEvery: t.eval_every,
    logEvery: t.log_every,
    precision: t.precision,
    quantization: t.quantization,
    gradientCheckpointing: t.gradient_checkpointing,
    host: run.host,
    gpus: t.num_gpus,
    ...(t.slurm ? { slurm: { nodes: t.slurm.nodes, gpusPerNode: t.slurm.gpus_per_node } } : {}),
    ...(run.pricePerGpuHour !== null ? { pricePerGpuHour: run.pricePerGpuHour } : {}),
    ...(run.budgetUsd !== null ? { budgetUsd: run.budgetUsd } : {}),
    seed: t.seed,
    evaluate: evaluation.enabled,
    gates: evaluation.gates,
    ...(tracking ? { tracking } : {}),
    ...(run.recovery ? { recovery: run.recovery } : {}),
  };
}

/** "Tickets v2 (final)" -> "tickets-v2-final": the template's file name, NAME.brightrun.json. */
export function templateFileStem(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'run-template';
}
