// The 'local' host as the run engine sees it: the LocalHost plus how to start the trainer here (the project's
// or a configured Python, PYTHONPATH at the bundled python/ folder). Datasets are used where they are.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSession } from '../core/runs/hostRegistry';
import { LocalHost } from './localHost';

export interface LocalSessionOptions {
  /** Where runs/ goes on this machine. */
  workdir: string;
  /** The folder that holds brightrun_trainer/ (the repository's or the extension's python/). */
  trainerDir: string;
  /** A Python with torch, transformers and peft; defaults to <root>/.venv/bin/python, then python3. */
  python?: string;
  pricePerGpuHour?: number;
}

/** The Python to train with: an explicit one, the project's .venv (development), or python3 on PATH. */
export function defaultPython(projectRoot: string): string {
  const venv = join(projectRoot, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

export function createLocalSession(options: LocalSessionOptions): HostSession {
  const host = new LocalHost(options.workdir);
  const python = options.python ?? defaultPython(join(options.trainerDir, '..'));
  return {
    host,
    pricePerGpuHour: options.pricePerGpuHour,
    runtime: async () => {
      if (!existsSync(join(options.trainerDir, 'brightrun_trainer'))) {
        throw new Error(`the trainer package is missing: ${join(options.trainerDir, 'brightrun_trainer')} does not exist`);
      }
      return { python, env: { PYTHONPATH: options.trainerDir, PYTHONUNBUFFERED: '1' } };
    },
    stage: async (paths) => paths,
  };
}
