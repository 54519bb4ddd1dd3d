// Wires the three panels (monitor, launch form, compare) into the editor: their serializers (so they come back
// after a reload), the commands that open them, and the CodeLenses on run config files.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RegisteredRuns } from '../runs/registerRuns';
import { createCompareRunsCommand, createOpenMonitorCommand } from '../runs/runCommands';
import { createCompareSweepCommand } from '../runs/sweepCommands';
import { COMPARE_VIEW_TYPE, ComparePanels } from './comparePanel';
import { CONFIG_FILE_SELECTOR, RunConfigLens, configUriOf } from './configLens';
import { LAUNCH_VIEW_TYPE, LaunchPanels, type DatasetsSource } from './launchPanel';
import { MONITOR_VIEW_TYPE, MonitorPanels } from './monitorPanel';
import { vscodeCommands } from '../api/commands';
import { webviewPanels } from '../api/webviewPanel';
import { vscodeWindow } from '../api/window';
import { vscodeWorkspace } from '../api/workspace';
import { COMMANDS } from '../commandIds';
import { isTemplateFile, workspaceTemplateFiles } from './workspaceTemplateFiles';

export interface PanelsDeps {
  log: vscode.LogOutputChannel;
  runs: RegisteredRuns;
  /** The Datasets view's index: the form offers its datasets and shows its statistics (no second validation). */
  datasets: DatasetsSource;
}

function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const uri = (arg as { uri?: unknown } | undefined)?.uri;
  return uri instanceof vscode.Uri ? uri : undefined;
}

export function registerPanels(context: vscode.ExtensionContext, deps: PanelsDeps): void {
  const { log } = deps;
  const { runs, hosts } = deps.runs;
  const { datasets } = deps;
  const panels = webviewPanels(context.extensionUri);
  const monitors = new MonitorPanels({ runs, log, window: vscodeWindow, commands: vscodeCommands, panels });
  const compare = new ComparePanels({ runs, log, window: vscodeWindow, commands: vscodeCommands, panels });
  const launch = new LaunchPanels({
    runs,
    window: vscodeWindow,
    workspace: vscodeWorkspace,
    panels,
    datasets,
    hosts,
    log,
    templates: workspaceTemplateFiles,
    throughputHistory: () => runs.throughputHistory(),
    showMonitor: (runId) => monitors.show(runId),
  });

  const launchConfig = async (arg?: unknown) => {
    const uri = configUriOf(arg);
    if (!uri) {
      void vscode.window.showInformationMessage('Open a *.brightrun.json file (or create one with "BrightRun: New Training Run") to launch it.');
      return;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) await open.save();
    // A template has variables to fill first: the form asks for them.
    if (await isTemplateFile(uri.fsPath)) {
      launch.show({ templatePath: uri.fsPath });
      return;
    }
    try {
      const runId = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Launching ${basename(uri.fsPath)}` }, () =>
        runs.launch(uri.fsPath),
      );
      monitors.show(runId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`Launch of ${uri.fsPath} failed: ${message}`);
      void vscode.window.showErrorMessage(`Launching ${basename(uri.fsPath)} failed: ${message}`, 'Open in Form').then((choice) => {
        if (choice) launch.show({ configPath: uri.fsPath });
      });
    }
  };

  context.subscriptions.push(
    monitors,
    vscode.window.registerWebviewPanelSerializer(MONITOR_VIEW_TYPE, monitors),
    vscode.window.registerWebviewPanelSerializer(LAUNCH_VIEW_TYPE, launch),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, compare),
    vscode.languages.registerCodeLensProvider(CONFIG_FILE_SELECTOR, new RunConfigLens()),
    vscode.commands.registerCommand(COMMANDS.newRun, (arg?: unknown) => launch.show({ trainFile: uriOf(arg)?.fsPath })),
    vscode.commands.registerCommand(COMMANDS.openConfigInForm, async (arg?: unknown) => {
      const uri = configUriOf(arg);
      if (!uri) launch.show();
      else if (await isTemplateFile(uri.fsPath)) launch.show({ templatePath: uri.fsPath });
      else launch.show({ configPath: uri.fsPath });
    }),
    vscode.commands.registerCommand(COMMANDS.launchConfig, launchConfig),
    vscode.commands.registerCommand(
      COMMANDS.openMonitor,
      createOpenMonitorCommand({ runs, log, window: vscodeWindow, commands: vscodeCommands, showMonitor: (runId) => monitors.show(runId) }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.compareRuns,
      createCompareRunsCommand({ runs, log, window: vscodeWindow, commands: vscodeCommands, showCompare: (runIds) => compare.show(runIds) }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.compareSweep,
      createCompareSweepCommand({ runs, window: vscodeWindow, showCompare: (runIds) => compare.show(runIds) }),
    ),
  );
}
