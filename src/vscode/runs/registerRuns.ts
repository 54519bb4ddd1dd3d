// Wires the runs engine into the editor: the registry (persisted in global storage, runs re-attached), the Runs
// view, the status bar, notifications and the run commands. Called once from extension.ts.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { sshSessionFactory } from '../../platform/sshHostFactory';
import { createAddSshHostCommand } from './addSshHostCommand';
import { createEngine } from './createEngine';
import { createVerifyHostKey } from './hostKeyPrompt';
import { HostsSource } from './hostsSource';
import { RegistryRunsPort } from './registryAdapter';
import { createCancelRunCommand, createDeleteRunCommand, createRefreshRunsCommand, createResumeRunCommand } from './runCommands';
import { createOpenRunFolderCommand, createShowRunLogCommand } from './runFileCommands';
import { vscodeCommands } from '../api/commands';
import { vscodeWindow } from '../api/window';
import { RunNotifications } from './runNotifications';
import { readRunSettings, type RunSettings } from './runSettings';
import { RunsStatusBar } from './runsStatusBar';
import { RunsTreeProvider, type RunsTreeNode } from './runsTree';
import type { RunsPort } from './runsPort';
import { COMMANDS } from '../commandIds';

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
  const settings = () => {
    const read = readRunSettings(vscode.workspace.getConfiguration('brightrun'));
    for (const problem of read.problems) {
      if (reported.has(problem)) continue;
      reported.add(problem);
      log.warn(problem);
      void vscode.window.showWarningMessage(`BrightRun: ${problem}`);
    }
    return read.settings;
  };
  const verifyHostKey = createVerifyHostKey();
  const { registry, hosts: hostRegistry } = await createEngine({
    storageDir: context.globalStorageUri.fsPath,
    extensionDir: context.extensionUri.fsPath,
    settings,
    verifyHostKey,
    remote: (name, current) => sshSessionFactory(() => current.hosts, { verifyHostKey })(name),
  });
  for (const problem of registry.problems) log.warn(problem);
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
    vscode.commands.registerCommand(COMMANDS.cancelRun, createCancelRunCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.resumeRun, createResumeRunCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.openRunFolder, createOpenRunFolderCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.showRunLog, createShowRunLogCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.deleteRun, createDeleteRunCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.refreshRuns, createRefreshRunsCommand({ ...commandDeps, refreshViews: () => tree.refresh() })),
    vscode.commands.registerCommand(COMMANDS.addSshHost, createAddSshHostCommand(log)),
  );
  return { runs, hosts: new HostsSource(settings, runs), settings };
}
