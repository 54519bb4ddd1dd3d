// A Slurm cluster's login node as a Host: files and commands go over SSH like any SSH host (aliases, keys,
// known_hosts, ProxyJump), but the trainer is a Slurm job. spawnDetached writes the sbatch script into the run
// folder and submits it; the job id stands for the pid and the process group, so the launcher, the follower,
// cancel and resume (src/core/runs) work unchanged. isAlive asks Slurm, and records in status.json what only
// Slurm knows: the place in the queue while the job waits, and Slurm's reason when Slurm ended the job without
// the trainer reporting (time limit, node failure, out of memory).
import { RunStatus, TERMINAL_STATES } from '../contracts/status';
import { jobQueryCommand, parseJobQuery, type SlurmJobView } from '../core/hosts/slurmJobs';
import {
  CANCEL_REQUEST_FILE,
  parseSbatchOutput,
  sbatchCommand,
  scancelCommand,
  runJobSettings,
  slurmJobSettings,
  slurmScript,
  SLURM_SCRIPT_FILE,
  type SlurmJobSettings,
} from '../core/hosts/slurmScript';
import type { DetachedProcess } from '../core/hosts/host';
import type { HostSettings } from '../core/hosts/hostSettings';
import { TrainerConfig } from '../contracts/trainerConfig';
import { SshHost, type SshHostOptions } from './sshHost';

const STATUS_FILE = 'status.json';

export class SlurmHost extends SshHost {
  override readonly kind = 'slurm' as const;
  /** Run folder of each job this host submitted or was asked about, to find its status.json. */
  private readonly runDirs = new Map<number, string>();

  readonly cluster: SlurmJobSettings;

  constructor(settings: HostSettings, options: SshHostOptions = {}) {
    super(settings, options);
    this.cluster = slurmJobSettings(settings);
  }

  /** A short command on one compute node (the preflight: GPUs are there, not on the login node). */
  onComputeNode(argv: readonly string[]): string[] {
    const s = this.cluster;
    const resources = [
      '--nodes=1',
      '--ntasks=1',
      ...(s.gpusPerNode > 0 ? [`--gpus-per-node=${s.gpusPerNode}`] : []),
      ...(s.partition ? [`--partition=${s.partition}`] : []),
      ...(s.account ? [`--account=${s.account}`] : []),
      ...(s.qos ? [`--qos=${s.qos}`] : []),
      ...(s.constraint ? [`--constraint=${s.constraint}`] : []),
      '--time=10',
    ];
    return ['srun', ...resources, ...argv];
  }

