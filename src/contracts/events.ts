// Event protocol v1: one JSON object per line of <runDir>/events.jsonl, written by the trainer.
// This file is the single source of truth: the JSON Schema the Python writer is tested against
// (python/brightrun_trainer/schemas/events.schema.json) is generated from it by `npm run gen:schemas`.
import * as z from 'zod';
import { lazySchema } from './lazySchema';
import { TRACKER_NAMES } from './tracking';

export const STAGE_NAMES = ['preparing', 'loading_model', 'tokenizing', 'training', 'evaluating', 'saving', 'done'] as const;
export const ERROR_KINDS = ['oom', 'cuda', 'data', 'config', 'killed', 'exception'] as const;
export const DONE_STATES = ['completed', 'failed', 'cancelled'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
/** Why a run was restarted automatically: out of memory, its trainer killed, or its host gone (reboot, spot reclaim). */
export const RECOVERY_REASONS = ['oom', 'killed', 'host_lost'] as const;

// A function, not a shared lazySchema: these are the fields of every event parsed, read without a stand-in in between.
const finite = () => z.number().finite();
/** The fields every event has. */
const EventBase = lazySchema(() =>
  z.object({
    v: z.literal(1),
    seq: z.number().int().min(1),
    ts: z.string().min(1),
  }),
);

export const StageEvent = lazySchema(() => z.object({ ...EventBase.shape, type: z.literal('stage'), name: z.enum(STAGE_NAMES) }));

/** What the run is about to do; written once after tokenizing, before the first step. */
export const PlanEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('plan'),
    total_steps: z.number().int().min(0),
    epochs: finite(),
    train_examples: z.number().int().min(0),
    eval_examples: z.number().int().min(0),
    train_tokens: z.number().int().min(0),
    dropped_examples: z.number().int().min(0),
    truncated_examples: z.number().int().min(0),
    trainable_params: z.number().int().min(0),
    total_params: z.number().int().min(0),
    /** Share of tokens in a batch that are real (not padding), 0..1. */
    token_efficiency: finite().min(0).max(1),
    device: z.string(),
    precision: z.string(),
    resumed_from_step: z.number().int().min(0).optional(),
  }),
);

export const MetricsEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('metrics'),
    step: z.number().int().min(0),
    total_steps: z.number().int().min(0).optional(),
    epoch: finite(),
    loss: finite(),
    learning_rate: finite(),
    grad_norm: finite().nullable().optional(),
    tokens_per_s: finite().min(0),
    samples_per_s: finite().min(0),
    tokens_seen: z.number().int().min(0).optional(),
    gpu_util: finite().nullable().optional(),
    gpu_mem_gb: finite().nullable().optional(),
    // Preference runs (method dpo or orpo) only; means over the pairs of the logging window.
    /** Mean summed log-probability of the chosen response under the policy (base + adapter). */
    logps_chosen: finite().optional(),
    /** Mean summed log-probability of the rejected response under the policy. */
    logps_rejected: finite().optional(),
    /** Implicit reward of the chosen response: beta x (policy - reference log-prob) for DPO, lambda x policy mean log-prob per token for ORPO. */
    reward_chosen: finite().optional(),
    /** Implicit reward of the rejected response, as reward_chosen. */
    reward_rejected: finite().optional(),
    /** reward_chosen - reward_rejected: grows as the adapter learns to prefer the chosen responses. */
    reward_margin: finite().optional(),
    /** Share of pairs whose chosen reward beats the rejected one, 0..1. */
    preference_accuracy: finite().min(0).max(1).optional(),
    /** ORPO: mean log odds ratio of chosen over rejected (log odds(chosen) - log odds(rejected)). */
    log_odds_ratio: finite().optional(),
    /** ORPO: the odds-ratio term of the loss, -log sigmoid(log_odds_ratio), before the lambda weight. */
    or_loss: finite().optional(),
  }),
);

export const EvalEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('eval'),
    step: z.number().int().min(0),
    eval_loss: finite(),
    perplexity: finite(),
    // Preference runs only (their eval_loss is the method's loss on the validation pairs; perplexity is its exp).
    /** Mean reward_chosen - reward_rejected over the validation pairs. */
    reward_margin: finite().optional(),
    /** Share of validation pairs whose chosen reward beats the rejected one, 0..1. */
    preference_accuracy: finite().min(0).max(1).optional(),
  }),
);

export const CheckpointEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('checkpoint'),
    step: z.number().int().min(0),
    path: z.string(),
  }),
);

