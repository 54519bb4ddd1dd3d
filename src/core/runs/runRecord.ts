// One run as the registry persists it in <storage>/runs.json (and a copy in the run's mirror folder, so the
// index can be rebuilt when it is damaged). Progress numbers are not stored here: they are replayed from the
// mirrored events, which stay the single source of truth.
import { z } from 'zod';
import { RUN_STATES } from './status';

export const ConfigSummary = z.object({
  name: z.string().nullable(),
  baseModel: z.string(),
  preset: z.string().nullable(),
  trainFile: z.string(),
  validationFile: z.string().nullable(),
  epochs: z.number(),
  maxSteps: z.number().nullable(),
  learningRate: z.number(),
  loraR: z.number(),
  loraAlpha: z.number(),
  batchSize: z.number(),
  gradAccum: z.number(),
  maxSeqLen: z.number(),
  packing: z.boolean(),
});
export type ConfigSummary = z.infer<typeof ConfigSummary>;

export const RunRecord = z.object({
  v: z.literal(1),
  id: z.string(),
  host: z.string(),
  runDir: z.string(),
  createdAt: z.string(),
  /** The *.brightrun.json the run was launched from, when there was one. */
  configFile: z.string().nullable(),
  config: ConfigSummary,
  /** GPUs and USD per GPU-hour the run was launched with (its cost inputs). Older index files may lack them:
   *  one GPU and no known price. */
  gpus: z.number().int().min(1).default(1),
  pricePerGpuHour: z.number().nullable().default(null),
  budgetUsd: z.number().nullable(),
  attempts: z.array(z.object({ startedAt: z.string(), endedAt: z.string().nullable() })),
  state: z.enum(RUN_STATES),
  exitReason: z.string().nullable(),
  /** Why BrightRun stopped the run itself (the budget), shown as a notification. */
  stopReason: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;

export const RunIndex = z.object({ v: z.literal(1), runs: z.array(z.unknown()) });
