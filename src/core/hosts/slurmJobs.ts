// What Slurm says about a job, read from `scontrol show job -o` and `squeue` (no slurmdbd, so no sacct: the
// controller keeps finished jobs for MinJobAge seconds), and what that means for a run: waiting in the queue,
// running, or ended, with Slurm's own reason when Slurm ended it.
import type { RunQueue } from '../../contracts/status';

export type SlurmJobView =
  | { phase: 'queued'; jobId: number; state: string; queue: RunQueue }
  | { phase: 'running'; jobId: number; state: string }
  | { phase: 'ended'; jobId: number; state: string; ok: boolean; reason: string }
  | { phase: 'unknown'; jobId: number };

const QUEUED = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'SPECIAL_EXIT']);
const RUNNING = new Set(['RUNNING', 'CONFIGURING', 'COMPLETING', 'SIGNALING', 'STAGE_OUT', 'RESIZING', 'SUSPENDED', 'STOPPED']);

/** Separator lines between the three outputs of jobQueryCommand. */
const SEPARATOR = '--brightrun--';

/** One shell snippet that prints the job's record, the cluster's pending jobs in priority order and the job's
 *  expected start, so one SSH round trip answers the follower's poll. */
export function jobQueryCommand(jobId: number): string {
  if (!Number.isInteger(jobId) || jobId <= 0) throw new Error(`Invalid Slurm job id ${jobId}.`);
  return [
    `scontrol show job -o ${jobId} 2>&1`,
    `echo ${SEPARATOR}`,
    "squeue -h -t PENDING -o '%i' --sort=-p,i 2>/dev/null",
    `echo ${SEPARATOR}`,
    `squeue --start -h -j ${jobId} -o '%S' 2>/dev/null`,
    'exit 0',
  ].join('; ');
}

/** The `Key=Value` fields of a one-line `scontrol show job -o` record (values without spaces are all we read). */
export function parseScontrolJob(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of line.matchAll(/(?:^|\s)([A-Za-z:/]+)=(\S*)/g)) if (!(m[1]! in fields)) fields[m[1]!] = m[2]!;
  return fields;
}

function startTime(value: string | undefined): string | null {
  return value && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(value) ? value : null;
}

/** The words a user reads for a job that Slurm ended without the trainer reporting it. */
export function endedReason(jobId: number, state: string, fields: Record<string, string>): string {
  const exit = fields.ExitCode ?? '';
  switch (state) {
    case 'COMPLETED':
      return `Slurm job ${jobId} completed`;
    case 'TIMEOUT':
      return `Slurm stopped job ${jobId} at its time limit (${fields.TimeLimit ?? 'unknown'}); resume the run from its last checkpoint, and raise timeLimit or signalSeconds`;
    case 'NODE_FAIL':
      return `a node of Slurm job ${jobId} failed (NODE_FAIL); resume the run from its last checkpoint`;
    case 'OUT_OF_MEMORY':
      return `Slurm job ${jobId} ran out of memory (the cgroup's limit): ask for more with "memory", or lower batch_size or max_seq_len`;
    case 'CANCELLED':
      return `Slurm job ${jobId} was cancelled in Slurm (scancel by an administrator or a script, not by BrightRun); resume the run from its last checkpoint`;
    case 'PREEMPTED':
      return `Slurm job ${jobId} was preempted and not requeued; resume the run from its last checkpoint`;
    case 'BOOT_FAIL':
      return `a node of Slurm job ${jobId} failed to boot (BOOT_FAIL)`;
    case 'DEADLINE':
      return `Slurm job ${jobId} reached its deadline`;
    default:
      return `Slurm job ${jobId} ended ${state}${exit && exit !== '0:0' ? ` (exit code ${exit})` : ''}${fields.Reason && fields.Reason !== 'None' ? `: ${fields.Reason}` : ''}`;
  }
}

/** Reads jobQueryCommand's output. */
export function parseJobQuery(jobId: number, stdout: string): SlurmJobView {
  const [record = '', pending = '', start = ''] = stdout.split(new RegExp(`^${SEPARATOR}$`, 'm'));
  if (/Invalid job id/i.test(record) || !/JobId=/.test(record)) return { phase: 'unknown', jobId };
  const fields = parseScontrolJob(record.trim());
  const state = (fields.JobState ?? 'UNKNOWN').toUpperCase();
  if (QUEUED.has(state)) {
    const order = pending
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const index = order.indexOf(String(jobId));
    const expected = startTime(start.trim().split('\n')[0]?.trim()) ?? startTime(fields.StartTime);
    return {
      phase: 'queued',
      jobId,
      state,
      queue: {
        reason: fields.Reason && fields.Reason !== 'None' ? fields.Reason : 'waiting for the scheduler',
        position: index >= 0 ? index + 1 : null,
        expected_start: expected,
      },
    };
  }
  if (RUNNING.has(state)) return { phase: 'running', jobId, state };
  return { phase: 'ended', jobId, state, ok: state === 'COMPLETED', reason: endedReason(jobId, state, fields) };
}
