// What a user configures for a host: the same shape in VS Code settings (`brightrun.hosts`) and in the CLI's
// ~/.brightrun/hosts.json. An SSH host is either an alias from ~/.ssh/config or an explicit host/user/port/key.
import * as z from 'zod';
import { lazySchema } from '../../contracts/lazySchema';

export const DEFAULT_WORKDIR = '~/.brightrun';
export const DEFAULT_PYTHON = 'python3';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

const SLURM_TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$/;
const SLURM_WORD = /^[A-Za-z0-9_.,:+=@%-]+$/;
const slurmWord = (what: string) => z.string().regex(SLURM_WORD, `${what}: letters, digits and _ . , : + = @ % - only.`);

/** Cluster settings of a `slurm` host (ignored by other kinds; defaults in slurmScript.ts's slurmJobSettings). */
export const SlurmSettings = lazySchema(() =>
  z.object({
    partition: slurmWord('partition').optional(),
    account: slurmWord('account').optional(),
    qos: slurmWord('qos').optional(),
    /** Slurm's time format: minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]. */
    timeLimit: z.string().regex(SLURM_TIME, 'Use Slurm\'s time format, e.g. "04:00:00" or "1-00:00:00".').optional(),
    /** Default 1. */
    nodes: z.number().int().min(1).max(4096).optional(),
    /** GPUs per node (default 1); 0 trains on the CPUs (one process per node). */
    gpusPerNode: z.number().int().min(0).max(64).optional(),
    cpusPerTask: z.number().int().min(1).optional(),
    /** Memory per node, Slurm's format (e.g. "64G"). */
    memory: z
      .string()
      .regex(/^\d+[KMGT]?$/, 'Use Slurm\'s memory format, e.g. "64G".')
      .optional(),
    constraint: z.string().min(1).optional(),
    /** More sbatch options, one argument each (e.g. ["--exclusive"]). */
    sbatchArgs: z.array(z.string().regex(/^--?[A-Za-z]/, 'Each extra sbatch argument starts with "-".')).optional(),
    /** Seconds before the time limit at which Slurm warns the job (SIGUSR1) so it checkpoints and is requeued (default 300). */
    signalSeconds: z.number().int().min(10).max(3600).optional(),
  }),
);

export const HostSettings = lazySchema(() =>
  z
    .object({
      name: z.string().regex(NAME, 'Use letters, digits, ".", "_", "@" or "-" (at most 64 characters).'),
      /** slurm: a cluster's login node, reached over SSH like an ssh host; runs are submitted with sbatch. */
      kind: z.enum(['local', 'ssh', 'slurm']).default('ssh'),
      /** An alias from ~/.ssh/config; its HostName/User/Port/IdentityFile/ProxyJump apply unless set below. */
      sshAlias: z.string().min(1).optional(),
      host: z.string().min(1).optional(),
      user: z.string().min(1).optional(),
      port: z.number().int().min(1).max(65535).optional(),
      /** Private key file; ~ is the local home directory. */
      identityFile: z.string().min(1).optional(),
      /** Work directory on the host: runs/, envs/, datasets/ and trainer/ live under it. */
      workdir: z.string().min(1).default(DEFAULT_WORKDIR),
      /** The interpreter that creates the virtualenv (or runs the trainer when manageEnv is false). */
      python: z.string().min(1).default(DEFAULT_PYTHON),
      /** false: use `python` as it is (its packages must already include torch, transformers, peft). */
      manageEnv: z.boolean().default(true),
      /** Passed to `python -m venv` so an environment can reuse packages already installed system-wide. */
      systemSitePackages: z.boolean().default(false),
      /** USD per GPU-hour for cost estimates; null: defaults from the GPU preflight detects. */
      pricePerGpuHour: z.number().min(0).nullable().default(null),
      /** Runs at once on a local or SSH host; more wait in its queue. Absent: as many as fit the free GPUs (a run takes
       *  the GPUs it asks for), 1 on a host without GPUs. Slurm hosts use Slurm's queue. */
      maxConcurrentRuns: z.number().int().min(1).max(1024).optional(),
      ...SlurmSettings.shape,
    })
    .refine((h) => h.kind === 'local' || h.sshAlias !== undefined || h.host !== undefined, {
      message: 'An SSH host needs either "sshAlias" (a Host from ~/.ssh/config) or "host".',
      path: ['host'],
    }),
);

export type HostSettings = z.infer<typeof HostSettings>;
export type HostSettingsInput = z.input<typeof HostSettings>;

export const HostsFile = lazySchema(() => z.object({ hosts: z.array(HostSettings) }));

/** Validates a hosts list; every problem is reported with its JSON path so the user knows what to fix. */
export function parseHostsList(value: unknown, source: string): HostSettings[] {
  // No hosts (the setting's default) is valid without building the schema, which activation would otherwise wait for.
  if (Array.isArray(value) && value.length === 0) return [];
  const parsed = HostsFile.safeParse(Array.isArray(value) ? { hosts: value } : value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid host settings in ${source}:\n${problems.join('\n')}`);
  }
  const seen = new Set<string>();
  for (const h of parsed.data.hosts) {
    if (seen.has(h.name)) throw new Error(`Host '${h.name}' is defined twice in ${source}.`);
    seen.add(h.name);
  }
  return parsed.data.hosts;
}

/** Settings for a name that is not configured anywhere: treated as an ~/.ssh/config alias, like `ssh NAME`. */
export function aliasHostSettings(name: string): HostSettings {
  return HostSettings.parse({ name, kind: 'ssh', sshAlias: name });
}