export const LogEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('log'),
    level: z.enum(LOG_LEVELS),
    message: z.string(),
  }),
);

export const ErrorEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('error'),
    kind: z.enum(ERROR_KINDS),
    message: z.string(),
    hint: z.string().optional(),
    /** For kind "data": the dataset file and 1-based line at fault. */
    file: z.string().optional(),
    line: z.number().int().min(1).optional(),
  }),
);

/** One setting a recovery attempt changed (e.g. batch_size 4 -> 2 after running out of memory). */
export const AttemptChange = lazySchema(() => z.object({ setting: z.string().min(1), from: finite(), to: finite() }));

/** Written first by a trainer that the engine restarted automatically (see src/core/runs/recoveryPolicy.ts). */
export const AttemptEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('attempt'),
    /** 1 is the first start; an automatic restart is 2 or more. */
    number: z.number().int().min(2),
    reason: z.enum(RECOVERY_REASONS),
    /** What happened and what this attempt does about it, in words. */
    message: z.string(),
    /** The checkpoint step this attempt continues from (0: from the beginning, no checkpoint yet). */
    from_step: z.number().int().min(0),
    changes: z.array(AttemptChange),
  }),
);

/** Where the run's metrics also go: written by the trainer once each enabled experiment tracker has started. */
export const TrackerEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('tracker'),
    tracker: z.enum(TRACKER_NAMES),
    /** The TensorBoard log folder or W&B offline folder on the host that trains, or the MLflow / W&B run's web page. */
    location: z.string().min(1),
    /** The tracker's own id of the run (MLflow run id, W&B run id), kept so a resumed run continues it. */
    run_id: z.string().min(1).optional(),
    /** A command that opens or uploads it, e.g. `tensorboard --logdir <folder>` (quoted for a POSIX shell). */
    command: z.string().min(1).optional(),
  }),
);

export const RunSummary = lazySchema(() =>
  z.object({
    steps: z.number().int().min(0),
    total_tokens: z.number().int().min(0),
    wall_s: finite().min(0),
    tokens_per_s: finite().min(0),
    mfu: finite().nullable().optional(),
    peak_mem_gb: finite().nullable().optional(),
    final_loss: finite().nullable().optional(),
    final_eval_loss: finite().nullable().optional(),
  }),
);

export const DoneEvent = lazySchema(() =>
  z.object({
    ...EventBase.shape,
    type: z.literal('done'),
    state: z.enum(DONE_STATES),
    adapter: z.string().nullable(),
    summary: RunSummary,
  }),
);

export const RunEvent = lazySchema(() =>
  z.discriminatedUnion('type', [StageEvent, PlanEvent, MetricsEvent, EvalEvent, CheckpointEvent, LogEvent, ErrorEvent, DoneEvent, AttemptEvent, TrackerEvent]),
);

export type RunEvent = z.infer<typeof RunEvent>;
export type MetricsEvent = z.infer<typeof MetricsEvent>;
export type EvalEvent = z.infer<typeof EvalEvent>;
export type DoneEvent = z.infer<typeof DoneEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type PlanEvent = z.infer<typeof PlanEvent>;
export type AttemptEvent = z.infer<typeof AttemptEvent>;
export type TrackerEvent = z.infer<typeof TrackerEvent>;
export type AttemptChange = z.infer<typeof AttemptChange>;
export type RecoveryReason = (typeof RECOVERY_REASONS)[number];
export type StageName = (typeof STAGE_NAMES)[number];

// ---- the numeric fields of metrics and eval events, derived from their schemas above: the one list the column
// store (src/shared/monitorHistory.ts), the charts and the trainer's tests read, so a field added to a schema is
// stored, sent and chartable with no other list to edit.

type EventBaseKey = keyof typeof EventBase.shape | 'type';
export type MetricField = Exclude<keyof MetricsEvent, EventBaseKey>;
export type EvalField = Exclude<keyof EvalEvent, EventBaseKey>;

function fieldsOf(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape).filter((key) => !(key in EventBase.shape) && key !== 'type');
}

// Read on first use, like the schemas they come from (lazySchema.ts).
let metricFieldList: readonly MetricField[] | undefined;
let evalFieldList: readonly EvalField[] | undefined;
export const metricFields = (): readonly MetricField[] => (metricFieldList ??= fieldsOf(MetricsEvent) as readonly MetricField[]);
export const evalFields = (): readonly EvalField[] => (evalFieldList ??= fieldsOf(EvalEvent) as readonly EvalField[]);
