// The workspace's JSONL files with their statistics, for the launch form when the Datasets view's index is not
// handed in. Statistics come from the same validator, computed in the background once per file version.
import * as vscode from 'vscode';
import { stat } from 'node:fs/promises';
import { validateFile } from '../../core/dataset';
import type { DatasetStats } from '../../core/dataset/types';
import type { DatasetsSource } from './launchPanel';

const EXCLUDE = '**/{node_modules,.git,.venv,.brightrun}/**';

export class WorkspaceDatasets implements DatasetsSource, vscode.Disposable {
  private readonly entries = new Map<string, { uri: vscode.Uri; stats?: DatasetStats; version?: string }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private started: Promise<void> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;

  constructor(private readonly maxSeqLen: () => number) {}

  start(): Promise<void> {
    this.started ??= (async () => {
      for (const uri of await vscode.workspace.findFiles('**/*.jsonl', EXCLUDE, 2000)) this.entries.set(uri.fsPath, { uri });
      this.changed.fire();
      this.watcher = vscode.workspace.createFileSystemWatcher('**/*.jsonl');
      this.watcher.onDidCreate((uri) => this.touch(uri));
      this.watcher.onDidChange((uri) => this.touch(uri));
      this.watcher.onDidDelete((uri) => {
        this.entries.delete(uri.fsPath);
        this.changed.fire();
      });
      void this.computeAll();
    })();
    return this.started;
  }

  list() {
    return [...this.entries.values()].sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath));
  }

  private touch(uri: vscode.Uri): void {
    if (/[\\/](node_modules|\.git|\.venv|\.brightrun)[\\/]/.test(uri.fsPath)) return;
    if (!this.entries.has(uri.fsPath)) this.entries.set(uri.fsPath, { uri });
    this.changed.fire();
    void this.computeAll();
  }

  private computing = false;
  private async computeAll(): Promise<void> {
    if (this.computing) return;
    this.computing = true;
    try {
      for (const entry of [...this.entries.values()]) {
        const info = await stat(entry.uri.fsPath).catch(() => null);
        if (!info) continue;
        const version = `${info.size}:${info.mtimeMs}`;
        if (entry.version === version) continue;
        const report = await validateFile(entry.uri.fsPath, { maxSeqLen: this.maxSeqLen(), workers: 1 }).catch(() => null);
        entry.version = version;
        if (report) entry.stats = report.stats;
        this.changed.fire();
      }
    } finally {
      this.computing = false;
    }
  }

  dispose(): void {
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
