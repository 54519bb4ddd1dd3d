// The evaluation report: base model against base + adapter, written by the trainer beside the adapter as
// eval.json (and EVAL.md), printed by `brightrun eval --json`, shown by the Evaluation panel and Compare Runs.
// Single source of truth: python/brightrun_trainer/schemas/eval-report.schema.json is generated from it.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

const finite = lazySchema(() => z.number().finite());

/** Mean token loss and its perplexity (exp(loss)) on one text set; null when the set has no tokens. */
export const Perplexity = lazySchema(() =>
  z.object({
    loss: finite.nullable(),
    perplexity: finite.nullable(),
  }),
);

/** One metric, for the base model and for the adapter; null where it could not be measured. */
export const MetricPair = lazySchema(() => z.object({ base: finite.nullable(), adapter: finite.nullable() }));

export const METRIC_NAMES = ['exact_match', 'token_f1', 'rouge_l', 'valid_json_rate', 'answer_length'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const Metrics = lazySchema(() =>
  z.object({
    /** Share of answers equal to the reference after normalisation (lower case, no punctuation or articles). */
    exact_match: MetricPair,
    /** Mean token-overlap F1 with the reference (SQuAD style), 0..1. */
    token_f1: MetricPair,
    /** Mean ROUGE-L F-measure (longest common token subsequence) with the reference, 0..1. */
    rouge_l: MetricPair,
    /** Share of answers that parse as JSON, over the prompts whose reference is JSON. */
    valid_json_rate: MetricPair,
    /** Mean answer length in words, over every prompt. */
    answer_length: MetricPair,
  }),
);

/** The scores of one answer against its reference (null without a reference, or when it is not JSON). */
export const AnswerScores = lazySchema(() =>
  z.object({
    exact_match: finite.nullable(),
    token_f1: finite.nullable(),
    rouge_l: finite.nullable(),
    valid_json: z.boolean().nullable(),
    length: z.number().int().min(0),
  }),
);

export const PromptResult = lazySchema(() =>
  z.object({
    prompt: z.string(),
    system: z.string().nullable(),
    reference: z.string().nullable(),
    base: z.string(),
    adapter: z.string(),
    base_scores: AnswerScores,
    adapter_scores: AnswerScores,
  }),
);

export const GateResult = lazySchema(() =>
  z.object({
    /** The gate's key in the run config's "gates". */
    name: z.string(),
    passed: z.boolean(),
    /** The measured numbers and the threshold the gate compared. */
    values: z.record(z.string(), finite.nullable()),
    /** One line a person reads: what was compared and the outcome. */
    detail: z.string(),
  }),
);

/** How often a model prefers the chosen response of a validation pair, and by how much (summed log-probs). */
export const PreferenceScore = lazySchema(() =>
  z.object({
    /** Share of pairs with a margin above 0, 0..1. */
    accuracy: finite.nullable(),
    /** Mean margin over the pairs. */
    margin: finite.nullable(),
  }),
);

/** Preference runs (method dpo or orpo) only: the validation pairs scored by both models. */
export const PreferenceReport = lazySchema(() =>
  z.object({
    pairs: z.number().int().min(0),
    /** The base model's own preference: log p(chosen) - log p(rejected). */
    base: PreferenceScore,
    /** The same with the adapter. */
    adapter: PreferenceScore,
    /** The adapter's implicit reward against the base (DPO's view): its log-prob gain on chosen minus that on rejected. */
    reward: PreferenceScore,
  }),
);

export const EvalReport = lazySchema(() =>
  z.object({
    v: z.literal(1),
    run_id: z.string().nullable(),
    created_at: z.string(),
    base_model: z.string(),
    adapter_path: z.string(),
    /** Validation set perplexity: `base` with the adapter disabled, `adapter` with it. `file` is null when the
     *  validation examples are the held-out share of the training file; `validation` is null without any. */
    validation: z.object({ file: z.string().nullable(), examples: z.number().int().min(0), tokens: z.number().int().min(0) }).nullable(),
    base: Perplexity,
    adapter: Perplexity,
    /** Perplexity on general English text (shipped with the trainer): how much the adapter forgot. */
    retention: z.object({
      file: z.string(),
      examples: z.number().int().min(0),
      tokens: z.number().int().min(0),
      base: finite.nullable(),
      adapter: finite.nullable(),
      /** (adapter / base - 1) x 100: positive when the adapter got worse at general text. */
      increase_pct: finite.nullable(),
    }),
    prompts: z.object({
      /** The prompt set file, or "validation" when the prompts were taken from the validation examples. */
      source: z.string(),
      count: z.number().int().min(0),
      with_reference: z.number().int().min(0),
      max_new_tokens: z.number().int().min(1),
      seed: z.number().int(),
      items: z.array(PromptResult),
    }),
    metrics: Metrics,
    /** Present for preference runs: preference accuracy and margins on the validation pairs. */
    preference: PreferenceReport.optional(),
    gates: z.array(GateResult),
    /** Every gate passed (true when there are none). */
    passed: z.boolean(),
    wall_s: finite.min(0),
  }),
);

export type EvalReport = z.infer<typeof EvalReport>;
export type GateResult = z.infer<typeof GateResult>;
export type PromptResult = z.infer<typeof PromptResult>;
export type MetricPair = z.infer<typeof MetricPair>;
export type PreferenceReport = z.infer<typeof PreferenceReport>;
