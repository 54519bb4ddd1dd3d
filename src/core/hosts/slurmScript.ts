// The sbatch script of a run on a Slurm cluster, and the sbatch/scancel command lines that go with it. The script
// is written into the run folder (kept for the user to read and to resubmit by hand) and runs the trainer once per
// node through srun; each node's trainer entry starts torchrun with a c10d rendezvous on the first node.
//
// Stopping goes through files on the shared filesystem, which every rank on every node polls. A user's cancel
// writes cancel.request (the run ends cancelled). Slurm's warning before the time limit (SIGUSR1 to the batch
// shell) becomes preempt.request: the trainer checkpoints and exits without ending the run, and the script
// requeues its own job, which resumes the run from the checkpoint. When Slurm itself ends the job (time limit
// reached, scancel by an administrator, preemption), every process gets SIGTERM: the trainer checkpoints the
// same way, and the host reports the run with Slurm's reason, or follows the requeued job.
import type { SlurmSettings } from './hostSettings';
import { remoteArgv, remoteWord } from './remoteCommands';
import { shellEnvPrefix, shellQuote } from './shellQuote';
import type * as z from 'zod';

type Given = z.infer<typeof SlurmSettings>;
export type SlurmJobSettings = Given & Required<Pick<Given, 'nodes' | 'gpusPerNode' | 'sbatchArgs' | 'signalSeconds'>>;

/** A host's cluster settings with the defaults filled in: one node, one GPU, a warning 5 minutes before the end. */
export function slurmJobSettings(given: Given): SlurmJobSettings {
  return {
    ...given,
    nodes: given.nodes ?? 1,
    gpusPerNode: given.gpusPerNode ?? 1,
    sbatchArgs: given.sbatchArgs ?? [],
    signalSeconds: given.signalSeconds ?? 300,
  };
}

/** A run's own nodes and GPUs per node (config.json's `slurm`, from the run config) over the host's settings. */
export function runJobSettings(host: SlurmJobSettings, run: { nodes?: number; gpus_per_node?: number } | undefined): SlurmJobSettings {
  return { ...host, nodes: run?.nodes ?? host.nodes, gpusPerNode: run?.gpus_per_node ?? host.gpusPerNode };
}

/** GPUs a job holds (what its cost multiplies by): a CPU-only job counts one per node. */
export function jobGpus(settings: Pick<SlurmJobSettings, 'nodes' | 'gpusPerNode'>): number {
  return settings.nodes * Math.max(1, settings.gpusPerNode);
}

export const SLURM_SCRIPT_FILE = 'job.sbatch';
/** Written by the batch shell; the trainer's own names (python/brightrun_trainer/runtime.py). */
export const CANCEL_REQUEST_FILE = 'cancel.request';
export const PREEMPT_REQUEST_FILE = 'preempt.request';

/** #SBATCH lines for the resources; values are checked words (hostSettings.ts), never paths. */
export function sbatchDirectives(settings: SlurmJobSettings): string[] {
  const lines = [`--nodes=${settings.nodes}`, '--ntasks-per-node=1'];
  if (settings.gpusPerNode > 0) lines.push(`--gpus-per-node=${settings.gpusPerNode}`);
  if (settings.cpusPerTask !== undefined) lines.push(`--cpus-per-task=${settings.cpusPerTask}`);
  if (settings.memory !== undefined) lines.push(`--mem=${settings.memory}`);
  if (settings.partition !== undefined) lines.push(`--partition=${settings.partition}`);
  if (settings.account !== undefined) lines.push(`--account=${settings.account}`);
  if (settings.qos !== undefined) lines.push(`--qos=${settings.qos}`);
  if (settings.timeLimit !== undefined) lines.push(`--time=${settings.timeLimit}`);
  // B: the warning goes to the batch shell only, which tells every rank through the shared run folder.
  lines.push(`--signal=B:USR1@${settings.signalSeconds}`, '--requeue');
  return lines.map((l) => `#SBATCH ${l}`);
}

export interface SlurmScriptInput {
  runId: string;
  runDir: string;
  /** The trainer's command line (python -m brightrun_trainer train --run-dir DIR [--resume]). */
  argv: readonly string[];
  env?: Record<string, string>;
  settings: SlurmJobSettings;
}

