// One run as the registry persists it in <storage>/runs.json (and a copy in the run's mirror folder, so the
// index can be rebuilt when it is damaged). It carries a snapshot of the run's folded progress so the run list
// opens without reading any events; the mirrored events stay the source of truth it is rebuilt from.
import * as z from 'zod';
import { RUN_STATES } from '../../contracts/status';
import type { RunConfigFile } from '../../contracts/runConfigFile';
import type { TrainerConfig } from '../../contracts/trainerConfig';
import { RecoverySettings } from '../../contracts/recovery';
import { lazySchema } from '../../contracts/lazySchema';
import { SweepMembership } from '../sweeps/sweepMembership';

export const ConfigSummary = lazySchema(() =>
  z.object({
    name: z.string().nullable(),
    /** The config's project label; absent (null) in index files written before it existed. */
    project: z.string().nullable().default(null),
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
  }),
);
export type ConfigSummary = z.infer<typeof ConfigSummary>;

export const RunRecord = lazySchema(() =>
  z.object({
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
    /** Automatic recovery as the run config asked (absent in index files written before it existed: the defaults). */
    recovery: RecoverySettings.prefault({}),
    attempts: z.array(z.object({ startedAt: z.string(), endedAt: z.string().nullable() })),
    state: z.enum(RUN_STATES),
    exitReason: z.string().nullable(),
    /** Why BrightRun stopped the run itself (the budget), shown as a notification. */
    stopReason: z.string().nullable(),
    /** ProgressSnapshot as of the last save. Absent in index files written before it existed, and kept loose
     *  here so a snapshot that no longer validates only costs a replay of the events, never the run. */
    progress: z.unknown().optional(),
    /** Bumped by every save, by whichever process (editor or CLI) made it: a process holding an older rev
     *  takes the record from the index again. Absent (0) in index files written before it existed. */
    rev: z.number().int().min(0).default(0),
    /** The sweep the run was launched in (id, name, place, values, metric); null for a run of its own and in
     *  index files written before sweeps existed. */
    sweep: SweepMembership.nullable().default(null),
  }),
);
export type RunRecord = z.infer<typeof RunRecord>;

export const RunIndex = lazySchema(() => z.object({ v: z.literal(1), runs: z.array(z.unknown()) }));

/** The config as the run list shows it: what the user wrote, with the values the resolver filled in. */
export function summarize(config: TrainerConfig, file: RunConfigFile): ConfigSummary {
  return {
    name: file.name ?? null,
    project: file.project ?? null,
    baseModel: file.baseModel,
    preset: file.preset,
    trainFile: config.train_file,
    validationFile: config.validation_file,
    epochs: config.epochs,
    maxSteps: config.max_steps,
    learningRate: config.learning_rate,
    loraR: config.lora.r,
    loraAlpha: config.lora.alpha,
    batchSize: config.batch_size,
    gradAccum: config.grad_accum,
    maxSeqLen: config.max_seq_len,
    packing: config.packing,
  };
}
