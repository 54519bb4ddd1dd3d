// The run queue of a local or SSH host, seen from the engine. The queue itself lives on the host
// (<workdir>/queue.json, kept by python/brightrun_trainer/host_queue.py under a lock): every run there starts as a
// waiter (`queue wait`) that becomes the trainer when its turn and GPUs come, so the pid the launcher records is the
// run's from the first second. Slurm hosts use Slurm's own queue and start the trainer directly.
import type { Host } from '../hosts/host';
import { CancelledWaiting, HostQueueListing, MovedUp, RevivedWaiter, type HostQueueEntry } from '../../contracts/hostQueue';
import type { RunStatus } from '../../contracts/status';
import { appendAttempt, latestAttempt } from './launchRecord';
import type { TrainerRuntime } from './trainerRuntime';
import type * as z from 'zod';

export function usesHostQueue(host: Host): boolean {
  return host.kind !== 'slurm';
}

/** A run waiting in its host's queue (not in a scheduler's: those are Slurm's). */
export function waitsInHostQueue(host: Host, status: RunStatus | null): boolean {
  return usesHostQueue(host) && status?.state === 'starting' && !!status.queue;
}

const maxRuns = (runtime: TrainerRuntime) => (runtime.maxConcurrentRuns ? ['--max-runs', String(runtime.maxConcurrentRuns)] : []);
const queueDirArgs = (runtime: TrainerRuntime) => (runtime.queueDir ? ['--queue-dir', runtime.queueDir] : []);
const queueDir = (host: Host, runtime: TrainerRuntime) => runtime.queueDir ?? host.workdir;

/** The command line that starts a run's detached process on its host. */
export function trainerArgv(host: Host, runtime: TrainerRuntime, runDir: string, resume: boolean): string[] {
  const trainer = ['-m', 'brightrun_trainer', ...(usesHostQueue(host) ? ['queue', 'wait'] : ['train']), '--run-dir', runDir];
  return [runtime.python, ...trainer, ...(resume ? ['--resume'] : []), ...(usesHostQueue(host) ? [...maxRuns(runtime), ...queueDirArgs(runtime)] : [])];
}

async function queueCommand<T extends z.ZodType>(host: Host, runtime: TrainerRuntime, args: string[], schema: T): Promise<z.infer<T>> {
  const r = await host.exec([runtime.python, '-m', 'brightrun_trainer', 'queue', ...args], { env: runtime.env, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(r.stderr.trim().replace(/^error: /, '') || `the queue command failed on ${host.name} (exit code ${r.code})`);
  const parsed = schema.safeParse(JSON.parse(r.stdout));
  if (!parsed.success) throw new Error(`unexpected answer from the queue on ${host.name}: ${r.stdout.slice(0, 200)}`);
  return parsed.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once a just-started waiter has taken its place in the queue (it writes status.json with its pid), so
 *  runs launched one after the other queue in that order, whichever waiter's Python starts first. */
export async function awaitEnrolment(host: Host, runDir: string, pid: number, read: (host: Host, runDir: string) => Promise<RunStatus | null>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await read(host, runDir))?.pid === pid || !(await host.isAlive(pid))) return;
    await sleep(100);
  }
}

/** The host's queue in order: runs started from it first, then the waiting ones by position. */
export async function listHostQueue(host: Host, runtime: TrainerRuntime): Promise<HostQueueEntry[]> {
  return (await queueCommand(host, runtime, ['list', '--workdir', queueDir(host, runtime)], HostQueueListing)).queue;
}

/** Moves a waiting run one place up; resolves to its new position. */
export async function moveUpInHostQueue(host: Host, runtime: TrainerRuntime, runId: string): Promise<number> {
  return (await queueCommand(host, runtime, ['move-up', '--workdir', queueDir(host, runtime), runId], MovedUp)).position;
}

/** Starts the waiter of a queued run again after its machine restarted (two clients at once start one); the new
 *  process becomes the run's latest attempt. Resolves true when one was started. */
export async function reviveWaiter(host: Host, runtime: TrainerRuntime, runDir: string, now: () => Date = () => new Date()): Promise<boolean> {
  const revived = await queueCommand(host, runtime, ['revive', '--run-dir', runDir, ...maxRuns(runtime), ...queueDirArgs(runtime)], RevivedWaiter);
  if (!revived.started || revived.pid === null) return false;
  const previous = await latestAttempt(host, runDir);
  await appendAttempt(host, runDir, {
    pid: revived.pid,
    pgid: revived.pgid ?? revived.pid,
    started_at: now().toISOString(),
    resume: previous?.resume ?? false,
    after_seq: previous?.after_seq ?? 0,
  });
  return true;
}

/** Takes a queued run whose waiter is gone out of the queue, ending it cancelled (a live waiter is signalled). */
export async function cancelWaiting(host: Host, runtime: TrainerRuntime, runDir: string): Promise<boolean> {
  return (await queueCommand(host, runtime, ['cancel', '--run-dir', runDir, ...queueDirArgs(runtime)], CancelledWaiting)).cancelled;
}
