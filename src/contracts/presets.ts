// The one table of training presets. The run-config schema, the resolver and the launch form all read it, so
// a preset's values and the words that explain them never drift apart.

export const PRESET_NAMES = ['conservative', 'balanced', 'aggressive'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const LR_SCHEDULERS = ['cosine', 'linear', 'constant'] as const;
export type LrScheduler = (typeof LR_SCHEDULERS)[number];

/** The hyper-parameters a preset fixes; a run config may override any of them one by one. */
export interface Hyperparameters {
  loraR: number;
  loraAlpha: number;
  loraDropout: number;
  learningRate: number;
  epochs: number;
  batchSize: number;
  gradAccum: number;
  lrScheduler: LrScheduler;
  warmupRatio: number;
  weightDecay: number;
  maxGradNorm: number;
}

export type HyperparameterName = keyof Hyperparameters;

/** One line per hyper-parameter: what it does and which way to move it. Shown in the launch form and as
 *  hover text in *.brightrun.json files. */
export const HYPERPARAMETER_HELP: Record<HyperparameterName, string> = {
  loraR: 'LoRA rank: size of the low-rank update. Higher learns more (and can overfit more); 8-64 is typical.',
  loraAlpha: 'LoRA scaling: the update is multiplied by alpha / r. Usually 2 x r.',
  loraDropout: 'Dropout on the LoRA input during training; raise it (0.05-0.1) when a small dataset overfits.',
  learningRate: 'Peak learning rate of the optimizer. Too high makes the loss jump or diverge; too low learns slowly.',
  epochs: 'Passes over the training set. More passes fit the data better until the eval loss starts rising.',
  batchSize: 'Examples per GPU per forward pass. Bounded by GPU memory; use gradAccum to grow the effective batch.',
  gradAccum: 'Forward passes accumulated per optimizer step. Effective batch = batchSize x gradAccum x GPUs.',
  lrScheduler: 'How the learning rate decays after warm-up: cosine, linear or constant.',
  warmupRatio: 'Share of the steps spent ramping the learning rate up from zero; stabilises the first steps.',
  weightDecay: 'L2 penalty on the LoRA weights; a small value (0-0.01) can reduce overfitting.',
  maxGradNorm: 'Gradients are clipped to this norm, which keeps one bad batch from wrecking the weights.',
};

export interface Preset {
  /** When to pick it, in one sentence. */
  summary: string;
  values: Hyperparameters;
}

export const PRESETS: Record<PresetName, Preset> = {
  conservative: {
    summary: 'Small rank, low learning rate, one epoch: the safest start for a new dataset or a large model.',
    values: {
      loraR: 8,
      loraAlpha: 16,
      loraDropout: 0.05,
      learningRate: 1e-4,
      epochs: 1,
      batchSize: 4,
      gradAccum: 4,
      lrScheduler: 'cosine',
      warmupRatio: 0.05,
      weightDecay: 0,
      maxGradNorm: 1,
    },
  },
  balanced: {
    summary: 'A good default for a few thousand examples: rank 16, two epochs.',
    values: {
      loraR: 16,
      loraAlpha: 32,
      loraDropout: 0.05,
      learningRate: 2e-4,
      epochs: 2,
      batchSize: 4,
      gradAccum: 4,
      lrScheduler: 'cosine',
      warmupRatio: 0.03,
      weightDecay: 0,
      maxGradNorm: 1,
    },
  },
  aggressive: {
    summary: 'Large rank, higher learning rate, three epochs: for teaching a new skill or style; watch the eval loss.',
    values: {
      loraR: 64,
      loraAlpha: 128,
      loraDropout: 0.1,
      learningRate: 3e-4,
      epochs: 3,
      batchSize: 8,
      gradAccum: 2,
      lrScheduler: 'cosine',
      warmupRatio: 0.03,
      weightDecay: 0.01,
      maxGradNorm: 1,
    },
  },
};

/** The preset's values with the config's explicit overrides laid over them. */
export function applyPreset(preset: PresetName, overrides: Partial<Hyperparameters> = {}): Hyperparameters {
  const merged: Hyperparameters = { ...PRESETS[preset].values };
  for (const [key, value] of Object.entries(overrides) as [HyperparameterName, unknown][]) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}
