// Preflight: what the host says about itself (`python -m brightrun_trainer preflight` prints one JSON object)
// turned into problems a user can act on, before anything is uploaded: no Python, no torch, no CUDA or GPU,
// too little GPU memory for this model, too little disk. Errors stop the launch; warnings are shown.
import * as z from 'zod';
import { lazySchema } from '../../contracts/lazySchema';

const num = lazySchema(() => z.number().finite());

/** What the trainer prints (python/brightrun_trainer/preflight.py). Read leniently: unknown fields pass,
 *  every field is optional, so an older or newer trainer still yields a report. */
export const PreflightOutput = lazySchema(() =>
  z
    .object({
      ok: z.boolean(),
      summary: z.string().nullable(),
      python: z.string(),
      executable: z.string(),
      platform: z.string(),
      torch: z.string().nullable(),
      cuda: z.string().nullable(),
      cuda_available: z.boolean(),
      driver: z.string().nullable(),
      gpus: z.array(z.object({ name: z.string(), memory_gb: num.nullish(), memory_total_gb: num.nullish(), free_gb: num.nullish() }).passthrough()),
      packages: z.record(z.string(), z.string().nullable()),
      /** The experiment tracker packages (tensorboard, mlflow, wandb): their versions, null when absent. */
      trackers: z.record(z.string(), z.string().nullable()),
      disk_free_gb: num.nullable(),
      checks: z.array(z.object({ name: z.string(), status: z.string(), detail: z.string() }).passthrough()),
      fit: z
        .object({ estimated_gb: num.nullish(), free_gb: num.nullish(), fits: z.boolean().nullish(), reason: z.string().nullish() })
        .passthrough()
        .nullable(),
    })
    .partial()
    .passthrough(),
);
export type PreflightOutput = z.infer<typeof PreflightOutput>;

export type PreflightKind = 'python' | 'torch' | 'cuda' | 'gpu' | 'memory' | 'disk' | 'trainer' | 'other';

export interface PreflightProblem {
  kind: PreflightKind;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

export interface PreflightReport {
  host: string;
  /** False when any problem is an error. */
  ok: boolean;
  problems: PreflightProblem[];
  /** One line per fact worth showing: Python, torch, GPUs, memory, disk. */
  facts: string[];
  /** GPU name for price defaults and estimates; null without a GPU. */
  gpuName: string | null;
  gpuCount: number;
  raw: PreflightOutput | null;
}

export interface PreflightContext {
  host: string;
  python: string;
  /** The environment will be created (and torch installed) after preflight: a missing torch is no problem. */
  envWillInstall: boolean;
  /** Refuse hosts without a CUDA GPU (off by default: CPU training works for small models and tests). */
  requireGpu?: boolean;
  /** Free disk below this (GB) is an error. */
  minFreeDiskGb?: number;
}

const gb = (n: number | null | undefined) => (n === null || n === undefined ? '?' : `${n.toFixed(n < 10 ? 1 : 0)} GB`);

/** A command that never produced the JSON: no interpreter, a crash, or a trainer too old to know preflight. */
export function preflightFailure(ctx: PreflightContext, code: number, stdout: string, stderr: string): PreflightReport {
  const text = `${stderr}\n${stdout}`;
  let problem: PreflightProblem;
  if (code === 127 || (/not found|No such file or directory/i.test(text) && !/Traceback/.test(text))) {
    problem = {
      kind: 'python',
      severity: 'error',
      message: `Python '${ctx.python}' was not found on ${ctx.host}.`,
      hint: 'Install Python 3.10 or newer there, or set the host\'s "python" setting to the interpreter\'s full path.',
    };
  } else if (/No module named ['"]?torch/.test(text)) {
    problem = {
      kind: 'torch',
      severity: ctx.envWillInstall ? 'warning' : 'error',
      message: `PyTorch is not installed for ${ctx.python} on ${ctx.host}.`,
      hint: ctx.envWillInstall
        ? 'It will be installed into the BrightRun environment.'
        : 'Install torch for that interpreter, or let BrightRun manage the environment (manageEnv: true).',
    };
  } else if (/SyntaxError|requires Python|python_requires/i.test(text)) {
    problem = {
      kind: 'python',
      severity: 'error',
      message: `The Python on ${ctx.host} (${ctx.python}) is too old for the trainer.`,
      hint: 'Use Python 3.10 or newer.',
    };
  } else {
    const tail = text.trim().split('\n').slice(-6).join('\n');
    problem = { kind: 'trainer', severity: 'error', message: `The preflight check failed on ${ctx.host} (exit ${code}):\n${tail}` };
  }
  return { host: ctx.host, ok: problem.severity !== 'error', problems: [problem], facts: [], gpuName: null, gpuCount: 0, raw: null };
}

/** Finds the JSON object in the command's output (the last line that parses), or null. */
export function extractPreflightJson(stdout: string): unknown {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      return JSON.parse(t);
    } catch {
      /* not this line */
    }
  }
  try {
    return JSON.parse(stdout);
  } catch {
    return null;
  }
}

