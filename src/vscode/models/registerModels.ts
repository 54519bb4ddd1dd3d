// Wires the Models view and its commands (download, try, merge, evaluate, export to Ollama, reveal, push to the Hub).
import * as vscode from 'vscode';
import { HubTokenStore } from '../hub/hubToken';
import { createForgetHubTokenCommand, createPushToHubCommand } from '../hub/pushToHubCommand';
import type { RegisteredRuns } from '../runs/registerRuns';
import {
  DownloadedAdapters,
  createDownloadAdapterCommand,
  createEvaluateAdapterCommand,
  createMergeAdapterCommand,
  createRevealAdapterCommand,
  createTryAdapterCommand,
  ensureLocalAdapter,
  resolveAdapter,
} from './modelCommands';
import { ModelsTreeProvider, type ModelNode } from './modelsTree';
import { createExportToOllamaCommand } from './ollamaExportCommand';
import { TRY_SCHEME, TryDocuments } from './tryDocuments';
import { EVALUATION_VIEW_TYPE, EvaluationPanels } from '../panels/evaluationPanel';
import { COMMANDS } from '../commandIds';

export interface ModelsDeps {
  log: vscode.LogOutputChannel;
  runs: RegisteredRuns;
}

export function registerModels(context: vscode.ExtensionContext, deps: ModelsDeps): void {
  const { log } = deps;
  const { runs } = deps.runs;
  const downloads = new DownloadedAdapters(context.workspaceState);
  const tryDocuments = new TryDocuments();
  const tree = new ModelsTreeProvider(runs, () => downloads.map());
  const view = vscode.window.createTreeView<ModelNode>('brightrun.models', { treeDataProvider: tree });
  const commandDeps = { runs, log, downloads, tryDocuments };
  const evaluations = new EvaluationPanels(context.extensionUri, runs, log);
  const tokens = new HubTokenStore(context.secrets);
  const push = createPushToHubCommand({
    tokens,
    log,
    ensureLocal: (adapter) => ensureLocalAdapter(commandDeps, adapter),
    pickAdapter: () => resolveAdapter(commandDeps, undefined, 'Push which adapter to the Hub?'),
  });

  context.subscriptions.push(
    tree,
    view,
    downloads.onDidChange(() => tree.refresh()),
    vscode.workspace.registerTextDocumentContentProvider(TRY_SCHEME, tryDocuments),
    vscode.commands.registerCommand(COMMANDS.downloadAdapter, createDownloadAdapterCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.tryAdapter, createTryAdapterCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.mergeAdapter, createMergeAdapterCommand(commandDeps)),
    vscode.window.registerWebviewPanelSerializer(EVALUATION_VIEW_TYPE, evaluations),
    vscode.commands.registerCommand(COMMANDS.evaluateAdapter, createEvaluateAdapterCommand({ ...commandDeps, evaluations })),
    vscode.commands.registerCommand(COMMANDS.exportToOllama, createExportToOllamaCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.revealAdapter, createRevealAdapterCommand(commandDeps)),
    vscode.commands.registerCommand(COMMANDS.pushToHub, async (arg?: unknown) => {
      const adapter = await resolveAdapter(commandDeps, arg, 'Push which adapter to the Hub?');
      if (adapter) await push(adapter);
    }),
    vscode.commands.registerCommand(COMMANDS.forgetHubToken, createForgetHubTokenCommand(tokens)),
  );
}
