// Starting, stopping and resuming the trainer on any Host. Written once for every kind of host: the local
// machine and SSH boxes differ only behind the Host interface.
import type { Host } from '../hosts/host';
import type { TrainerConfig } from '../../contracts/trainerConfig';
import { RunStatus, TERMINAL_STATES } from '../../contracts/status';
import { runDirOnHost, runFile, RUN_FILES } from './runPaths';
import { appendAttempt, latestAttempt, readLaunchRecord, type LaunchAttempt } from './launchRecord';
import { isRunId } from './runId';
import { awaitEnrolment, trainerArgv, usesHostQueue } from './hostQueue';
import type { TrainerRuntime } from './trainerRuntime';

export type { TrainerRuntime } from './trainerRuntime';

export interface LaunchedAttempt extends LaunchAttempt {
  runId: string;
  runDir: string;
}

export class RunLaunchError extends Error {}

function statusJson(status: RunStatus): string {
  return JSON.stringify(status, null, 2) + '\n';
}

export async function readHostStatus(host: Host, runDir: string): Promise<RunStatus | null> {
  try {
    const parsed = RunStatus.safeParse(JSON.parse((await host.readFile(runFile(runDir, 'status'))).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function writeHostStatus(host: Host, runDir: string, status: RunStatus): Promise<void> {
  await host.writeFileAtomic(runFile(runDir, 'status'), statusJson(status));
}

export async function startAttempt(host: Host, runtime: TrainerRuntime, runId: string, runDir: string, resume: boolean, afterSeq: number, now: () => Date) {
  // Local and SSH hosts start a waiter in the host's queue, which becomes the trainer when its turn comes.
  const argv = trainerArgv(host, runtime, runDir, resume);
  const started_at = now().toISOString();
  let proc;
  try {
    proc = await host.spawnDetached(argv, { cwd: runDir, logFile: runFile(runDir, 'log'), env: runtime.env, secretEnv: runtime.secretEnv });
  } catch (error) {
    const reason = `the trainer could not be started: ${error instanceof Error ? error.message : String(error)}`;
    const current = await readHostStatus(host, runDir);
    if (current) await writeHostStatus(host, runDir, { ...current, state: 'failed', updated_at: now().toISOString(), exit_reason: reason });
    throw new RunLaunchError(reason);
  }
  const attempt = await appendAttempt(host, runDir, { pid: proc.pid, pgid: proc.pgid, started_at, resume, after_seq: afterSeq });
  if (usesHostQueue(host)) await awaitEnrolment(host, runDir, proc.pid, readHostStatus);
  // The trainer rewrites status.json itself once it runs; fill in the process ids only if it has not yet.
  const current = await readHostStatus(host, runDir);
  if (current && current.state === 'starting') {
    await writeHostStatus(host, runDir, { ...current, pid: proc.pid, pgid: proc.pgid, updated_at: now().toISOString() });
  }
  return { ...attempt, runId, runDir };
}

/** Creates <workdir>/runs/<runId>/, writes config.json and status.json (starting), starts the trainer detached. */
export async function launchRun(host: Host, runtime: TrainerRuntime, config: TrainerConfig, now: () => Date = () => new Date()): Promise<LaunchedAttempt> {
  if (!isRunId(config.run_id)) throw new RunLaunchError(`'${config.run_id}' is not a generated run id`);
  const runDir = runDirOnHost(host.workdir, config.run_id);
  // A folder without launch.json is this launch's own, written before a lost connection: no trainer started there.
  if ((await host.stat(runDir)) && (await readLaunchRecord(host, runDir)) !== null) {
    throw new RunLaunchError(`run folder ${runDir} already exists on ${host.name}`);
  }
  await host.mkdirp(runDir);
  await host.writeFileAtomic(runFile(runDir, 'config'), JSON.stringify(config, null, 2) + '\n');
  await writeHostStatus(host, runDir, {
    state: 'starting',
    pid: null,
    pgid: null,
    step: 0,
    total_steps: null,
    updated_at: now().toISOString(),
    exit_reason: null,
  });
  return startAttempt(host, runtime, config.run_id, runDir, false, 0, now);
}

/** The newest checkpoint folder's path, or null when the run has none. */
export async function latestCheckpoint(host: Host, runDir: string): Promise<string | null> {
  const dir = `${runDir}/${RUN_FILES.checkpoints}`;
  const steps = (await host.list(dir))
    .map((name) => /^checkpoint-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  return steps.length > 0 ? `${dir}/checkpoint-${steps.at(-1)}` : null;
}

/** A new attempt of an ended run from its latest checkpoint; its events continue the same events.jsonl.
 *  @param afterSeq the highest event seq read so far, which tells this attempt's `done` from earlier ones */
export async function resumeRun(
  host: Host,
  runtime: TrainerRuntime,
  runDir: string,
  runId: string,
  afterSeq: number,
  now: () => Date = () => new Date(),
): Promise<LaunchedAttempt> {
  const status = await readHostStatus(host, runDir);
  if (!status) throw new RunLaunchError(`run ${runId} has no readable status.json on ${host.name}`);
  // Completed first: a trainer that has just written its final status may still be exiting for a moment.
  if (status.state === 'completed') throw new RunLaunchError(`run ${runId} already completed; nothing to resume`);
  const attempt = await latestAttempt(host, runDir);
  if (!TERMINAL_STATES.includes(status.state) || (attempt && (await host.isAlive(attempt.pid)))) {
    throw new RunLaunchError(`run ${runId} is still running (${status.state}); cancel it before resuming`);
  }
  if (!(await latestCheckpoint(host, runDir))) {
    throw new RunLaunchError(`run ${runId} has no checkpoint to resume from; launch it again instead`);
  }
  await writeHostStatus(host, runDir, { ...status, state: 'starting', pid: null, pgid: null, exit_reason: null, updated_at: now().toISOString() });
  return startAttempt(host, runtime, runId, runDir, true, afterSeq, now);
}

export type CancelOutcome = 'stopped' | 'killed' | 'not-running';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the trainer's process group (it checkpoints and writes done/cancelled); SIGKILL after graceMs. */
export async function cancelRun(host: Host, runDir: string, options: { graceMs?: number; pollMs?: number; now?: () => Date } = {}): Promise<CancelOutcome> {
  const graceMs = options.graceMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  const now = options.now ?? (() => new Date());
  const attempt = await latestAttempt(host, runDir);
  if (!attempt || !(await host.isAlive(attempt.pid))) return 'not-running';
  await host.signalGroup(attempt.pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await host.isAlive(attempt.pid))) return 'stopped';
    await sleep(pollMs);
  }
  await host.signalGroup(attempt.pgid, 'SIGKILL');
  const status = await readHostStatus(host, runDir);
  if (status && !TERMINAL_STATES.includes(status.state)) {
    await writeHostStatus(host, runDir, {
      ...status,
      state: 'cancelled',
      updated_at: now().toISOString(),
      exit_reason: `the trainer did not stop within ${Math.round(graceMs / 1000)} s of SIGTERM and was killed; progress since the last checkpoint is lost`,
    });
  }
  return 'killed';
}
