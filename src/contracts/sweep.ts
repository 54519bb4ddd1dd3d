// The `sweep` block of a run config: one config that stands for several runs, each with other hyper-parameter
// values. Grid sweeps try every combination of the listed values; random sweeps draw maxRuns combinations
// (from lists, or from ranges) with a seed, so the same file always gives the same runs. The expansion itself
// lives in src/core/sweeps/. The value constraints of each parameter are the ones `hyperparameters` has: the
// schema is built from them (sweepSettings(HyperparameterOverrides) in runConfigFile.ts), never copied.
import * as z from 'zod';

export const SWEEP_PARAMETERS = ['learningRate', 'loraR', 'loraAlpha', 'epochs', 'batchSize'] as const;
export type SweepParameter = (typeof SWEEP_PARAMETERS)[number];

/** Parameters that take whole numbers: values drawn from a range are rounded. */
export const INTEGER_PARAMETERS: ReadonlySet<SweepParameter> = new Set(['loraR', 'batchSize']);

/** What a sweep ranks its runs by: the losses the trainer reports, or a metric of the evaluation report. */
export const SWEEP_METRICS = ['eval_loss', 'train_loss', 'perplexity', 'exact_match', 'token_f1', 'rouge_l', 'valid_json_rate', 'preference_accuracy'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];
export type SweepGoal = 'min' | 'max';

/** Metrics measured during training; the others come from the evaluation report written at the end. */
export const TRAINING_METRICS: readonly SweepMetric[] = ['eval_loss', 'train_loss', 'perplexity'];

/** Losses and perplexity are better low; the evaluation report's scores are better high. */
export const DEFAULT_GOALS: Readonly<Record<SweepMetric, SweepGoal>> = {
  eval_loss: 'min',
  train_loss: 'min',
  perplexity: 'min',
  exact_match: 'max',
  token_f1: 'max',
  rouge_l: 'max',
  valid_json_rate: 'max',
  preference_accuracy: 'max',
};

/** No sweep launches more runs than this at once. */
export const MAX_SWEEP_RUNS = 100;

const METRIC_HELP =
  'eval_loss (the last evaluation during training), train_loss (the last training loss), perplexity (exp of eval_loss), ' +
  'or a score of the evaluation report written at the end (needs "evaluate": true): exact_match, token_f1, rouge_l, valid_json_rate, preference_accuracy (dpo/orpo runs).';

type ValueSchema = z.ZodType<number, number>;

function parameterSpec(name: SweepParameter, value: ValueSchema) {
  const defaultScale = name === 'learningRate' ? 'log' : 'linear';
  const list = z.array(value).min(1, `give at least one value for ${name}, e.g. [${name === 'learningRate' ? '1e-4, 2e-4' : '8, 16'}]`);
  const range = z
    .strictObject({
      min: value,
      max: value,
      scale: z.enum(['log', 'linear']).default(defaultScale).describe(`How values are drawn between min and max (default ${defaultScale}).`),
    })
    .refine((r) => r.min < r.max, { message: `min must be below max (for one value, give a list: [${name === 'learningRate' ? '2e-4' : '16'}])` });
  return z
    .union([list, range], {
      error: (issue) => {
        const input = issue.input;
        if (Array.isArray(input)) {
          // A list the union could not take: say which value the hyper-parameter's own limits refuse.
          for (const [i, item] of input.entries()) {
            const checked = value.safeParse(item);
            if (!checked.success) return `value ${i + 1} (${JSON.stringify(item)}) of ${name}: ${checked.error.issues[0].message}`;
          }
        }
        if (typeof input === 'object' && input !== null && !Array.isArray(input)) return `a range of ${name} needs both "min" and "max" as numbers`;
        return `${name} takes a list of values ([...]) or, in a random sweep, a range {"min": ..., "max": ..., "scale": "log" | "linear"}`;
      },
    })
    .optional()
    .describe(`Values of ${name} to try: a list, or (random sweeps only) a range {min, max, scale}.`);
}

