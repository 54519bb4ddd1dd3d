import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { resolveConfig } from '../../../src/core/config/resolveConfig';
import { TrainerConfig } from '../../../src/contracts/trainerConfig';
import { RunEvent } from '../../../src/contracts/events';
import { formatEvent } from '../../../src/core/runs/formatEvent';

const minimal = { datasets: { train: 'train.jsonl' }, baseModel: 'HuggingFaceTB/SmolLM2-135M-Instruct' };
const hostPaths = { runId: 'r1', trainPathOnHost: '/data/train.jsonl', validationPathOnHost: null };

function resolved(extra: object) {
  const result = validateRunConfig({ ...minimal, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return resolveConfig(result.config, hostPaths);
}

function problemsOf(value: unknown) {
  const result = validateRunConfig(value);
  return result.ok ? [] : result.problems;
}

describe('tracking in the run config', () => {
  it('resolves every tracker with its defaults, named after the run', () => {
    const trainer = resolved({
      name: 'tickets v1',
      tracking: { tensorboard: true, mlflow: { trackingUri: 'http://127.0.0.1:5000' }, wandb: { project: 'tickets', entity: 'team' } },
    });
    expect(trainer.tracking).toEqual({
      run_name: 'tickets v1',
      tensorboard: true,
      mlflow: { tracking_uri: 'http://127.0.0.1:5000', experiment: 'brightrun' },
      wandb: { project: 'tickets', entity: 'team' },
    });
    expect(TrainerConfig.safeParse(trainer).success).toBe(true);
  });

  it('names the tracker runs after the run id when the config has no name, and keeps the experiment given', () => {
    const trainer = resolved({ tracking: { mlflow: { trackingUri: 'file:///data/mlruns', experiment: 'tickets' } } });
    expect(trainer.tracking).toEqual({
      run_name: 'r1',
      tensorboard: false,
      mlflow: { tracking_uri: 'file:///data/mlruns', experiment: 'tickets' },
      wandb: null,
    });
  });

  it('leaves tracking out of the trainer config when no tracker is on', () => {
    expect(resolved({}).tracking).toBeUndefined();
    expect(resolved({ tracking: {} }).tracking).toBeUndefined();
    expect(resolved({ tracking: { tensorboard: false } }).tracking).toBeUndefined();
  });

  it('refuses credentials in the MLflow URI, saying where they go instead', () => {
    const problems = problemsOf({ ...minimal, tracking: { mlflow: { trackingUri: 'https://me:s3cret@mlflow.example.com' } } });
    expect(problems.map((p) => p.path)).toEqual(['$.tracking.mlflow.trackingUri']);
    expect(problems[0].message).toMatch(/MLFLOW_TRACKING_USERNAME/);
  });

  it('refuses unknown keys (an API key above all) and a W&B block without a project', () => {
    expect(problemsOf({ ...minimal, tracking: { wandb: { project: 'p', apiKey: 'x' } } }).map((p) => p.path)).toEqual(['$.tracking.wandb.apiKey']);
    expect(problemsOf({ ...minimal, tracking: { wandb: {} } }).map((p) => p.path)).toEqual(['$.tracking.wandb.project']);
  });
});

describe('tracker events', () => {
  it('parse, and print where the metrics go with the command that opens them', () => {
    const event = RunEvent.parse({
      v: 1,
      seq: 3,
      ts: 't',
      type: 'tracker',
      tracker: 'tensorboard',
      location: '/r/tensorboard',
      command: 'tensorboard --logdir /r/tensorboard',
    });
    expect(formatEvent(event)).toBe('tracking: TensorBoard /r/tensorboard  (tensorboard --logdir /r/tensorboard)');
    expect(RunEvent.safeParse({ v: 1, seq: 3, ts: 't', type: 'tracker', tracker: 'comet', location: 'x' }).success).toBe(false);
  });
});
