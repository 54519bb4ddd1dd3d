// Experiment trackers a run reports to besides its own events.jsonl: TensorBoard event files in the run folder,
// an MLflow tracking server, Weights & Biases. The run config's `tracking` (camelCase, what a person writes) and
// the trainer config's `tracking` (snake_case, resolved) are both defined here, one source for both.
// Secrets never live here: the W&B key comes from the host's WANDB_API_KEY or the editor's secret storage, and
// MLflow credentials from MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN on the host.
import * as z from 'zod';
import { lazySchema } from './lazySchema';

export const TRACKER_NAMES = ['tensorboard', 'mlflow', 'wandb'] as const;
export type TrackerName = (typeof TRACKER_NAMES)[number];

/** How each tracker is named to people (CLI lines, trainer.log, the monitor). */
export const TRACKER_LABELS: Record<TrackerName, string> = { tensorboard: 'TensorBoard', mlflow: 'MLflow', wandb: 'W&B' };

/** The experiment an MLflow run goes to when the config names none. */
export const DEFAULT_MLFLOW_EXPERIMENT = 'brightrun';

/** A tracking URI with `user:password@` would put a secret in the config file (and in git). */
function checkNoCredentials(uri: string, ctx: z.RefinementCtx): void {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(uri)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'trackingUri must not hold credentials (user:password@): set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) in the environment of the host that trains.',
    });
  }
}

export const MlflowTracking = lazySchema(() =>
  z.strictObject({
    trackingUri: z
      .string()
      .min(1)
      .regex(/^\S+$/, 'trackingUri must not contain spaces.')
      .superRefine(checkNoCredentials)
      .describe('The MLflow tracking server as the host that trains reaches it, e.g. "http://127.0.0.1:5000" or "file:///data/mlruns".'),
    experiment: z.string().min(1).max(500).optional().describe(`The MLflow experiment (created when missing; default "${DEFAULT_MLFLOW_EXPERIMENT}").`),
  }),
);

export const WandbTracking = lazySchema(() =>
  z.strictObject({
    project: z.string().min(1).max(128).describe('The Weights & Biases project (created when missing).'),
    entity: z.string().min(1).max(128).optional().describe("The W&B team or user (default: the API key's default entity)."),
  }),
);

/** The run config's `tracking`. */
export const TrackingSettings = lazySchema(() =>
  z
    .strictObject({
      tensorboard: z.boolean().optional().describe('Write TensorBoard event files to <run folder>/tensorboard/ (needs the tensorboard package on the host).'),
      mlflow: MlflowTracking.optional().describe('Log params, metrics, the end state and the adapter to an MLflow tracking server (needs mlflow on the host).'),
      wandb: WandbTracking.optional().describe(
        "Log config, metrics and the end state to Weights & Biases (needs wandb on the host; the API key comes from BrightRun: Set Weights & Biases API Key or the host's WANDB_API_KEY, never from this file).",
      ),
    })
    .describe('Experiment trackers that receive the run\'s config, metrics and end state, e.g. {"tensorboard": true}.'),
);

export type TrackingSettings = z.output<typeof TrackingSettings>;

/** The trainer config's `tracking`: what the trainer needs, resolved (run name chosen, defaults applied). */
export const TrainerTracking = lazySchema(() =>
  z.object({
    /** The name the tracker runs get: the run config's name, else the run id. */
    run_name: z.string().min(1),
    tensorboard: z.boolean(),
    mlflow: z.object({ tracking_uri: z.string().min(1), experiment: z.string().min(1) }).nullable(),
    wandb: z.object({ project: z.string().min(1), entity: z.string().min(1).nullable() }).nullable(),
  }),
);

export type TrainerTracking = z.infer<typeof TrainerTracking>;

/** The trainer's tracking settings for a run config's `tracking`; undefined when it enables no tracker. */
export function resolveTracking(tracking: TrackingSettings | undefined, runName: string): TrainerTracking | undefined {
  if (tracking === undefined) return undefined;
  const tensorboard = tracking.tensorboard === true;
  if (!tensorboard && tracking.mlflow === undefined && tracking.wandb === undefined) return undefined;
  return {
    run_name: runName,
    tensorboard,
    mlflow: tracking.mlflow ? { tracking_uri: tracking.mlflow.trackingUri, experiment: tracking.mlflow.experiment ?? DEFAULT_MLFLOW_EXPERIMENT } : null,
    wandb: tracking.wandb ? { project: tracking.wandb.project, entity: tracking.wandb.entity ?? null } : null,
  };
}
