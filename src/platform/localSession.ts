// The 'local' host as the run engine sees it: the LocalHost plus how to start the trainer here. By default the
// trainer runs in a managed environment (a virtualenv built once from the system's python3 with torch and the
// trainer's requirements, reused until they change); a Python the user names is used as it is. PYTHONPATH
// points at the bundled python/ folder; datasets are used where they are.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { environmentKey } from '../core/hosts/environment';
import { formatPreflight, type PreflightReport } from '../core/hosts/preflight';
import { chooseTorchInstall } from '../core/hosts/torchInstall';
import type { ExecResult } from '../core/hosts/host';
import type { HostSession } from '../core/runs/hostRegistry';
import type { LocalPaths } from '../core/config/resolveConfig';
import { loadTrainerSource } from './hostEnvironment';
import { LocalHost } from './localHost';
import { BRING_YOUR_OWN_PYTHON_HINT, buildLocalEnvironment, envPython, isEnvironmentReady, type LocalEnvironmentPlan } from './localEnvironment';
import { runPreflight } from './sshPreflight';

export interface LocalSessionOptions {
  /** Where runs/ goes on this machine. */
  workdir: string;
  /** The folder that holds brightrun_trainer/ and requirements.txt (the repository's or the extension's python/). */
  trainerDir: string;
  /** A Python the user brings, with torch, transformers and peft: used as it is, no managed environment. A
   *  function is asked at each launch, so a changed setting applies without a restart. */
  python?: string | (() => string | undefined);
  /** Where managed environments are built, one folder per hash; default <workdir>/envs. */
  envsDir?: string;
  /** The interpreter a managed environment is built from; default python3 on PATH. */
  basePython?: string;
  /** pip arguments that install torch (BRIGHTRUN_TORCH_PIP_ARGS); null or absent: chosen from the preflight. */
  torchPipArgs?: string[] | null;
  /** Where setup progress goes when no launch is listening (a resume, a preflight). */
  log?: (line: string) => void;
  /** Wraps a build of the environment (the editor shows it as a notification); each step's line is reported,
   *  and aborting the signal interrupts the build. */
  withSetupProgress?: <T>(task: (report: (line: string) => void, signal?: AbortSignal) => Promise<T>) => PromiseLike<T>;
  pricePerGpuHour?: number;
  /** Runs at once here (the `local` entry of hosts.json), read at each launch; absent: by free GPUs, 1 without. */
  maxConcurrentRuns?: () => number | undefined;
  /** The folder of this machine's run queue, shared by every local workdir (the editor's and the CLI's); default:
   *  the workdir. */
  queueDir?: string;
  /** Secrets the trainer gets in its environment, read at each launch (WANDB_API_KEY from the editor's secret storage). */
  secretEnv?: () => Promise<Record<string, string>>;
}

export interface LocalSession extends HostSession {
  readonly host: LocalHost;
  /** Checks the Python that trains (or, before the environment exists, the one it will be built from). */
  preflight(baseModel?: string): Promise<PreflightReport>;
  /** `list-models` (the model folders on this machine, as JSON). It needs only the standard library, so it runs
   *  with the user's Python or the interpreter the environment is built from, and never builds the environment. */
  listModels(projectDir: string): Promise<ExecResult>;
}

export function createLocalSession(options: LocalSessionOptions): LocalSession {
  const host = new LocalHost(options.workdir);
  const trainerDir = options.trainerDir;
  const basePython = options.basePython ?? 'python3';
  const envsDir = options.envsDir ?? join(options.workdir, 'envs');
  const env = { PYTHONPATH: trainerDir, PYTHONUNBUFFERED: '1' };
  const quiet = options.log ?? (() => {});
  const ownPython = () => (typeof options.python === 'function' ? options.python() : options.python);

  const checkTrainer = () => {
    if (!existsSync(join(trainerDir, 'brightrun_trainer'))) {
      throw new Error(`the trainer package is missing: ${join(trainerDir, 'brightrun_trainer')} does not exist`);
    }
  };

  /** Preflight with the system Python decides the interpreter and the torch build, hence the folder. */
  let planned: Promise<LocalEnvironmentPlan> | null = null;
  const plan = (log: (line: string) => void): Promise<LocalEnvironmentPlan> => {
    if (!planned) {
      planned = (async () => {
        log(`checking this machine (preflight with ${basePython})`);
        // The bare interpreter: its version, GPUs (nvidia-smi), disk; the packages come with the environment.
        const report = await runPreflight(host, { python: basePython, manageEnv: true }, trainerDir, undefined, { interpreterOnly: true });
        if (!report.ok) {
          throw new Error(
            `This machine cannot set up the Python environment for training:\n${formatPreflight(report, { problemsOnly: true })}\n${BRING_YOUR_OWN_PYTHON_HINT}`,
          );
        }
        const python = report.raw?.executable ?? basePython;
        const torch = chooseTorchInstall(report.raw?.driver ?? null, options.torchPipArgs ?? null);
        const source = loadTrainerSource(trainerDir);
        return {
          envDir: join(envsDir, environmentKey(source, python, false, torch.pipArgs)),
          basePython: python,
          requirementsFile: join(trainerDir, 'requirements.txt'),
          torch,
        };
      })();
      planned.catch(() => (planned = null));
    }
    return planned;
  };

  /** One build at a time in this process; the script's lock covers other processes. */
  let building: Promise<unknown> | null = null;
  const ensureEnvironment = async (log: (line: string) => void): Promise<string> => {
    const p = await plan(log);
    if (isEnvironmentReady(p.envDir)) {
      log(`environment: reused ${p.envDir}`);
      return envPython(p.envDir);
    }
    if (!building) {
      log(
        `setting up the Python environment for local runs in ${p.envDir} (once, reused until the requirements change): ${p.torch.description}, then the trainer's requirements`,
      );
      const build = (report: (line: string) => void, signal?: AbortSignal) =>
        buildLocalEnvironment(
          p,
          (line) => {
            log(line);
            report(line);
          },
          signal,
        );
      building = Promise.resolve(options.withSetupProgress ? options.withSetupProgress(build) : build(() => {})).finally(() => (building = null));
    }
    await building;
    return envPython(p.envDir);
  };

  const python = async (log: (line: string) => void): Promise<string> => {
    checkTrainer();
    return ownPython() ?? ensureEnvironment(log);
  };

  return {
    host,
    pricePerGpuHour: options.pricePerGpuHour,
    runtime: async () => ({
      python: await python(quiet),
      env,
      secretEnv: await options.secretEnv?.(),
      maxConcurrentRuns: options.maxConcurrentRuns?.(),
      queueDir: options.queueDir,
    }),
    stage: async (paths: LocalPaths, onProgress?: (message: string) => void) => {
      await python(onProgress ?? quiet);
      return paths;
    },
    async listModels(projectDir: string) {
      checkTrainer();
      return host.exec([ownPython() ?? basePython, '-m', 'brightrun_trainer', 'list-models', '--project-dir', projectDir], { env, timeoutMs: 30_000 });
    },
    async preflight(baseModel?: string) {
      checkTrainer();
      const own = ownPython();
      if (own) return runPreflight(host, { python: own, manageEnv: false }, trainerDir, baseModel);
      const p = await plan(quiet).catch(() => null);
      if (p && isEnvironmentReady(p.envDir)) return runPreflight(host, { python: envPython(p.envDir), manageEnv: false }, trainerDir, baseModel);
      return runPreflight(host, { python: basePython, manageEnv: true }, trainerDir, baseModel, { interpreterOnly: true });
    },
  };
}
