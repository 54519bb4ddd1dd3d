// Wires dataset validation into the editor: live diagnostics, quick fixes, hover, CodeLens, status bar, the
// validate/convert/preview commands and the Datasets view. Called once from extension.ts; cheap at activation
// (the token counter loads in the background, the Datasets view scans the workspace only when shown).
import * as vscode from 'vscode';
import { RULE_CODES } from '../../core/dataset/rules';
import { VALIDATION_SECTION, readValidationSettings, sameValidationSettings } from '../settings';
import { DatasetIndex } from '../datasets/datasetIndex';
import { DATASETS_VIEW_ID, DatasetsTreeProvider, type DatasetNode } from '../datasets/datasetsTree';
import { DatasetPreviewProvider, PREVIEW_SCHEME, openPreview } from '../datasets/previewProvider';
import { DatasetQuickFixes } from './codeActions';
import { COMMANDS } from '../commandIds';
import { diagnosticsSink } from './diagnostics';
import { convertDatasetCommand, TO_OPENAI_PREFERENCE, TO_PREFERENCE_PAIRS } from './convertCommand';
import { DiskValidation } from './diskValidation';
import { LineTokensHover } from './hover';
import { LiveValidation, isDatasetDocument } from './liveValidation';
import { DatasetStatusBar } from './statusBar';
import { DatasetSummaryLens } from './summaryLens';
import { resolveDatasetUri } from './targets';
import { ValidationOptionsSource } from './validationOptions';

export interface ValidationDeps {
  log: vscode.LogOutputChannel;
}

const SELECTOR: vscode.DocumentSelector = [
  { language: 'jsonl', scheme: 'file' },
  { language: 'jsonl', scheme: 'untitled' },
  { pattern: '**/*.jsonl', scheme: 'file' },
];

export interface ValidationServices {
  /** The workspace's datasets with their statistics (also what the launch form offers). */
  datasets: DatasetIndex;
}

export function registerValidation(context: vscode.ExtensionContext, deps: ValidationDeps): ValidationServices {
  const { log } = deps;
  const warnOnce = onceEach((message: string) => {
    log.warn(message);
    void vscode.window.showWarningMessage(`BrightRun: ${message}`);
  });
  const options = new ValidationOptionsSource(
    () => {
      const { settings, problems } = readValidationSettings(vscode.workspace.getConfiguration(VALIDATION_SECTION), RULE_CODES);
      problems.forEach(warnOnce);
      return settings;
    },
    log,
    warnOnce,
  );
  const collection = vscode.languages.createDiagnosticCollection('brightrun');
  const live = new LiveValidation(diagnosticsSink(collection), options, log, vscode.workspace);
  const lens = new DatasetSummaryLens(live);
  const index: DatasetIndex = new DatasetIndex({
    summarize: (uri) => disk.summarize(uri),
    optionsKey: () => options.key(),
    state: context.workspaceState,
    log,
  });
  const disk = new DiskValidation(live, options, (uri, stats) => index.setStats(uri, stats));
  const tree = new DatasetsTreeProvider(index);
  const view = vscode.window.createTreeView<DatasetNode>(DATASETS_VIEW_ID, { treeDataProvider: tree });
  tree.attach(view);

  context.subscriptions.push(
    collection,
    live,
    lens,
    new DatasetStatusBar(live),
    disk,
    index,
    tree,
    view,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new DatasetQuickFixes(live), { providedCodeActionKinds: DatasetQuickFixes.kinds }),
    vscode.languages.registerHoverProvider(SELECTOR, new LineTokensHover(live)),
    vscode.languages.registerCodeLensProvider(SELECTOR, lens),
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, new DatasetPreviewProvider()),
    vscode.workspace.onDidOpenTextDocument((document) => openDocument(document)),
    vscode.workspace.onDidChangeTextDocument((event) => live.change(event)),
    vscode.workspace.onDidCloseTextDocument((document) => live.close(document)),
    // Findings of a deleted or renamed file would otherwise stay in the Problems panel.
    vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => disk.forget(uri))),
    vscode.workspace.onDidRenameFiles((event) => event.files.forEach(({ oldUri }) => disk.forget(oldUri))),
    live.onDidUpdate((uri) => {
      const stats = live.stats(uri);
      if (stats) index.setStats(uri, stats);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(VALIDATION_SECTION)) return;
      const before = options.settings();
      options.reload();
      if (!sameValidationSettings(before, options.settings())) void live.reconfigure().then(() => index.revalidateAll());
    }),
    vscode.commands.registerCommand(COMMANDS.validateFile, (arg?: unknown, selection?: unknown) => disk.command(arg, selection)),
    vscode.commands.registerCommand(COMMANDS.refreshDatasets, () => index.refresh()),
    vscode.commands.registerCommand(COMMANDS.convertToOpenAiChat, (arg?: unknown) => convertDatasetCommand(arg, log)),
    vscode.commands.registerCommand(COMMANDS.convertToPreferencePairs, (arg?: unknown) => convertDatasetCommand(arg, log, TO_PREFERENCE_PAIRS)),
    vscode.commands.registerCommand(COMMANDS.convertToOpenAiPreference, (arg?: unknown) => convertDatasetCommand(arg, log, TO_OPENAI_PREFERENCE)),
    vscode.commands.registerCommand(COMMANDS.previewDataset, async (arg?: unknown) => {
      const uri = await resolveDatasetUri(arg, 'Preview');
      if (uri) await openPreview(uri);
    }),
  );

  function openDocument(document: vscode.TextDocument): void {
    if (!isDatasetDocument(document)) return;
    disk.forget(document.uri);
    live.open(document).catch((error: unknown) => log.error(`Could not validate ${document.uri.fsPath}: ${String(error)}`));
  }
  for (const document of vscode.workspace.textDocuments) openDocument(document);
  return { datasets: index };
}

/** Calls `action` once per distinct message: a bad setting is reported once, not on every re-read. */
function onceEach(action: (message: string) => void): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    action(message);
  };
}
