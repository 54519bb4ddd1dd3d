// The resolved run config: <runDir>/config.json, what the trainer reads (`python -m brightrun_trainer train`).
// Presets are already expanded and dataset paths already point at files on the training host.
// Single source of truth; its JSON Schema is generated into python/brightrun_trainer/schemas/.
import * as z from 'zod';
import { TrainerEvaluation } from './qualityGates';
import { PreferenceSettings, TRAINING_METHODS } from './preference';
import { lazySchema } from './lazySchema';
import { TrainerTracking } from './tracking';

/** The dataset formats the validator detects; the last two hold preference pairs (for dpo and orpo). */
export const DATASET_FORMATS = ['openai-chat', 'sharegpt', 'alpaca', 'prompt-completion', 'text', 'openai-preference', 'pairs'] as const;

export const LoraSettings = lazySchema(() =>
  z.object({
    r: z.number().int().min(1).max(1024),
    alpha: z.number().positive(),
    dropout: z.number().min(0).max(0.9),
    /** null: every linear layer of the attention and MLP blocks, detected from the architecture. */
    target_modules: z.array(z.string().min(1)).min(1).nullable(),
  }),
);

export const TrainerConfig = lazySchema(() =>
  z.object({
    v: z.literal(1),
    run_id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
    /** A local folder with config.json + weights, or a Hugging Face model id present in the local cache. */
    base_model: z.string().min(1),
    train_file: z.string().min(1),
    validation_file: z.string().min(1).nullable(),
    /** Share of the training set held out for evaluation when no validation file is given (0 disables eval). */
    validation_split: z.number().min(0).max(0.5),
    max_seq_len: z.number().int().min(16).max(262144),
    /** What to do with an example longer than max_seq_len. */
    overlength: z.enum(['truncate', 'drop']),
    packing: z.boolean(),
    lora: LoraSettings,
    quantization: z.enum(['none', '4bit']),
    precision: z.enum(['auto', 'bf16', 'fp16', 'fp32']),
    gradient_checkpointing: z.boolean(),
    epochs: z.number().positive().max(1000),
    /** When set, stops after this many optimizer steps (overrides epochs). */
    max_steps: z.number().int().min(1).nullable(),
    batch_size: z.number().int().min(1).max(4096),
    grad_accum: z.number().int().min(1).max(4096),
    learning_rate: z.number().positive().max(1),
    lr_scheduler: z.enum(['cosine', 'linear', 'constant']),
    warmup_ratio: z.number().min(0).max(0.5),
    weight_decay: z.number().min(0).max(1),
    max_grad_norm: z.number().positive(),
    /** Optimizer steps between metrics events. */
    log_every: z.number().int().min(1),
    /** Optimizer steps between evaluations (0: only at the end). */
    eval_every: z.number().int().min(0),
    /** Optimizer steps between checkpoints (0: only on cancel and at the end). */
    save_every: z.number().int().min(0),
    keep_checkpoints: z.number().int().min(1),
    seed: z.number().int(),
    num_gpus: z.number().int().min(1).max(64),
    /** A Slurm run's own nodes and GPUs per node (the run config's `slurm`); absent: the host's settings. */
    slurm: z.object({ nodes: z.number().int().min(1).max(4096).optional(), gpus_per_node: z.number().int().min(0).max(64).optional() }).optional(),
    /** sft, dpo or orpo; absent (configs written before preference tuning): sft. */
    method: z.enum(TRAINING_METHODS).optional(),
    /** Settings of dpo and orpo; absent: the defaults. */
    preference: PreferenceSettings.optional(),
    /** The evaluation report written beside the adapter at the end of training; absent: the defaults. */
    evaluation: TrainerEvaluation.optional(),
    /** Experiment trackers that receive the run's config, metrics and end state; absent: none. */
    tracking: TrainerTracking.optional(),
  }),
);

export type TrainerConfig = z.infer<typeof TrainerConfig>;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];
