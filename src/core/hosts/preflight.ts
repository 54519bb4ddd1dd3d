// Preflight: what the host says about itself (`python -m brightrun_trainer preflight` prints one JSON object)
// turned into problems a user can act on, before anything is uploaded: no Python, no torch, no CUDA or GPU,
// too little GPU memory for this model, too little disk. Errors stop the launch; warnings are shown.
import { z } from 'zod';

const num = z.number().finite();

/** What the trainer reports. Every part is optional so an older or newer trainer still gets a report. */
export const PreflightOutput = z
  .object({
    python: z.object({ version: z.string(), executable: z.string().optional() }).partial().passthrough().nullish(),
    torch: z
      .object({ version: z.string().nullish(), cuda: z.string().nullish(), cuda_available: z.boolean().nullish(), error: z.string().nullish() })
      .partial()
      .passthrough()
      .nullish(),
    gpus: z
      .array(z.object({ name: z.string(), memory_gb: num.nullish(), memory_total_gb: num.nullish(), memory_free_gb: num.nullish() }).partial().passthrough())
      .nullish(),
    memory: z.object({ total_gb: num.nullish(), available_gb: num.nullish() }).partial().passthrough().nullish(),
    disk: z.object({ path: z.string().nullish(), free_gb: num.nullish(), total_gb: num.nullish() }).partial().passthrough().nullish(),
    /** Estimated memory the run needs against what the device has, when a model was given. */
    fit: z
      .object({ required_gb: num.nullish(), available_gb: num.nullish(), fits: z.boolean().nullish(), device: z.string().nullish(), note: z.string().nullish() })
      .partial()
      .passthrough()
      .nullish(),
    packages: z.record(z.string(), z.string().nullable()).nullish(),
    problems: z
      .array(z.union([z.string(), z.object({ severity: z.string().optional(), message: z.string(), hint: z.string().nullish(), kind: z.string().nullish() }).passthrough()]))
      .nullish(),
  })
  .passthrough();
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
  if (code === 127 || /not found|No such file or directory/i.test(text) && !/Traceback/.test(text)) {
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
      hint: ctx.envWillInstall ? 'It will be installed into the BrightRun environment.' : 'Install torch for that interpreter, or let BrightRun manage the environment (manageEnv: true).',
    };
  } else if (/SyntaxError|requires Python|python_requires/i.test(text)) {
    problem = { kind: 'python', severity: 'error', message: `The Python on ${ctx.host} (${ctx.python}) is too old for the trainer.`, hint: 'Use Python 3.10 or newer.' };
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

export function interpretPreflight(ctx: PreflightContext, json: unknown): PreflightReport {
  const parsed = PreflightOutput.safeParse(json);
  if (!parsed.success) {
    return {
      host: ctx.host,
      ok: false,
      problems: [{ kind: 'trainer', severity: 'error', message: `The preflight on ${ctx.host} printed something unexpected: ${parsed.error.issues[0]?.message ?? 'not an object'}` }],
      facts: [],
      gpuName: null,
      gpuCount: 0,
      raw: null,
    };
  }
  const out = parsed.data;
  const problems: PreflightProblem[] = [];
  const facts: string[] = [];
  if (out.python?.version) facts.push(`Python ${out.python.version}${out.python.executable ? ` (${out.python.executable})` : ''}`);

  const torchVersion = out.torch?.version ?? out.packages?.torch ?? null;
  if (!torchVersion) {
    problems.push({
      kind: 'torch',
      severity: ctx.envWillInstall ? 'warning' : 'error',
      message: `PyTorch is not installed for ${ctx.python} on ${ctx.host}${out.torch?.error ? ` (${out.torch.error})` : ''}.`,
      hint: ctx.envWillInstall ? 'It will be installed into the BrightRun environment.' : 'Install torch for that interpreter, or let BrightRun manage the environment (manageEnv: true).',
    });
  } else {
    facts.push(`torch ${torchVersion}${out.torch?.cuda ? ` (CUDA ${out.torch.cuda})` : ' (no CUDA build)'}`);
  }

  const gpus = out.gpus ?? [];
  const cudaAvailable = out.torch?.cuda_available ?? gpus.length > 0;
  if (gpus.length > 0) {
    facts.push(`${gpus.length} × ${gpus[0].name}${gpus[0].memory_total_gb ?? gpus[0].memory_gb ? `, ${gb(gpus[0].memory_total_gb ?? gpus[0].memory_gb)} each` : ''}`);
  }
  if (torchVersion && (gpus.length === 0 || !cudaAvailable)) {
    const noGpu = gpus.length === 0;
    problems.push({
      kind: noGpu ? 'gpu' : 'cuda',
      severity: ctx.requireGpu ? 'error' : 'warning',
      message: noGpu
        ? `No CUDA GPU found on ${ctx.host}: training would run on the CPU, which is only practical for tiny models.`
        : `${ctx.host} has ${gpus[0].name} but torch cannot use it (torch ${torchVersion} ${out.torch?.cuda ? `built for CUDA ${out.torch.cuda}` : 'is a CPU-only build'}).`,
      hint: noGpu ? 'Check the driver with nvidia-smi.' : 'Install a torch build that matches the driver (pip install torch --index-url https://download.pytorch.org/whl/cu121, for example).',
    });
  }

  if (out.memory?.total_gb) facts.push(`RAM ${gb(out.memory.available_gb)} free of ${gb(out.memory.total_gb)}`);
  if (out.fit && out.fit.fits === false) {
    problems.push({
      kind: 'memory',
      severity: 'error',
      message: `Not enough ${out.fit.device ?? 'GPU'} memory on ${ctx.host} for this model: it needs about ${gb(out.fit.required_gb)}, ${gb(out.fit.available_gb)} is available.`,
      hint: out.fit.note ?? 'Use quantization "4bit", gradient checkpointing, a smaller batch or max sequence length, or a smaller model.',
    });
  } else if (out.fit?.required_gb) {
    facts.push(`this model needs about ${gb(out.fit.required_gb)} of ${gb(out.fit.available_gb)}`);
  }

  const minDisk = ctx.minFreeDiskGb ?? 5;
  if (out.disk?.free_gb !== undefined && out.disk?.free_gb !== null) {
    facts.push(`disk ${gb(out.disk.free_gb)} free${out.disk.path ? ` at ${out.disk.path}` : ''}`);
    if (out.disk.free_gb < minDisk) {
      problems.push({
        kind: 'disk',
        severity: out.disk.free_gb < 0.5 ? 'error' : 'warning',
        message: `Only ${gb(out.disk.free_gb)} of disk is free on ${ctx.host}${out.disk.path ? ` at ${out.disk.path}` : ''}; checkpoints, the environment and the adapter need more (at least ${minDisk} GB recommended).`,
        hint: 'Free some space or point the host\'s "workdir" at a larger disk.',
      });
    }
  }

  // Problems the trainer itself found and we do not derive above (kept, so nothing it says is lost).
  for (const p of out.problems ?? []) {
    const message = typeof p === 'string' ? p : p.message;
    if (problems.some((q) => q.message === message)) continue;
    const severity = typeof p === 'string' ? 'error' : p.severity === 'warning' || p.severity === 'info' ? 'warning' : 'error';
    const kind = (typeof p === 'string' ? 'other' : (p.kind as PreflightKind | undefined)) ?? 'other';
    // Our own derivations above already cover these kinds; the trainer's word on them would be a duplicate.
    if (problems.some((q) => q.kind === kind) && kind !== 'other') continue;
    problems.push({ kind, severity, message, hint: typeof p === 'string' ? undefined : (p.hint ?? undefined) });
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

export function formatPreflight(report: PreflightReport, options: { problemsOnly?: boolean } = {}): string {
  const lines = options.problemsOnly ? [] : report.facts.map((f) => `  ${f}`);
  for (const p of report.problems) {
    lines.push(`  ${p.severity === 'error' ? 'error' : 'warning'}: ${p.message}${p.hint ? `\n    ${p.hint}` : ''}`);
  }
  return lines.join('\n');
}