export function slurmScript(input: SlurmScriptInput): string {
  const { settings } = input;
  const resume = input.argv.includes('--resume');
  const trainer = input.argv.filter((a) => a !== '--resume');
  const constraint = settings.constraint === undefined ? [] : [`#SBATCH --constraint=${shellQuote(settings.constraint)}`];
  const exports = Object.keys(input.env ?? {}).length > 0 ? [`export ${shellEnvPrefix(input.env).trim()}`] : [];
  return [
    '#!/bin/bash',
    `# BrightRun run ${input.runId}: submitted with sbatch by BrightRun and kept here for reference.`,
    ...sbatchDirectives(settings),
    ...constraint,
    ...settings.sbatchArgs.map((a) => `#SBATCH ${a}`),
    'set -u',
    `run_dir=${remoteWord(input.runDir)}`,
    ...exports,
    `resume=${resume ? '--resume' : ''}`,
    '# A requeued job (time limit, preemption, node failure) continues the run from its latest checkpoint.',
    'if [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ]; then resume=--resume; fi',
    `rm -f "$run_dir/${CANCEL_REQUEST_FILE}" "$run_dir/${PREEMPT_REQUEST_FILE}"`,
    '# This shell runs on the first node, which hosts the rendezvous; the port is unique per job.',
    'export BRIGHTRUN_NNODES="$SLURM_JOB_NUM_NODES"',
    `export BRIGHTRUN_NPROC_PER_NODE=${Math.max(1, settings.gpusPerNode)}`,
    'export BRIGHTRUN_RDZV_ENDPOINT="$(hostname):$((20000 + SLURM_JOB_ID % 20000))"',
    'export BRIGHTRUN_RDZV_ID="$SLURM_JOB_ID"',
    'export OMP_NUM_THREADS="${OMP_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}"',
    `trap 'echo "brightrun: Slurm warned that the job ends soon: checkpointing for a requeue"; : > "$run_dir/${PREEMPT_REQUEST_FILE}"' USR1`,
    "# SIGTERM: BrightRun's cancel (it wrote the request file first) or Slurm ending the job (it signals the trainer too).",
    `trap 'echo "brightrun: SIGTERM: the trainer checkpoints and stops"' TERM`,
    `srun --ntasks-per-node=1 --kill-on-bad-exit=1 ${remoteArgv(trainer)} \${resume:+"$resume"} &`,
    'step=$!',
    '# wait returns early when a trap runs; keep waiting until the step has really ended.',
    'while :; do wait "$step"; code=$?; kill -0 "$step" 2>/dev/null || break; done',
    `if [ -e "$run_dir/${PREEMPT_REQUEST_FILE}" ] && [ ! -e "$run_dir/${CANCEL_REQUEST_FILE}" ]; then`,
    '  echo "brightrun: requeueing job $SLURM_JOB_ID"',
    '  scontrol requeue "$SLURM_JOB_ID" && exit 0',
    'fi',
    'exit "$code"',
    '',
  ].join('\n');
}

/** `%` starts a filename pattern in sbatch's --output; a literal one is written `%%`. */
function slurmFileName(path: string): string {
  return path.replace(/%/g, '%%');
}

/** Submits the script; prints the job id (--parsable: "ID" or "ID;cluster"). */
export function sbatchCommand(input: { runId: string; runDir: string; scriptPath: string; logFile: string }): string {
  return remoteArgv([
    'sbatch',
    '--parsable',
    `--job-name=brightrun-${input.runId}`,
    `--chdir=${input.runDir}`,
    `--output=${slurmFileName(input.logFile)}`,
    '--open-mode=append',
    input.scriptPath,
  ]);
}

export function parseSbatchOutput(stdout: string): number {
  const m = /^(\d+)(;\S+)?\s*$/m.exec(stdout.trim());
  if (!m) throw new Error(`sbatch did not print a job id: ${JSON.stringify(stdout.slice(0, 200))}`);
  return Number(m[1]);
}

/** Cancel wakes the batch shell with SIGTERM (after the cancel request was written); kill ends the job now. */
export function scancelCommand(jobId: number, how: 'cancel' | 'kill'): string {
  if (!Number.isInteger(jobId) || jobId <= 0) throw new Error(`Invalid Slurm job id ${jobId}.`);
  return how === 'cancel' ? `scancel --batch --signal=TERM ${jobId}` : `scancel ${jobId}`;
}
