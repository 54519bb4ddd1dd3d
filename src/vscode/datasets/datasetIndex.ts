// The workspace's JSONL datasets and their statistics, kept current by a file watcher. Validation from disk
// runs in the background, one file at a time, and only for files whose mtime/size (or the settings) changed;
// nothing starts until the Datasets view first asks for its items, so activation stays cheap.
import * as vscode from 'vscode';
import type { DatasetStats } from '../../contracts/dataset';
import { DatasetStatsCache, type FileSignature } from './statsCache';
import { SerialQueue } from './serialQueue';
import { isPromptSetPath } from '../../core/evaluation/promptSet';

export interface DatasetEntry {
  uri: vscode.Uri;
  stats?: DatasetStats;
  /** True while (re-)validation is pending or running; `stats` may then be from an older version. */
  validating: boolean;
  /** Why the last validation failed (unreadable file...). */
  error?: string;
  /** The background summary took longer than its budget: the file must be validated explicitly. */
  tooSlow?: boolean;
}

/** A background summary: the statistics, or "too slow" when the file took longer than the time budget. */
export type DatasetSummary = { kind: 'done'; stats: DatasetStats } | { kind: 'tooSlow' };

export interface DatasetIndexDeps {
  /** Validates one file from disk off the editor's thread, within a time budget. */
  summarize(uri: vscode.Uri): Promise<DatasetSummary>;
  /** Identity of the current validation settings (part of the cache key). */
  optionsKey(): string;
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
}

const STATE_KEY = 'brightrun.datasets.statsCache';
const EXCLUDE = '**/{node_modules,.git,.venv,.brightrun}/**';
const MAX_FILES = 5000;

/** Folders of tools and prompt sets for evaluation are not training datasets. */
export function isExcludedPath(path: string): boolean {
  return /[\\/](node_modules|\.git|\.venv|\.brightrun)[\\/]/.test(path) || isPromptSetPath(path);
}

export class DatasetIndex implements vscode.Disposable {
  private readonly entries = new Map<string, DatasetEntry>();
  private readonly cache: DatasetStatsCache;
  private readonly queue: SerialQueue<string>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private started: Promise<void> | undefined;

  constructor(private readonly deps: DatasetIndexDeps) {
    this.cache = new DatasetStatsCache(deps.state.get(STATE_KEY));
    this.queue = new SerialQueue(
      (key) => this.validate(key),
      (key, error) => this.failed(key, error),
    );
  }

  /** Finds the datasets and starts watching; idempotent, called when the view first needs items. */
  start(): Promise<void> {
    this.started ??= this.scan().then(() => {
      const watcher = vscode.workspace.createFileSystemWatcher('**/*.jsonl');
      this.disposables.push(
        watcher,
        watcher.onDidCreate((uri) => this.touch(uri)),
        watcher.onDidChange((uri) => this.touch(uri)),
        watcher.onDidDelete((uri) => this.remove(uri)),
        vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scan()),
      );
    });
    return this.started;
  }

  list(): DatasetEntry[] {
    return [...this.entries.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
  }

  get(uri: vscode.Uri): DatasetEntry | undefined {
    return this.entries.get(uri.toString());
  }

  /** Re-lists the workspace and re-checks every file (the view's Refresh). */
  async refresh(): Promise<void> {
    await this.start();
    await this.scan();
  }

  /** Settings changed: every file's statistics are re-computed (cached ones no longer match the key). */
  revalidateAll(): void {
    for (const entry of this.entries.values()) this.enqueue(entry);
    this.changed.fire();
  }

  /** Fresher statistics from an open document (or an explicit validation) replace the disk ones. */
  setStats(uri: vscode.Uri, stats: DatasetStats): void {
    const entry = this.entries.get(uri.toString());
    if (!entry) return;
    entry.stats = stats;
    entry.error = undefined;
    entry.tooSlow = false;
    this.changed.fire();
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  dispose(): void {
    this.queue.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.changed.dispose();
  }

  private async scan(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.jsonl', EXCLUDE, MAX_FILES);
    const seen = new Set<string>();
    for (const uri of uris) {
      if (isExcludedPath(uri.path)) continue;
      seen.add(uri.toString());
      if (!this.entries.has(uri.toString())) this.entries.set(uri.toString(), { uri, validating: false, stats: this.cache.lastKnown(uri.fsPath) });
    }
    for (const key of [...this.entries.keys()]) {
      if (!seen.has(key)) {
        this.entries.delete(key);
        this.queue.drop(key);
      }
    }
    this.cache.retain(new Set([...this.entries.values()].map((e) => e.uri.fsPath)));
    for (const entry of this.entries.values()) this.enqueue(entry);
    this.changed.fire();
  }

  private touch(uri: vscode.Uri): void {
    if (isExcludedPath(uri.path)) return;
    let entry = this.entries.get(uri.toString());
    if (!entry) {
      entry = { uri, validating: false };
      this.entries.set(uri.toString(), entry);
    }
    this.enqueue(entry);
    this.changed.fire();
  }

  private remove(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.queue.drop(uri.toString());
    this.cache.delete(uri.fsPath);
    this.changed.fire();
  }

  private enqueue(entry: DatasetEntry): void {
    entry.validating = true;
    this.queue.enqueue(entry.uri.toString());
  }

  private async validate(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    const stat = await vscode.workspace.fs.stat(entry.uri);
    const signature: FileSignature = { mtime: stat.mtime, size: stat.size };
    const optionsKey = this.deps.optionsKey();
    let stats = this.cache.get(entry.uri.fsPath, signature, optionsKey);
    if (!stats) {
      const summary = await this.deps.summarize(entry.uri);
      if (summary.kind === 'tooSlow') {
        if (this.entries.get(key) !== entry) return;
        Object.assign(entry, { stats: undefined, validating: false, error: undefined, tooSlow: true });
        this.changed.fire();
        return;
      }
      stats = summary.stats;
      this.cache.set(entry.uri.fsPath, signature, optionsKey, stats);
      await this.deps.state.update(STATE_KEY, this.cache.toJSON());
    }
    if (this.entries.get(key) !== entry) return; // deleted meanwhile
    Object.assign(entry, { stats, validating: false, error: undefined, tooSlow: false });
    this.changed.fire();
  }

  private failed(key: string, error: unknown): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.validating = false;
    entry.error = error instanceof Error ? error.message : String(error);
    this.deps.log.warn(`Could not validate ${entry.uri.fsPath}: ${entry.error}`);
    this.changed.fire();
  }
}