/** The sweep block; `overrides` is the run config's hyperparameters schema, whose fields give each value's limits. */
export function sweepSettings(overrides: z.ZodObject) {
  const valueOf = (name: SweepParameter) => (overrides.shape[name] as z.ZodOptional<ValueSchema>).unwrap();
  const parameters = Object.fromEntries(SWEEP_PARAMETERS.map((name) => [name, parameterSpec(name, valueOf(name))])) as {
    [K in SweepParameter]: ReturnType<typeof parameterSpec>;
  };
  return z
    .strictObject({
      strategy: z
        .enum(['grid', 'random'])
        .default('grid')
        .describe('grid: every combination of the listed values. random: maxRuns combinations drawn with the seed (lists or ranges).'),
      parameters: z
        .strictObject(parameters)
        .refine((p) => Object.values(p).some((spec) => spec !== undefined), {
          message: `name at least one parameter to vary: ${SWEEP_PARAMETERS.join(', ')}`,
        })
        .describe('The hyper-parameters to vary (names as in "hyperparameters"); each one replaces that hyper-parameter in every run.'),
      maxRuns: z
        .number()
        .int()
        .min(1)
        .max(MAX_SWEEP_RUNS)
        .optional()
        .describe(
          `Runs to launch. Random sweeps: how many to draw (required). Grid sweeps: a cap; a grid with more combinations is refused, never cut (default: the grid size, at most ${MAX_SWEEP_RUNS}).`,
        ),
      seed: z.number().int().default(0).describe('Seed of the random draws: the same seed gives the same runs.'),
      metric: z.enum(SWEEP_METRICS).default('eval_loss').describe(`What ranks the runs: ${METRIC_HELP}`),
      goal: z
        .enum(['min', 'max'])
        .optional()
        .describe('Whether a lower or a higher metric is better (default: min for losses and perplexity, max for scores).'),
      earlyStop: z
        .strictObject({
          rule: z
            .literal('median')
            .default('median')
            .describe('median: stop a run whose eval loss is worse than the median of the other runs at the same step.'),
          afterEvaluations: z.number().int().min(1).default(2).describe('Evaluations a run has before it can be stopped.'),
          minRuns: z.number().int().min(1).default(2).describe('Other runs that must have been evaluated at the same step before the median counts.'),
        })
        .optional()
        .describe(
          'Stop runs that fall behind early (cancelled with a checkpoint, so they can be resumed). Compares eval loss at each evaluation, so it needs "evalEvery" > 0.',
        ),
    })
    .superRefine((sweep, ctx) => {
      if (sweep.strategy === 'random' && sweep.maxRuns === undefined) {
        ctx.addIssue({ code: 'custom', path: ['maxRuns'], message: 'a random sweep needs "maxRuns": how many runs to draw' });
      }
      if (sweep.strategy !== 'grid') return;
      for (const name of SWEEP_PARAMETERS) {
        const spec = sweep.parameters[name];
        if (spec !== undefined && !Array.isArray(spec)) {
          ctx.addIssue({
            code: 'custom',
            path: ['parameters', name],
            message: `a grid sweep needs a list of values for ${name}; a range {min, max} is drawn from only by "strategy": "random"`,
          });
          return;
        }
      }
      const problem = gridSizeProblem(sweep.parameters as Record<SweepParameter, number[] | undefined>, sweep.maxRuns);
      if (problem) ctx.addIssue({ code: 'custom', path: [sweep.maxRuns === undefined ? 'parameters' : 'maxRuns'], message: problem });
    })
    .describe('Launch several runs of this config with other hyper-parameter values, rank them by a metric and mark the best.');
}

/** "3 learningRate values x 2 loraR values": how a grid's size comes about, for the messages. */
export function gridShape(parameters: Partial<Record<SweepParameter, readonly number[]>>): { size: number; words: string } {
  const listed = SWEEP_PARAMETERS.flatMap((name) => (parameters[name] ? [{ name, count: parameters[name].length }] : []));
  return {
    size: listed.reduce((product, { count }) => product * count, 1),
    words: listed.map(({ name, count }) => `${count} ${name} value${count === 1 ? '' : 's'}`).join(' x '),
  };
}

/** Why a grid cannot be launched as asked (it is refused whole, never cut), or null when it can. */
export function gridSizeProblem(parameters: Partial<Record<SweepParameter, readonly number[]>>, maxRuns: number | undefined): string | null {
  const { size, words } = gridShape(parameters);
  const cap = maxRuns ?? MAX_SWEEP_RUNS;
  if (size <= cap) return null;
  if (maxRuns === undefined || size > MAX_SWEEP_RUNS) {
    return `the grid has ${size} combinations (${words}), more than the ${MAX_SWEEP_RUNS} runs a sweep may launch: list fewer values, or use "strategy": "random" with "maxRuns"`;
  }
  return `the grid has ${size} combinations (${words}), more than "maxRuns": ${maxRuns}: raise maxRuns to ${size}, list fewer values, or use "strategy": "random" to draw ${maxRuns} of them`;
}

export type SweepSettings = z.output<ReturnType<typeof sweepSettings>>;
export type ParameterSpec = NonNullable<SweepSettings['parameters'][SweepParameter]>;
