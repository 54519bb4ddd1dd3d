// Automatic recovery, carried out: after an attempt failed, decide (recoveryPolicy.ts) and, when it says so, record
// the restart in <runDir>/recovery.json and start the trainer again from the last checkpoint. The trainer reads
// the record: it trains with the recorded micro-batch and opens its attempt with the `attempt` event.
//
// Every client following the run (the editor, a `brightrun train --follow`) may see the same failure at once; the
// restart is claimed on the host with an exclusive mkdir, so exactly one of them starts it.
import { posix } from 'node:path';
import type { Host } from '../hosts/host';
import { RecoveryFile, type RecoveryAttempt, type RecoverySettings } from '../../contracts/recovery';
import { decideRecovery, type BatchSettings, type FailureKind, type RecoveryDecision } from './recoveryPolicy';
import { latestCheckpoint, readHostStatus, startAttempt, type LaunchedAttempt, type TrainerRuntime } from './runLauncher';
import { runFile } from './runPaths';

export const RECOVERY_FILE = 'recovery.json';
const CLAIMS_DIR = '.recovery-claims';

export interface RecoveryRequest {
  host: Host;
  runtime: TrainerRuntime;
  runId: string;
  runDir: string;
  /** Highest event seq read so far (tells the new attempt's `done` from the failed one's). */
  afterSeq: number;
  failure: FailureKind;
  settings: RecoverySettings;
  /** The run config's micro-batch and accumulation (before any restart changed them). */
  configBatch: BatchSettings;
  now?: () => Date;
}

export type RecoveryOutcome =
  | { kind: 'restarted'; attempt: LaunchedAttempt; decision: Extract<RecoveryDecision, { retry: true }> }
  /** Another client following the same run claimed this restart first: follow the run again. */
  | { kind: 'claimed-elsewhere' }
  | { kind: 'gave-up'; advice: string | null };

export async function readRecoveryFile(host: Host, runDir: string): Promise<RecoveryFile> {
  const path = posix.join(runDir, RECOVERY_FILE);
  if (!(await host.stat(path))) return { v: 1, attempts: [] };
  const parsed = RecoveryFile.safeParse(JSON.parse((await host.readFile(path)).toString('utf8')));
  if (!parsed.success) throw new Error(`${path} on ${host.name} is damaged (${parsed.error.issues[0]?.message}); delete it to recover the run again`);
  return parsed.data;
}

/** True for the one caller that creates the claim folder (mkdir without -p fails when it exists). */
async function claim(host: Host, runDir: string, number: number): Promise<boolean> {
  await host.mkdirp(posix.join(runDir, CLAIMS_DIR));
  return (await host.exec(['mkdir', posix.join(runDir, CLAIMS_DIR, `attempt-${number}`)], { timeoutMs: 30_000 })).code === 0;
}

function checkpointStep(path: string | null): number {
  return path ? Number(/checkpoint-(\d+)$/.exec(path)?.[1] ?? 0) : 0;
}

export async function recoverRun(request: RecoveryRequest): Promise<RecoveryOutcome> {
  const { host, runDir } = request;
  const now = request.now ?? (() => new Date());
  const record = await readRecoveryFile(host, runDir);
  const newest = record.attempts.at(-1);
  const batch = newest ? { batchSize: newest.batch_size, gradAccum: newest.grad_accum } : request.configBatch;
  const decision = decideRecovery(request.failure, request.settings, { restarts: record.attempts.length, batch });
  if (!decision.retry) return { kind: 'gave-up', advice: decision.advice };
  const number = record.attempts.length + 2;
  if (!(await claim(host, runDir, number))) return { kind: 'claimed-elsewhere' };

  const entry: RecoveryAttempt = {
    number,
    reason: decision.reason,
    message: decision.message,
    from_step: checkpointStep(await latestCheckpoint(host, runDir)),
    changes: decision.changes,
    batch_size: decision.batch.batchSize,
    grad_accum: decision.batch.gradAccum,
    started_at: now().toISOString(),
  };
  await host.writeFileAtomic(posix.join(runDir, RECOVERY_FILE), JSON.stringify({ v: 1, attempts: [...record.attempts, entry] }, null, 2) + '\n');
  const status = await readHostStatus(host, runDir);
  if (status) {
    const starting = { ...status, state: 'starting' as const, pid: null, pgid: null, exit_reason: null, updated_at: now().toISOString() };
    await host.writeFileAtomic(runFile(runDir, 'status'), JSON.stringify(starting, null, 2) + '\n');
  }
  const attempt = await startAttempt(host, request.runtime, request.runId, runDir, true, request.afterSeq, now);
  return { kind: 'restarted', attempt, decision };
}
