// Quality gates: what an adapter must show in its evaluation report to pass. Written in a run config under
// "gates", copied unchanged into the trainer's config.json, and checked by the trainer when it writes the report.
// Single source of truth for their names and defaults: the trainer reads the defaults from the generated schema.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

const share = lazySchema(() => z.number().min(0).max(1));

export const QualityGates = lazySchema(() =>
  z
    .strictObject({
      adapterBeatsBaseOnValPerplexity: z
        .boolean()
        .default(true)
        .describe('The adapter must have a lower perplexity than the base model on the validation set.'),
      maxRetentionIncreasePct: z
        .number()
        .min(0)
        .nullable()
        .default(10)
        .describe("How much higher (in %) the adapter's perplexity on general English text may be than the base model's (null: not checked)."),
      maxValPerplexity: z.number().positive().nullable().default(null).describe('Highest acceptable validation perplexity of the adapter (null: not checked).'),
      minExactMatch: share.nullable().default(null).describe('Lowest acceptable exact-match rate of the adapter on the prompt set, 0..1 (null: not checked).'),
      minTokenF1: share.nullable().default(null).describe('Lowest acceptable token F1 of the adapter on the prompt set, 0..1 (null: not checked).'),
      minRougeL: share.nullable().default(null).describe('Lowest acceptable ROUGE-L of the adapter on the prompt set, 0..1 (null: not checked).'),
      minValidJsonRate: share
        .nullable()
        .default(null)
        .describe('Lowest acceptable share of valid JSON answers where the reference is JSON, 0..1 (null: not checked).'),
      adapterBeatsBaseOnTokenF1: z.boolean().default(false).describe('The adapter must reach a higher token F1 than the base model on the prompt set.'),
    })
    .describe('Quality gates checked by the evaluation at the end of training and by `brightrun eval`.'),
);

export type QualityGates = z.output<typeof QualityGates>;

/** Evaluation settings of the trainer's config.json (absent in configs written before evaluation existed). */
export const TrainerEvaluation = lazySchema(() =>
  z.strictObject({
    enabled: z.boolean().default(true),
    /** Prompts answered by base and adapter when no prompt set is given: taken from the validation examples. */
    max_prompts: z.number().int().min(0).max(1000).default(16),
    max_new_tokens: z.number().int().min(1).max(4096).default(64),
    gates: QualityGates.prefault({}),
  }),
);
export type TrainerEvaluation = z.output<typeof TrainerEvaluation>;
