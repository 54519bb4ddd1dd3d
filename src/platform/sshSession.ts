// An SSH host as the run engine sees it (a HostSession): connect, preflight, environment set up once (then the
// checks that need its packages), datasets uploaded (skipped when the host already has them), in that order, so
// nothing is uploaded to a host that cannot train. Also the host factory for the CLI and the extension: 'local' or any SSH host by name.
import type { HostSession } from '../core/runs/hostRegistry';
import type { LocalPaths } from '../core/config/resolveConfig';
import { isLocalModelPath } from '../core/config/resolveConfig';
import type { TrainerRuntime } from '../core/runs/runLauncher';
import type { HostSettings } from '../core/hosts/hostSettings';
import { formatPreflight, type PreflightReport } from '../core/hosts/preflight';
import { hostGpuPrice } from '../core/config/throughputTable';
import { ensureRuntime, ensureTrainerCode, findTrainerSourceDir, loadTrainerSource, readyEnvPython, uploadDataset } from './hostEnvironment';
import { runPreflight } from './sshPreflight';
import { SshHost, type SshHostOptions } from './sshHost';
import { SlurmHost } from './slurmHost';
import { jobGpus, runJobSettings } from '../core/hosts/slurmScript';
import type { TrainerConfig } from '../contracts/trainerConfig';
import { where } from './sshErrors';

export interface SshSessionOptions extends SshHostOptions {
  /** The python/ folder to ship to the host; found next to this build by default. */
  trainerSourceDir?: string;
  /** Secrets the trainer gets in its environment, read at each launch (WANDB_API_KEY from the editor's secret storage). */
  secretEnv?: () => Promise<Record<string, string>>;
}

export interface SshSession extends HostSession {
  readonly host: SshHost;
  /** Runs the preflight on its own (the Hosts view's "Check host" action and the tests use it). */
  preflight(baseModel?: string): Promise<PreflightReport>;
}

function percent(done: number, total: number): string {
  return total > 0 ? `${Math.floor((done / total) * 100)}%` : '100%';
}

export function createSshSession(settings: HostSettings, options: SshSessionOptions = {}): SshSession {
  const host = settings.kind === 'slurm' ? new SlurmHost(settings, options) : new SshHost(settings, options);
  const source = loadTrainerSource(options.trainerSourceDir ?? findTrainerSourceDir());
  let ready: Promise<TrainerRuntime> | null = null;
  /** GPU name from the last preflight: without a price setting, its default price applies to runs here. */
  let detectedGpu: string | null = null;

  const check = async (trainerDir: string, baseModel: string | undefined, options: { python?: string; interpreterOnly?: boolean }) => {
    const report = await runPreflight(host, settings, trainerDir, baseModel, options);
    if (report.raw) detectedGpu = report.gpuName;
    return report;
  };

  /** The interpreter that will train once the managed environment exists; before that, only what the bare
   *  interpreter can tell (its packages are not the ones that will train, and may be missing altogether). */
  const firstCheck = async (baseModel: string | undefined, log: (m: string) => void) => {
    const trainerDir = await ensureTrainerCode(host, source, log);
    const envPython = await readyEnvPython(host, settings, source);
    const interpreterOnly = settings.manageEnv && !envPython;
    const report = await check(trainerDir, baseModel, { python: envPython ?? undefined, interpreterOnly });
    return { report, trainerDir, interpreterOnly };
  };

  const stopUnlessOk = (report: PreflightReport, log: (m: string) => void) => {
    for (const line of formatPreflight(report).split('\n')) if (line) log(line);
    if (!report.ok) throw new Error(`${settings.name} cannot run this training:\n${formatPreflight(report, { problemsOnly: true })}`);
  };

  /** Preflight, then the environment (then the checks that need its packages, when it was just built); done
   *  once per session, and again only after a failure. Nothing is uploaded before all of them passed. */
  const prepare = (baseModel: string | undefined, log: (m: string) => void): Promise<TrainerRuntime> => {
    if (!ready) {
      ready = (async () => {
        // Which file and which reader gave the address: the first thing to check when it is not the expected one.
        log(`connecting to ${where(host.target)}, settings from ${host.target.configSource}`);
        await host.connect();
        log(`checking ${settings.name} (preflight)`);
        const first = await firstCheck(baseModel, log);
        stopUnlessOk(first.report, log);
        const runtime = { ...(await ensureRuntime(host, settings, source, log)), maxConcurrentRuns: settings.maxConcurrentRuns };
        if (first.interpreterOnly) {
          log(`checking ${settings.name} with its environment (preflight)`);
          stopUnlessOk(await check(first.trainerDir, baseModel, { python: runtime.python }), log);
        }
        return runtime;
      })();
      ready.catch(() => (ready = null));
    }
    return ready;
  };

  return {
    host,
    get pricePerGpuHour() {
      return hostGpuPrice(settings.pricePerGpuHour, detectedGpu)?.usdPerHour;
    },
    gpusPerRun: host instanceof SlurmHost ? (config: TrainerConfig) => jobGpus(runJobSettings(host.cluster, config.slurm)) : undefined,
    get priceFromGpu() {
      return hostGpuPrice(settings.pricePerGpuHour, detectedGpu)?.fromGpu ?? null;
    },
    preflight: async (baseModel) => (await firstCheck(baseModel, () => {})).report,
    runtime: async () => ({ ...(await prepare(undefined, () => {})), secretEnv: await options.secretEnv?.() }),
    async stage(paths: LocalPaths, onProgress?: (message: string) => void): Promise<LocalPaths> {
      const log = onProgress ?? (() => {});
      const hubModel = !isLocalModelPath(paths.baseModel);
      if (!hubModel && !(await host.stat(paths.baseModel))) {
        throw new Error(
          `The base model folder ${paths.baseModel} does not exist on ${settings.name}. Model folders are not uploaded ` +
            '(they are large): copy it to the host and use its path there, or use a Hugging Face model id.',
        );
      }
      await prepare(paths.baseModel, log);
      const send = async (file: string) => {
        let last = '';
        const r = await uploadDataset(host, file, (done, total) => {
          const p = percent(done, total);
          if (p !== last) log(`uploading ${file}: ${(last = p)}`);
        });
        log(r.uploaded ? `uploaded ${file}` : `${file} is already on ${settings.name} (same sha256), not uploaded again`);
        return r.remotePath;
      };
      const train = await send(paths.train);
      const validation = paths.validation === null ? null : await send(paths.validation);
      return { train, validation, baseModel: paths.baseModel };
    },
  };
}