  override async spawnDetached(argv: string[], options: { cwd: string; logFile: string; env?: Record<string, string> }): Promise<DetachedProcess> {
    const runDir = await this.resolvePath(options.cwd);
    const logFile = await this.resolvePath(options.logFile);
    const trainer = await Promise.all(argv.map((a) => this.resolvePath(a)));
    const runId = runDir.split('/').filter(Boolean).at(-1) ?? 'run';
    const scriptPath = `${runDir}/${SLURM_SCRIPT_FILE}`;
    const settings = runJobSettings(this.cluster, await this.runResources(runDir));
    await this.writeFileAtomic(scriptPath, slurmScript({ runId, runDir, argv: trainer, env: options.env, settings }));
    // Not retried: a second sbatch after a dropped connection could start the run twice.
    const r = await this.run(sbatchCommand({ runId, runDir, scriptPath, logFile }));
    if (r.code !== 0) {
      throw new Error(`sbatch refused the job on ${this.name}: ${r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`} (script: ${scriptPath})`);
    }
    const jobId = parseSbatchOutput(r.stdout);
    this.runDirs.set(jobId, runDir);
    return { pid: jobId, pgid: jobId };
  }

  /** The run's own nodes and GPUs per node from its config.json (the run config's `slurm`), if it sets them. */
  private async runResources(runDir: string): Promise<TrainerConfig['slurm']> {
    try {
      const parsed = TrainerConfig.safeParse(JSON.parse((await this.readFile(`${runDir}/config.json`)).toString('utf8')));
      return parsed.success ? parsed.data.slurm : undefined;
    } catch {
      return undefined; // no readable config.json: the trainer reports that itself; the job gets the host's resources
    }
  }

  /** What Slurm says about a job now (one SSH round trip). */
  async job(jobId: number): Promise<SlurmJobView> {
    const r = await this.run(jobQueryCommand(jobId), { idempotent: true });
    return parseJobQuery(jobId, r.stdout);
  }

  override async isAlive(jobId: number): Promise<boolean> {
    if (!Number.isInteger(jobId) || jobId <= 0) return false;
    const view = await this.job(jobId);
    await this.recordInStatus(jobId, view);
    if (view.phase === 'queued') return true;
    if (view.phase !== 'running') return false;
    // A trainer that has reported its end is done even while the job winds down (torchrun's agents wait for
    // each other before they exit): cancel and resume need not wait for Slurm to notice.
    const status = await this.readStatus(jobId);
    return !(status && TERMINAL_STATES.includes(status.state));
  }

  override async signalGroup(jobId: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<boolean> {
    const view = await this.job(jobId);
    if (view.phase === 'ended' || view.phase === 'unknown') return false;
    // A job still waiting has nothing to checkpoint (and no batch shell to signal): take it out of the queue.
    const how = signal === 'SIGKILL' || view.phase === 'queued' ? 'kill' : 'cancel';
    const runDir = await this.runDirOf(jobId);
    // Every rank polls this file: the run checkpoints and ends cancelled (a bare SIGTERM from Slurm would mean
    // that Slurm is ending the job, which the trainer treats differently).
    if (how === 'cancel' && runDir) await this.writeFileAtomic(`${runDir}/${CANCEL_REQUEST_FILE}`, 'cancel requested by BrightRun\n');
    const r = await this.run(scancelCommand(jobId, how), { idempotent: true });
    if (r.code === 0 && view.phase === 'queued')
      await this.updateStatus(jobId, (s) =>
        TERMINAL_STATES.includes(s.state) ? null : { ...s, state: 'cancelled', queue: null, exit_reason: `Cancelled while queued (Slurm job ${jobId}).` },
      );
    return r.code === 0;
  }

  /** The job's run folder: the one this host submitted it from, else the job's working directory. */
  private async runDirOf(jobId: number): Promise<string | null> {
    const known = this.runDirs.get(jobId);
    if (known) return known;
    const r = await this.run(`scontrol show job ${jobId} 2>/dev/null | sed -n 's/^ *WorkDir=//p'`, { idempotent: true });
    const dir = r.stdout.split('\n')[0]?.trim();
    if (!dir) return null;
    this.runDirs.set(jobId, dir);
    return dir;
  }

  private async readStatus(jobId: number): Promise<RunStatus | null> {
    const runDir = await this.runDirOf(jobId);
    if (!runDir) return null;
    try {
      const parsed = RunStatus.safeParse(JSON.parse((await this.readFile(`${runDir}/${STATUS_FILE}`)).toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private async updateStatus(jobId: number, change: (status: RunStatus) => RunStatus | null): Promise<void> {
    const current = await this.readStatus(jobId);
    const next = current && change(current);
    const runDir = await this.runDirOf(jobId);
    if (next && runDir)
      await this.writeFileAtomic(`${runDir}/${STATUS_FILE}`, JSON.stringify({ ...next, updated_at: new Date().toISOString() }, null, 2) + '\n');
  }

  /** Queue place while waiting; Slurm's reason when the job ended and the trainer never said so. The trainer
   *  rewrites status.json (without a queue) once it runs, so only a run not started yet carries one. */
  private async recordInStatus(jobId: number, view: SlurmJobView): Promise<void> {
    if (view.phase === 'queued') {
      const queue = view.queue;
      await this.updateStatus(jobId, (s) => (s.state !== 'starting' || JSON.stringify(s.queue ?? null) === JSON.stringify(queue) ? null : { ...s, queue }));
    } else if (view.phase === 'ended') {
      await this.updateStatus(jobId, (s) =>
        TERMINAL_STATES.includes(s.state)
          ? null
          : { ...s, state: 'failed', queue: null, exit_reason: view.ok ? `the trainer ended without reporting (${view.reason})` : view.reason },
      );
    }
  }
}
