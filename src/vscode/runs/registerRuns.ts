// Wires the runs engine into the editor: the registry (in $BRIGHTRUN_HOME, shared with the CLI; runs
// re-attached), the Runs view, the status bar, notifications and the run commands. Called once from extension.ts.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { createAddSshHostCommand } from './addSshHostCommand';
import { createEngine } from './createEngine';
import { createVerifyHostKey } from './hostKeyPrompt';
import { HostsSource } from './hostsSource';
import { HIDDEN_RUNS_KEY, RegistryRunsPort } from './registryAdapter';
import { createCancelRunCommand, createDeleteRunCommand, createMoveRunUpCommand, createRefreshRunsCommand, createResumeRunCommand } from './runCommands';
import { createOpenRunFolderCommand, createShowRunLogCommand } from './runFileCommands';
import { vscodeCommands } from '../api/commands';
import { vscodeWindow } from '../api/window';
import { RunNotifications } from './runNotifications';
import { SweepNotifications } from './sweepNotifications';
import { SweepSupervisor } from '../../core/sweeps/sweepSupervisor';
import { readRunSettings, type RunSettings } from '../settings';
import { RunsStatusBar } from './runsStatusBar';
import { RunsTreeProvider, type RunsTreeNode } from './runsTree';
import type { RunsPort } from './runsPort';
import { sharedState, withHostsFile } from './sharedState';
import { COMMANDS } from '../commandIds';
import { createSaveTemplateCommand } from './saveTemplateCommand';
import { readRunForTemplate, templateFileText, writeTemplateFile } from '../../platform/runTemplateFiles';
import { vscodeWorkspace } from '../api/workspace';
import { createSetWandbKeyCommand, trainerSecrets, WandbKeyStore } from './wandbKey';

export interface RunsDeps {
  log: vscode.LogOutputChannel;
}

export interface RegisteredRuns {
  runs: RunsPort;
  hosts: HostsSource;
  settings(): RunSettings;
}

export async function registerRuns(context: vscode.ExtensionContext, deps: RunsDeps): Promise<RegisteredRuns> {
  const { log } = deps;
  const reported = new Set<string>();
  const shared = sharedState(context);
  const settings = () => {
    const read = withHostsFile(readRunSettings(vscode.workspace.getConfiguration('brightrun')), shared.hostsFile);
    for (const problem of read.problems) {
      if (reported.has(problem)) continue;
      reported.add(problem);
      log.warn(problem);
      void vscode.window.showWarningMessage(`BrightRun: ${problem}`);
    }
    return read.settings;
  };
  const verifyHostKey = createVerifyHostKey();
  const wandbKey = new WandbKeyStore(context.secrets);
  const secretEnv = trainerSecrets(wandbKey);
  const {
    registry,
    hosts: hostRegistry,
    imported,
  } = await createEngine({
    storageDir: context.globalStorageUri.fsPath,
    stateDir: shared.stateDir,
    hiddenRuns: new Set(context.globalState.get<string[]>(HIDDEN_RUNS_KEY) ?? []),
    extensionDir: context.extensionUri.fsPath,
    settings,
    verifyHostKey,
    secretEnv,
    // SSH (ssh2 and its crypto, ~40 ms to load) is read on the first remote host, never at activation.
    remote: async (name, current) => (await import('../../platform/sshHostFactory')).sshSessionFactory(() => current.hosts, { verifyHostKey, secretEnv })(name),
  });
  if (imported) log.info(`Moved ${imported.imported.length} run(s) from the extension's storage to ${shared.stateDir}, shared with the brightrun command line`);
  for (const problem of [...(imported?.problems ?? []), ...registry.problems]) log.warn(problem);
  const runs = new RegistryRunsPort({
    registry,
    hosts: hostRegistry,
    state: context.globalState,
    readTextFile: (path) => readFile(path, 'utf8'),
    log,
    onNotice: (severity, message) => {
      const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(`BrightRun: ${message}`);
    },
  });
  const tree = new RunsTreeProvider(runs);
  const view = vscode.window.createTreeView<RunsTreeNode>('brightrun.runs', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const commandDeps = { runs, log, window: vscodeWindow, commands: vscodeCommands };

  context.subscriptions.push(
    { dispose: () => registry.dispose() },
    { dispose: () => hostRegistry.dispose() },
    { dispose: () => runs.dispose() },
    tree,
    view,
    new RunsStatusBar(runs),
    new RunNotifications(runs),
    new SweepNotifications(runs, vscodeWindow, vscodeCommands),
    // Early stop of sweeps, applied while the editor follows their runs.
    new SweepSupervisor(registry, {
      onStopped: (run, reason) => log.info(`Run ${run.id}: ${reason}`),
      onError: (run, error) => log.warn(`Early stop of run ${run.id}: ${String(error)}`),
    }),
    vscode.commands.registerCommand(COMMANDS.cancelRun, createCancelRunCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.resumeRun, createResumeRunCommand(commandDeps)),
    vscode.commands.registerCommand(
      COMMANDS.saveAsTemplate,
      createSaveTemplateCommand({
        ...commandDeps,
        workspace: vscodeWorkspace,
        readRun: readRunForTemplate,
        writeFile: writeTemplateFile,
        fileText: templateFileText,
        openFile: (path) => void vscode.window.showTextDocument(vscode.Uri.file(path)),
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.moveRunUp, createMoveRunUpCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.openRunFolder, createOpenRunFolderCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.showRunLog, createShowRunLogCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.setWandbApiKey, createSetWandbKeyCommand(wandbKey)),
    vscode.commands.registerCommand(COMMANDS.deleteRun, createDeleteRunCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.refreshRuns, createRefreshRunsCommand({ ...commandDeps, refreshViews: () => tree.refresh() })),
    vscode.commands.registerCommand(COMMANDS.addSshHost, createAddSshHostCommand(log, shared.hostsFile)),
  );
  return { runs, hosts: new HostsSource(settings, runs), settings };
}
