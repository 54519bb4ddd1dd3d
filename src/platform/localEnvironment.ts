// The managed Python environment for runs on this machine: a virtualenv built from the system's Python with
// torch (a CPU or CUDA build) and the trainer's requirements, by the same script as on SSH hosts (lock per
// environment, ready marker written last), with each step reported while it runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CREATE_ENV_SCRIPT, ENV_READY_MARKER, explainEnvFailure } from '../core/hosts/environment';
import type { TorchInstall } from '../core/hosts/torchInstall';
import { LineSplitter } from '../core/runs/lineSplitter';

export interface LocalEnvironmentPlan {
  /** <envs>/<hash of requirements, trainer version, interpreter and torch install>. */
  envDir: string;
  /** The interpreter the environment is built from (absolute, as the preflight reported it). */
  basePython: string;
  requirementsFile: string;
  torch: TorchInstall;
}

/** What to do instead of the managed environment; added to every setup error. */
export const BRING_YOUR_OWN_PYTHON_HINT =
  'To use a Python you already have (with torch, transformers and peft), set brightrun.pythonPath in the editor or BRIGHTRUN_PYTHON for the command line.';

export function envPython(envDir: string): string {
  return join(envDir, 'bin', 'python');
}

/** Complete environments only: the marker is the setup's last step, so a half-built one is never taken. */
export function isEnvironmentReady(envDir: string): boolean {
  return existsSync(join(envDir, ENV_READY_MARKER)) && existsSync(envPython(envDir));
}

/** Builds the environment unless it is ready (another process may be building it: this waits for its lock).
 *  Each "environment: ..." line of the script goes to `report` as it is printed. With a signal, the build runs
 *  in its own process group and an abort interrupts all of it (pip included) as Ctrl-C would: the script
 *  releases its lock and the environment stays unready. Without one it stays in the caller's group, so a
 *  Ctrl-C in a terminal reaches it. */
export function buildLocalEnvironment(plan: LocalEnvironmentPlan, report: (line: string) => void, signal?: AbortSignal): Promise<'created' | 'reused'> {
  const args = [plan.basePython, plan.envDir, plan.requirementsFile, '0', ...plan.torch.pipArgs];
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', CREATE_ENV_SCRIPT, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: signal !== undefined });
    const interrupt = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    };
    if (signal?.aborted) interrupt();
    signal?.addEventListener('abort', interrupt, { once: true });
    const output: string[] = [];
    const stdout = new LineSplitter(0);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const { text } of stdout.push(chunk)) {
        output.push(text);
        if (text.startsWith('environment: ')) report(text);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.on('error', (error) => reject(new Error(`Cannot run sh to set up the Python environment: ${error.message}`)));
    child.on('close', (code, stoppedBy) => {
      signal?.removeEventListener('abort', interrupt);
      const last = output.at(-1) ?? '';
      if (code === 0) return resolve(last.includes('reused') ? 'reused' : 'created');
      if (signal?.aborted)
        return reject(new Error(`Setting up the Python environment in ${plan.envDir} was cancelled; the next local launch starts it again.`));
      const why = explainEnvFailure(code ?? 128, `${output.join('\n')}${stoppedBy ? `\nstopped by ${stoppedBy}` : ''}`, plan.basePython, 'this machine');
      reject(new Error(`${why}\n${BRING_YOUR_OWN_PYTHON_HINT}`));
    });
  });
}
