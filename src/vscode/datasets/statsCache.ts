// Statistics of the workspace's datasets, cached by file signature (mtime + size) and by the settings that
// shape them, so the Datasets tree re-validates only files that changed. Serialisable to workspace state, so a
// reopened window shows its badges without re-reading every file.
import type { DatasetStats } from '../../contracts/dataset';

export interface FileSignature {
  mtime: number;
  size: number;
}

export interface CachedSummary {
  signature: FileSignature;
  optionsKey: string;
  stats: DatasetStats;
}

export class DatasetStatsCache {
  private readonly entries: Map<string, CachedSummary>;

  constructor(saved?: unknown) {
    this.entries = new Map(isSavedShape(saved) ? Object.entries(saved) : []);
  }

  get(path: string, signature: FileSignature, optionsKey: string): DatasetStats | undefined {
    const entry = this.entries.get(path);
    if (!entry || entry.optionsKey !== optionsKey) return undefined;
    if (entry.signature.mtime !== signature.mtime || entry.signature.size !== signature.size) return undefined;
    return entry.stats;
  }

  /** The last known statistics, even if stale: shown (marked as such) while the file is re-validated. */
  lastKnown(path: string): DatasetStats | undefined {
    return this.entries.get(path)?.stats;
  }

  set(path: string, signature: FileSignature, optionsKey: string, stats: DatasetStats): void {
    this.entries.set(path, { signature, optionsKey, stats });
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  /** Forgets files that no longer exist. */
  retain(paths: ReadonlySet<string>): void {
    for (const path of [...this.entries.keys()]) if (!paths.has(path)) this.entries.delete(path);
  }

  toJSON(): Record<string, CachedSummary> {
    return Object.fromEntries(this.entries);
  }
}

function isSavedShape(value: unknown): value is Record<string, CachedSummary> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (entry) =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as CachedSummary).optionsKey === 'string' &&
      typeof (entry as CachedSummary).signature?.mtime === 'number' &&
      typeof (entry as CachedSummary).signature?.size === 'number' &&
      typeof (entry as CachedSummary).stats === 'object',
  );
}

/** Settings that change statistics; a change of any of them invalidates the cache. */
export function optionsKey(options: { maxSeqLen: number; tokenizer: string; severity: Record<string, string> }): string {
  return JSON.stringify([options.maxSeqLen, options.tokenizer, Object.entries(options.severity).sort()]);
}
