// The trainer's preflight JSON (shape of python/brightrun_trainer/preflight.py) into problems a user can act on.
import { describe, expect, it } from 'vitest';
import { extractPreflightJson, formatPreflight, interpretPreflight, preflightFailure } from '../../../src/core/hosts/preflight';

const ctx = { host: 'gpu-box', python: 'python3', envWillInstall: false };

const cpuHost = {
  python: '3.11.7',
  executable: '/usr/bin/python3',
  torch: '2.13.0+cpu',
  cuda: null,
  cuda_available: false,
  gpus: [],
  driver: null,
  packages: { transformers: '4.57.6', peft: '0.21.2', accelerate: '1.15.0', safetensors: '0.8.0', bitsandbytes: null },
  disk_free_gb: 81.8,
  fit: { estimated_gb: 0.82, free_gb: null, fits: null, reason: null },
  checks: [
    { name: 'torch', status: 'ok', detail: 'torch 2.13.0+cpu' },
    { name: 'gpu', status: 'warning', detail: 'no CUDA GPU: training runs on the CPU (slow)' },
    { name: 'memory', status: 'warning', detail: 'needs about 0.82 GB' },
  ],
  ok: true,
};

const gpuHost = {
  ...cpuHost,
  torch: '2.5.1+cu124',
  cuda: '12.4',
  cuda_available: true,
  driver: '550.54',
  gpus: [{ index: 0, name: 'NVIDIA A100-SXM4-80GB', memory_gb: 85.1, free_gb: 84.6, bf16: true }],
  fit: { estimated_gb: 20.5, free_gb: 84.6, fits: true, reason: null },
  checks: [],
};

