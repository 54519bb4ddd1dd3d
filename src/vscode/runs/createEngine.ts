// Builds the run engine for the editor: the local host session (its managed Python environment in the
// extension's global storage, built with a progress notification), SSH sessions for configured hosts (with the
// editor's host key prompt), and the registry in $BRIGHTRUN_HOME/state, shared with the `brightrun` command line
// and watched, so runs the CLI starts show up live. Runs an older version kept in the extension's global
// storage are imported into it once.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { parseTorchPipArgs, TORCH_PIP_ARGS_VARIABLE } from '../../core/hosts/torchInstall';
import { HostRegistry, importRunStore, RunRegistry, type HostSessionFactory, type RunStoreImport } from '../../core/runs';
import type { VerifyHostKey } from '../../platform/sshHostKeys';
import { findTrainerSourceDir } from '../../platform/hostEnvironment';
import { createLocalSession } from '../../platform/localSession';
import { nodeStoreFs } from '../../platform/nodeStoreFs';
import { brightrunHome, hostsFilePath, localQueueDir } from '../../platform/brightrunHome';
import { localMaxConcurrentRuns } from '../../platform/sshHostsFile';
import type { RunSettings } from '../settings';

export interface EngineOptions {
  /** The extension's global storage: the managed Python environments, and the run list of older versions. */
  storageDir: string;
  /** The shared run state ($BRIGHTRUN_HOME/state). */
  stateDir: string;
  /** Runs the user removed from the list in older versions: left out of the import. */
  hiddenRuns: ReadonlySet<string>;
  settings: () => RunSettings;
  /** Where the extension's files are (python/ is found next to dist/). */
  extensionDir: string;
  verifyHostKey: VerifyHostKey;
  /** Secrets the trainer gets in its environment, read at each launch (WANDB_API_KEY from the editor's secret storage). */
  secretEnv?: () => Promise<Record<string, string>>;
  /** SSH sessions, when the SSH support provides a factory. */
  remote?: (name: string, settings: RunSettings, verifyHostKey: VerifyHostKey) => ReturnType<HostSessionFactory>;
}

export interface Engine {
  registry: RunRegistry;
  hosts: HostRegistry;
  /** What the one-time import of the older run list did (null when there was nothing to import). */
  imported: RunStoreImport | null;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const local: HostSessionFactory = async () => {
    const settings = options.settings();
    return createLocalSession({
      workdir: settings.localWorkdir,
      trainerDir: findTrainerSourceDir(join(options.extensionDir, 'dist')),
      // Set: the user's own Python, used as it is. Empty: the managed environment. Read at each launch.
      python: () => options.settings().pythonPath || undefined,
      envsDir: join(options.storageDir, 'envs'),
      torchPipArgs: parseTorchPipArgs(process.env[TORCH_PIP_ARGS_VARIABLE]),
      withSetupProgress: (task) =>
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'BrightRun: setting up the Python environment for local runs (once)', cancellable: true },
          (progress, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return task((line) => progress.report({ message: line.replace(/^environment: /, '') }), abort.signal);
          },
        ),
      pricePerGpuHour: settings.defaultPricePerGpuHour ?? undefined,
      maxConcurrentRuns: () => localMaxConcurrentRuns(hostsFilePath(brightrunHome())),
      // One queue for this machine: the CLI's runs (in <home>/local) and the editor's, wherever its workdir is.
      queueDir: localQueueDir(brightrunHome()),
      secretEnv: options.secretEnv,
    });
  };
  const remote: HostSessionFactory | undefined = options.remote ? (name) => options.remote!(name, options.settings(), options.verifyHostKey) : undefined;
  const hosts = new HostRegistry({ local, remote });
  const imported = await importRunStore(nodeStoreFs, options.storageDir, options.stateDir, { hidden: options.hiddenRuns });
  const registry = await RunRegistry.open({ storageDir: options.stateDir, fs: nodeStoreFs, hosts }, { watch: true });
  return { registry, hosts, imported };
}
