// Where things are inside a run directory on the training host (always POSIX paths: local or a Linux box).
import { posix } from 'node:path';

export const RUN_FILES = {
  config: 'config.json',
  events: 'events.jsonl',
  status: 'status.json',
  log: 'trainer.log',
  /** Written by the launcher only: one entry per attempt (pid, process group, start time). */
  launch: 'launch.json',
  checkpoints: 'checkpoints',
  adapter: 'adapter',
} as const;

export function runDirOnHost(workdir: string, runId: string): string {
  return posix.join(workdir, 'runs', runId);
}

export function runFile(runDir: string, file: keyof typeof RUN_FILES): string {
  return posix.join(runDir, RUN_FILES[file]);
}
