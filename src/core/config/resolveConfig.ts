// Turns a user's run config into the trainer's contract (TrainerConfig): preset expanded, overrides applied,
// paths pointing at files on the host that trains.
import { dirname, isAbsolute, resolve } from 'node:path';
import { TrainerConfig } from '../../contracts/trainerConfig';
import { TrainerEvaluation } from '../../contracts/qualityGates';
import { applyPreset, type Hyperparameters } from '../../contracts/presets';
import type { RunConfigFile } from '../../contracts/runConfigFile';
import { isLocalModelPath } from '../../contracts/baseModelName';
import { isPreferenceMethod, PreferenceSettings } from '../../contracts/preference';
import { resolveTracking } from '../../contracts/tracking';

export interface ResolveOptions {
  runId: string;
  trainPathOnHost: string;
  validationPathOnHost: string | null;
  /** Where the base model is on the host; defaults to the config's baseModel (a Hub id or a path already there). */
  baseModelOnHost?: string;
}

export function effectiveHyperparameters(file: RunConfigFile): Hyperparameters {
  const { targetModules: _targets, maxSteps: _maxSteps, ...overrides } = file.hyperparameters ?? {};
  return applyPreset(file.preset, overrides);
}

export function resolveConfig(file: RunConfigFile, options: ResolveOptions): TrainerConfig {
  const hp = effectiveHyperparameters(file);
  const hasValidation = options.validationPathOnHost !== null;
  const tracking = resolveTracking(file.tracking, file.name?.trim() || options.runId);
  return TrainerConfig.parse({
    v: 1,
    run_id: options.runId,
    base_model: options.baseModelOnHost ?? file.baseModel,
    train_file: options.trainPathOnHost,
    validation_file: options.validationPathOnHost,
    validation_split: hasValidation ? 0 : file.validationSplit,
    max_seq_len: file.maxSeqLen,
    overlength: file.overlength,
    packing: file.packing,
    lora: {
      r: hp.loraR,
      alpha: hp.loraAlpha,
      dropout: hp.loraDropout,
      target_modules: file.hyperparameters?.targetModules ?? null,
    },
    quantization: file.quantization,
    precision: file.precision,
    gradient_checkpointing: file.gradientCheckpointing,
    epochs: hp.epochs,
    max_steps: file.hyperparameters?.maxSteps ?? null,
    batch_size: hp.batchSize,
    grad_accum: hp.gradAccum,
    learning_rate: hp.learningRate,
    lr_scheduler: hp.lrScheduler,
    warmup_ratio: hp.warmupRatio,
    weight_decay: hp.weightDecay,
    max_grad_norm: hp.maxGradNorm,
    log_every: file.logEvery,
    eval_every: file.evalEvery,
    save_every: file.checkpointEvery,
    keep_checkpoints: file.keepCheckpoints,
    seed: file.seed,
    num_gpus: file.gpus,
    ...(file.slurm ? { slurm: { nodes: file.slurm.nodes, gpus_per_node: file.slurm.gpusPerNode } } : {}),
    evaluation: TrainerEvaluation.parse({ enabled: file.evaluate, gates: file.gates }),
    method: file.method,
    ...(isPreferenceMethod(file.method) ? { preference: PreferenceSettings.parse(file.preference ?? {}) } : {}),
    ...(tracking ? { tracking } : {}),
  });
}

// Lives with the base-model check, which the launch form's bundle (no node:path there) uses too.
export { isLocalModelPath };

export interface LocalPaths {
  train: string;
  validation: string | null;
  /** Absolute folder when baseModel is a local path, else the Hub id unchanged. */
  baseModel: string;
}

/** The config's paths on the machine that holds the config file (they are written relative to it). */
export function localPaths(file: RunConfigFile, configFilePath: string, homeDir?: string): LocalPaths {
  const base = dirname(resolve(configFilePath));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  let baseModel = file.baseModel;
  if (baseModel.startsWith('~/') && homeDir) baseModel = resolve(homeDir, baseModel.slice(2));
  else if (isLocalModelPath(baseModel)) baseModel = at(baseModel);
  return {
    train: at(file.datasets.train),
    validation: file.datasets.validation === undefined ? null : at(file.datasets.validation),
    baseModel,
  };
}