describe('preflight', () => {
  it('accepts a CPU host with a warning, and lists the facts', () => {
    const r = interpretPreflight(ctx, cpuHost);
    expect(r.ok).toBe(true);
    expect(r.problems.map((p) => [p.kind, p.severity])).toEqual([['gpu', 'warning']]);
    expect(r.facts).toContain('torch 2.13.0+cpu (CPU build)');
    expect(r.facts.some((f) => f.startsWith('Python 3.11.7'))).toBe(true);
    expect(r.gpuName).toBeNull();
  });

  it('refuses a CPU host when a GPU is required', () => {
    expect(interpretPreflight({ ...ctx, requireGpu: true }, cpuHost).ok).toBe(false);
  });

  it('accepts a GPU host that fits and reports the GPU', () => {
    const r = interpretPreflight(ctx, gpuHost);
    expect(r).toMatchObject({ ok: true, problems: [], gpuName: 'NVIDIA A100-SXM4-80GB', gpuCount: 1 });
    expect(formatPreflight(r)).toContain('1 × NVIDIA A100-SXM4-80GB, 85 GB each, driver 550.54');
  });

  it('stops a run that does not fit in GPU memory, with the trainer advice', () => {
    const r = interpretPreflight(ctx, { ...gpuHost, fit: { estimated_gb: 120, free_gb: 79.1, fits: false, reason: 'lower batch_size' } });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ kind: 'memory', severity: 'error', hint: 'lower batch_size' });
    expect(r.problems[0].message).toMatch(/needs about 120 GB, 79 GB is free/);
  });

  it('explains a driver without a usable torch build', () => {
    const r = interpretPreflight(ctx, { ...gpuHost, torch: '2.5.1+cpu', cuda: null, cuda_available: false, gpus: [] });
    expect(r.problems[0]).toMatchObject({ kind: 'cuda', severity: 'warning' });
    expect(r.problems[0].message).toMatch(/driver \(550\.54\).*CPU-only build/);
  });

  it('is an error when torch is missing from an interpreter used as is, a note when the env will install it', () => {
    const noTorch = { ...cpuHost, torch: null, packages: { ...cpuHost.packages, transformers: null }, gpus: [] };
    const asIs = interpretPreflight(ctx, noTorch);
    expect(asIs.ok).toBe(false);
    expect(asIs.problems[0]).toMatchObject({ kind: 'torch', severity: 'error' });
    expect(asIs.problems[0].message).toMatch(/PyTorch \(and transformers\) are not installed for python3 on gpu-box/);
    const managed = interpretPreflight({ ...ctx, envWillInstall: true }, noTorch);
    expect(managed.ok).toBe(true);
    expect(managed.problems[0].hint).toMatch(/installed into the BrightRun environment/);
  });

  it('flags low disk as a warning, and a nearly full disk as an error', () => {
    expect(interpretPreflight(ctx, { ...gpuHost, disk_free_gb: 2 }).problems[0]).toMatchObject({ kind: 'disk', severity: 'warning' });
    const full = interpretPreflight(ctx, { ...gpuHost, disk_free_gb: 0.1 });
    expect(full.ok).toBe(false);
    expect(full.problems[0].message).toMatch(/Only 0\.1 GB of disk is free/);
  });

  it('keeps trainer checks it does not derive itself, such as an unreadable model', () => {
    const r = interpretPreflight(ctx, { ...gpuHost, checks: [{ name: 'model', status: 'error', detail: "cannot read the config of 'x/y'" }] });
    expect(r.ok).toBe(false);
    expect(r.problems[0].message).toBe("gpu-box: cannot read the config of 'x/y'");
  });

  it('reads an interpreter-only report (a fresh host before its environment): GPUs from nvidia-smi, no package problems', () => {
    const bare = {
      python: '3.11.2',
      executable: '/usr/bin/python3',
      driver: '550.54',
      gpus: [{ index: 0, name: 'NVIDIA L4', memory_gb: 24.2, free_gb: 23.9 }],
      disk_free_gb: 120,
      checks: [{ name: 'disk', status: 'ok', detail: '120 GB free' }],
      ok: true,
    };
    const r = interpretPreflight({ ...ctx, envWillInstall: true }, bare);
    expect(r).toMatchObject({ ok: true, problems: [], gpuName: 'NVIDIA L4', gpuCount: 1 });
    const noGpu = interpretPreflight({ ...ctx, envWillInstall: true }, { ...bare, driver: null, gpus: [] });
    expect(noGpu.problems.map((p) => [p.kind, p.severity])).toEqual([['gpu', 'warning']]);
    expect(noGpu.problems[0].message).toMatch(/No NVIDIA GPU found on gpu-box \(nvidia-smi\)/);
  });

  it('reports a Python too old for the trainer as a Python problem', () => {
    const old = {
      ...gpuHost,
      python: '3.8.10',
      checks: [{ name: 'python', status: 'error', detail: 'Python 3.8.10 is too old: the trainer needs 3.10 or newer' }],
    };
    const r = interpretPreflight(ctx, old);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ kind: 'python', severity: 'error', message: 'gpu-box: Python 3.8.10 is too old: the trainer needs 3.10 or newer' });
  });

  it('explains a missing interpreter, a missing torch, and anything else the command printed', () => {
    expect(preflightFailure(ctx, 127, '', 'python3: not found').problems[0]).toMatchObject({ kind: 'python', severity: 'error' });
    expect(preflightFailure(ctx, 1, '', "Traceback...\nModuleNotFoundError: No module named 'torch'").problems[0]).toMatchObject({ kind: 'torch' });
    expect(preflightFailure(ctx, 1, '', 'Traceback...\nKeyError: boom').problems[0].message).toMatch(/failed on gpu-box \(exit 1\):\n.*KeyError: boom/s);
  });

  it('finds the JSON line among other output and rejects something that is not a report', () => {
    expect(extractPreflightJson(`warning: something\n${JSON.stringify(cpuHost)}\n`)).toEqual(cpuHost);
    expect(extractPreflightJson('no json here')).toBeNull();
    expect(interpretPreflight(ctx, { gpus: 'many' }).problems[0].kind).toBe('trainer');
  });
});
