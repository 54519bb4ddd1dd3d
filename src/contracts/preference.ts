// Training methods and the settings of preference tuning (DPO, ORPO). Written in a run config as "method" and
// "preference", copied unchanged into the trainer's config.json. Single source of truth for the names and the
// defaults: the trainer reads the defaults from the generated schema.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

export const TRAINING_METHODS = ['sft', 'dpo', 'orpo'] as const;
export type TrainingMethod = (typeof TRAINING_METHODS)[number];

/** The dataset formats that hold preference pairs (a prompt, a chosen and a rejected response). */
export const PREFERENCE_FORMATS = ['openai-preference', 'pairs'] as const;

export const DPO_LOSS_TYPES = ['sigmoid', 'ipo', 'hinge'] as const;

/** One sentence per method: the run config's help and the launch form's method selector both show these. */
export const METHOD_DESCRIPTIONS: Record<TrainingMethod, string> = {
  sft: 'supervised fine-tuning on the assistant turns (chat, instruction, completion or text data).',
  dpo: 'Direct Preference Optimization on preference pairs, against the base model as the reference (the adapter switched off, so no second copy in memory).',
  orpo: "Odds Ratio Preference Optimization on preference pairs: the chosen response's loss plus an odds-ratio term, no reference model.",
};

export const METHOD_HELP =
  TRAINING_METHODS.map((method) => `${method}: ${METHOD_DESCRIPTIONS[method]}`).join(' ') +
  ' dpo and orpo need an openai-preference or pairs dataset and packing off.';

export const PreferenceSettings = lazySchema(() =>
  z
    .strictObject({
      beta: z
        .number()
        .positive()
        .max(10)
        .default(0.1)
        .describe('DPO: how far the adapter may move from the base model; lower lets it move further (0.1 is the usual value).'),
      lossType: z
        .enum(DPO_LOSS_TYPES)
        .default('sigmoid')
        .describe('DPO loss: sigmoid (the DPO paper), ipo (squared, on length-normalised log-probabilities; less prone to overfitting) or hinge (SLiC).'),
      labelSmoothing: z
        .number()
        .min(0)
        .max(0.5)
        .default(0)
        .describe('DPO sigmoid loss: the assumed share of pairs whose labels are flipped (conservative DPO); 0 trusts every pair.'),
      lambda: z
        .number()
        .min(0)
        .max(10)
        .default(0.1)
        .describe("ORPO: weight of the odds-ratio term against the chosen response's loss (the paper's lambda; 0.1 is TRL's default)."),
    })
    .describe("Settings of the preference methods (dpo, orpo); beta, lossType and labelSmoothing are DPO's, lambda is ORPO's."),
);

export type PreferenceSettings = z.output<typeof PreferenceSettings>;

export function isPreferenceMethod(method: TrainingMethod): boolean {
  return method !== 'sft';
}

export function isPreferenceFormat(format: string): boolean {
  return (PREFERENCE_FORMATS as readonly string[]).includes(format);
}

/** Why a dataset of `format` cannot train with `method`, or null when it can (an unknown format is not judged
 *  here: the validator reports that file on its own). */
export function methodFormatProblem(method: TrainingMethod, format: string): string | null {
  if (format === 'unknown') return null;
  if (isPreferenceMethod(method) && !isPreferenceFormat(format)) {
    return `method ${method} trains on preference pairs, but this dataset is ${format}; use an ${PREFERENCE_FORMATS.join(' or ')} file, or set "method": "sft"`;
  }
  if (!isPreferenceMethod(method) && isPreferenceFormat(format)) {
    return `this dataset holds preference pairs (${format}), which method sft cannot train on; set "method": "dpo" or "orpo"`;
  }
  return null;
}
