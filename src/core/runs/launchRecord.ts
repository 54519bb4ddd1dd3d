// <runDir>/launch.json: written only by the launcher, one entry per attempt. The trainer owns status.json;
// keeping our own record means the process group to signal is known even before the trainer's first write.
import * as z from 'zod';
import type { Host } from '../hosts/host';
import { runFile } from './runPaths';
import { lazySchema } from '../../contracts/lazySchema';

export const LaunchAttempt = lazySchema(() =>
  z.object({
    attempt: z.number().int().min(1),
    pid: z.number().int(),
    pgid: z.number().int(),
    started_at: z.string(),
    resume: z.boolean(),
    /** Highest event seq before this attempt started: a `done` at or below it belongs to an earlier attempt. */
    after_seq: z.number().int().min(0).default(0),
  }),
);
export const LaunchRecord = lazySchema(() => z.object({ v: z.literal(1), attempts: z.array(LaunchAttempt) }));
export type LaunchAttempt = z.infer<typeof LaunchAttempt>;
export type LaunchRecord = z.infer<typeof LaunchRecord>;

export async function readLaunchRecord(host: Host, runDir: string): Promise<LaunchRecord | null> {
  const path = runFile(runDir, 'launch');
  if (!(await host.stat(path))) return null;
  try {
    const parsed = LaunchRecord.safeParse(JSON.parse((await host.readFile(path)).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function latestAttempt(host: Host, runDir: string): Promise<LaunchAttempt | null> {
  return (await readLaunchRecord(host, runDir))?.attempts.at(-1) ?? null;
}

export async function appendAttempt(host: Host, runDir: string, attempt: Omit<z.input<typeof LaunchAttempt>, 'attempt'>): Promise<LaunchAttempt> {
  const record = (await readLaunchRecord(host, runDir)) ?? { v: 1 as const, attempts: [] };
  const entry = LaunchAttempt.parse({ ...attempt, attempt: record.attempts.length + 1 });
  record.attempts.push(entry);
  await host.writeFileAtomic(runFile(runDir, 'launch'), JSON.stringify(record, null, 2) + '\n');
  return entry;
}