const PACKAGE_CHECKS = new Set(['torch', 'transformers', 'peft', 'safetensors', 'accelerate']);

export function interpretPreflight(ctx: PreflightContext, json: unknown): PreflightReport {
  const parsed = PreflightOutput.safeParse(json);
  if (!parsed.success || typeof json !== 'object' || json === null) {
    return {
      host: ctx.host,
      ok: false,
      problems: [
        {
          kind: 'trainer',
          severity: 'error',
          message: `The preflight on ${ctx.host} printed something unexpected: ${parsed.error?.issues[0]?.message ?? 'not an object'}`,
        },
      ],
      facts: [],
      gpuName: null,
      gpuCount: 0,
      raw: null,
    };
  }
  const out = parsed.data;
  const problems: PreflightProblem[] = [];
  const facts: string[] = [];
  const gpus = out.gpus ?? [];
  if (out.python) facts.push(`Python ${out.python}${out.executable ? ` (${out.executable})` : ''}`);
  if (out.torch) facts.push(`torch ${out.torch}${out.cuda ? ` (CUDA ${out.cuda})` : ' (CPU build)'}`);
  if (gpus.length > 0)
    facts.push(`${gpus.length} × ${gpus[0].name}${gpus[0].memory_gb ? `, ${gb(gpus[0].memory_gb)} each` : ''}${out.driver ? `, driver ${out.driver}` : ''}`);
  if (out.disk_free_gb !== undefined && out.disk_free_gb !== null) facts.push(`disk: ${gb(out.disk_free_gb)} free`);
  const trackers = trackersFact(out.trackers);
  if (trackers) facts.push(trackers);
  if (out.fit?.estimated_gb)
    facts.push(`this run needs about ${gb(out.fit.estimated_gb)}${out.fit.free_gb ? ` of ${gb(out.fit.free_gb)} free GPU memory` : ''}`);

  // Missing packages: an error for an interpreter used as is; a note when the environment will install them.
  const missing = [...PACKAGE_CHECKS].filter((name) => (name === 'torch' ? out.torch === null : out.packages?.[name] === null));
  if (missing.length > 0) {
    const torch = missing.includes('torch');
    problems.push({
      kind: torch ? 'torch' : 'python',
      severity: ctx.envWillInstall ? 'warning' : 'error',
      message: `${torch ? 'PyTorch' : missing.join(', ')}${torch && missing.length > 1 ? ` (and ${missing.filter((m) => m !== 'torch').join(', ')})` : ''} ${missing.length > 1 ? 'are' : 'is'} not installed for ${ctx.python} on ${ctx.host}.`,
      hint: ctx.envWillInstall
        ? 'They will be installed into the BrightRun environment.'
        : "Install the trainer's requirements for that interpreter (pip install -r requirements.txt), or let BrightRun manage the environment (manageEnv: true).",
    });
  }

  if (out.torch && gpus.length === 0) {
    const cpuBuild = !out.cuda;
    const driverButNoCuda = out.driver !== null && out.driver !== undefined;
    problems.push({
      kind: driverButNoCuda ? 'cuda' : 'gpu',
      severity: ctx.requireGpu ? 'error' : 'warning',
      message: driverButNoCuda
        ? `${ctx.host} has an NVIDIA driver (${out.driver}) but torch ${out.torch} cannot use a GPU${cpuBuild ? ' (it is a CPU-only build)' : ` (built for CUDA ${out.cuda})`}.`
        : `No CUDA GPU found on ${ctx.host}: training would run on the CPU, which is only practical for tiny models.`,
      hint: driverButNoCuda ? 'Install a torch build that matches the driver (see pytorch.org, "Get started").' : 'Check the GPU and driver with nvidia-smi.',
    });
  }

  // An interpreter-only report (a fresh host, before its environment exists) has its GPUs from nvidia-smi.
  if (out.torch === undefined && out.packages === undefined && gpus.length === 0) {
    problems.push({
      kind: 'gpu',
      severity: ctx.requireGpu ? 'error' : 'warning',
      message: `No NVIDIA GPU found on ${ctx.host} (nvidia-smi): training would run on the CPU, which is only practical for tiny models.`,
      hint: 'Check the GPU and driver with nvidia-smi.',
    });
  }

  if (out.fit?.fits === false) {
    problems.push({
      kind: 'memory',
      severity: 'error',
      message: `Not enough GPU memory on ${ctx.host} for this run: it needs about ${gb(out.fit.estimated_gb)}, ${gb(out.fit.free_gb)} is free.`,
      hint: out.fit.reason ?? 'Use quantization "4bit", gradient checkpointing, a smaller batch or max sequence length, or a smaller model.',
    });
  }

  const minDisk = ctx.minFreeDiskGb ?? 5;
  if (typeof out.disk_free_gb === 'number' && out.disk_free_gb < minDisk) {
    problems.push({
      kind: 'disk',
      severity: out.disk_free_gb < 0.5 ? 'error' : 'warning',
      message: `Only ${gb(out.disk_free_gb)} of disk is free for the work directory on ${ctx.host}; the environment, checkpoints and the adapter need more (${minDisk} GB recommended).`,
      hint: 'Free some space or point the host\'s "workdir" at a larger disk.',
    });
  }

  // The trainer's own checks that are not covered above (a model it cannot read, for example).
  const covered = new Set([...PACKAGE_CHECKS, 'gpu', 'memory', 'disk']);
  for (const check of out.checks ?? []) {
    if (covered.has(check.name) || (check.status !== 'error' && check.status !== 'warning')) continue;
    const kind: PreflightKind = check.name === 'python' || check.name === 'cuda' ? check.name : 'other';
    problems.push({ kind, severity: check.status === 'error' ? 'error' : 'warning', message: `${ctx.host}: ${check.detail}` });
  }

  return {
    host: ctx.host,
    ok: !problems.some((p) => p.severity === 'error'),
    problems,
    facts,
    gpuName: gpus[0]?.name ?? null,
    gpuCount: gpus.length,
    raw: out,
  };
}

/** "experiment trackers: tensorboard 2.21.0, mlflow 3.17.2; not installed: wandb". */
function trackersFact(trackers: Record<string, string | null> | undefined): string | null {
  if (trackers === undefined) return null;
  const entries = Object.entries(trackers);
  const present = entries.filter(([, version]) => version !== null).map(([name, version]) => `${name} ${version}`);
  const absent = entries.filter(([, version]) => version === null).map(([name]) => name);
  return `experiment trackers: ${present.length > 0 ? present.join(', ') : 'none'}${absent.length > 0 && present.length > 0 ? `; not installed: ${absent.join(', ')}` : ''}`;
}

export function formatPreflight(report: PreflightReport, options: { problemsOnly?: boolean } = {}): string {
  const lines = options.problemsOnly ? [] : report.facts.map((f) => `  ${f}`);
  for (const p of report.problems) {
    lines.push(`  ${p.severity === 'error' ? 'error' : 'warning'}: ${p.message}${p.hint ? `\n    ${p.hint}` : ''}`);
  }
  return lines.join('\n');
}
