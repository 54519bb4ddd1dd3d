// Which experiment tracker packages a host has, as the preflight says it (python/brightrun_trainer/preflight.py).
import { describe, expect, it } from 'vitest';
import { interpretPreflight } from '../../../src/core/hosts/preflight';

const ctx = { host: 'gpu-box', python: 'python3', envWillInstall: false };
const host = {
  python: '3.11.7',
  torch: '2.13.0+cpu',
  cuda: null,
  gpus: [],
  packages: { transformers: '4.57.6', peft: '0.21.2' },
  disk_free_gb: 80,
  checks: [],
  ok: true,
};

describe('preflight of the experiment trackers', () => {
  it('lists the tracker packages the host has and those it lacks', () => {
    const r = interpretPreflight(ctx, { ...host, trackers: { tensorboard: '2.21.0', mlflow: '3.17.2', wandb: null } });
    expect(r.facts).toContain('experiment trackers: tensorboard 2.21.0, mlflow 3.17.2; not installed: wandb');
    expect(interpretPreflight(ctx, { ...host, trackers: { tensorboard: null, mlflow: null, wandb: null } }).facts).toContain('experiment trackers: none');
  });

  it('says nothing of trackers for an older trainer that does not report them', () => {
    expect(interpretPreflight(ctx, host).facts.some((fact) => fact.includes('trackers'))).toBe(false);
  });

  it('shows the warning for a tracker the run needs but the host lacks, without stopping the launch', () => {
    const detail =
      'this run reports to W&B, but wandb is not installed for this Python, so the run goes on without it. Install it with: python3 -m pip install wandb';
    const r = interpretPreflight(ctx, { ...host, trackers: { wandb: null }, checks: [{ name: 'tracking', status: 'warning', detail }] });
    expect(r.ok).toBe(true);
    expect(r.problems).toContainEqual({ kind: 'other', severity: 'warning', message: `gpu-box: ${detail}` });
  });
});
