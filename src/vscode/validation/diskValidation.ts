// `brightrun.validateFile`: validates a dataset from disk with a progress notification. This is the path for
// files over 50 MB (VS Code never hands their text to extensions) and for files in the explorer or the
// Datasets view that are not open; the findings go to the Problems panel all the same, keyed by file URI.
import * as vscode from 'vscode';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { validateFile } from '../../core/dataset';
import { nodeDatasetFiles } from '../../platform/nodeDatasetFiles';
import { bundledValidationWorkers } from '../../platform/validationWorkers';
import { summarizeDataset } from '../datasets/backgroundSummary';
import type { DatasetSummary } from '../datasets/datasetIndex';
import type { DatasetStats, FileReport, ValidateProgress } from '../../contracts/dataset';
import { buildDiagnostics } from './diagnostics';
import type { LiveValidation } from './liveValidation';
import { codeLensTitle } from './summaryText';
import { resolveDatasetUri } from './targets';
import type { ValidationOptionsSource } from './validationOptions';

export class DiskValidation implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('brightrun-disk');

  constructor(
    private readonly live: LiveValidation,
    private readonly options: ValidationOptionsSource,
    private readonly onStats: (uri: vscode.Uri, stats: DatasetStats) => void,
  ) {}

  /**
   * The command: explicit argument (explorer, tree, CodeLens) or the active dataset. The explorer passes the
   * whole selection as a second argument: each selected .jsonl is validated in turn.
   */
  async command(arg?: unknown, selection?: unknown): Promise<DatasetStats | undefined> {
    const many = Array.isArray(selection) ? selection.filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.path.toLowerCase().endsWith('.jsonl')) : [];
    if (many.length > 1) {
      let last: DatasetStats | undefined;
      for (const uri of many) last = await this.validateOne(uri);
      return last;
    }
    const uri = await resolveDatasetUri(arg, 'Validate');
    return uri ? this.validateOne(uri) : undefined;
  }

  private async validateOne(uri: vscode.Uri): Promise<DatasetStats | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let stats: DatasetStats | undefined;
    if (open && this.live.has(uri)) {
      // Open documents are validated from their (possibly unsaved) text, not from disk.
      stats = this.live.revalidate(open);
    } else {
      const report = await this.validateWithProgress(uri);
      if (!report) return undefined;
      this.publish(uri, report);
      stats = report.stats;
    }
    if (stats) {
      this.onStats(uri, stats);
      void this.announce(uri, stats);
    }
    return stats;
  }

  /** An opened document's live diagnostics replace the ones computed from disk. */
  forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  /**
   * Statistics of a file on disk without touching the Problems panel (the Datasets view's background pass): on
   * the validation worker, never on the extension host's thread, and given up past DATASET_SUMMARY_BUDGET.
   */
  async summarize(uri: vscode.Uri): Promise<DatasetSummary> {
    const options = await this.options.current();
    const workers = bundledValidationWorkers();
    if (!workers) return { kind: 'done', stats: (await validateFile(uri.fsPath, { ...options, files: nodeDatasetFiles })).stats }; // running from the sources
    return summarizeDataset(uri.fsPath, options, workers);
  }

  dispose(): void {
    this.collection.dispose();
  }

  private publish(uri: vscode.Uri, report: FileReport): void {
    this.collection.set(uri, buildDiagnostics(uri, report.findings, undefined, report.omitted).diagnostics);
  }

  private async validateWithProgress(uri: vscode.Uri): Promise<FileReport | undefined> {
    // The user is waiting: use worker threads (large files only; the validator decides), leaving a core free.
    const options = {
      ...(await this.options.current()),
      files: nodeDatasetFiles,
      workers: Math.min(4, Math.max(1, availableParallelism() - 1)),
      rangeWorkers: bundledValidationWorkers(),
    };
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Validating ${basename(uri.fsPath)}`, cancellable: false },
        async (progress) => {
          let reported = 0;
          return validateFile(uri.fsPath, options, ({ bytesRead, totalBytes }: ValidateProgress) => {
            const percent = totalBytes > 0 ? Math.floor((bytesRead / totalBytes) * 100) : 100;
            if (percent > reported) {
              progress.report({ increment: percent - reported, message: `${percent}%` });
              reported = percent;
            }
          });
        },
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`BrightRun could not validate ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async announce(uri: vscode.Uri, stats: DatasetStats): Promise<void> {
    const text = `${basename(uri.fsPath)}: ${codeLensTitle(stats).replace(/^\$\([a-z-]+\) /, '')}`;
    const show = stats.errors + stats.warnings > 0 ? ['Show Problems'] : [];
    const choice = stats.errors > 0 ? await vscode.window.showWarningMessage(text, ...show) : await vscode.window.showInformationMessage(text, ...show);
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
}
