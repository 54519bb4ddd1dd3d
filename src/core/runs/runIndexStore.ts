// Persistence of the run list: <storage>/runs.json (the index) plus a copy of each record in its mirror folder
// (mirror/<runId>/record.json), so a damaged index is rebuilt instead of losing runs. Writes are atomic.
// A run id read back from disk becomes a folder name (its mirror, removed with the run) and its run folder on
// the host: an entry whose id is not a generated one, or whose run folder is not <workdir>/runs/<id>, is
// reported and left out, never used as a path.
//
// Several processes share the storage (the editor and `brightrun` in a terminal): every change of the index is
// read-modify-write under runs.json.lock, and writes only the records this process changed, so an update made
// by another process meanwhile is never lost. Each save bumps the record's rev, which tells a process reloading
// the index whether a record changed since it last saw it.
import { join, posix } from 'node:path';
import { isRunId } from './runId';
import { RunIndex, RunRecord } from './runRecord';
import type { StoreFs } from './storeFs';

export class RunIndexStore {
  /** Runs this process removed: an index write racing with the removal must not bring them back. */
  private readonly removed = new Set<string>();

  constructor(
    private readonly fs: StoreFs,
    private readonly storageDir: string,
    /** Damaged files found, in words; they are recovered from, never thrown. */
    private readonly problems: string[],
    private readonly now: () => Date,
  ) {}

  mirrorDir(runId: string): string {
    return join(this.storageDir, 'mirror', runId);
  }

  indexPath(): string {
    return join(this.storageDir, 'runs.json');
  }

  private lockPath(): string {
    return join(this.storageDir, 'runs.json.lock');
  }

  /** Every known run: the index, plus runs only their mirror remembers (a damaged or stale index). */
  async load(): Promise<RunRecord[]> {
    await this.fs.mkdirp(this.storageDir);
    let records = await this.readIndex();
    if (records === null) {
      const aside = `${this.indexPath()}.corrupt-${this.now().getTime()}`;
      await this.fs.rename(this.indexPath(), aside);
      this.problems.push(`runs.json was damaged (kept as ${aside}); the run list was rebuilt from the run mirrors`);
      records = [];
    }
    const byId = new Map(records.map((r) => [r.id, r]));
    const missing = (await this.readMirrorRecords()).filter((record) => !byId.has(record.id));
    if (missing.length > 0) await this.update(missing, true);
    return [...records, ...missing];
  }

  /** Whether this process removed the run (a reload must not bring it back from a stale read). */
  wasRemoved(runId: string): boolean {
    return this.removed.has(runId);
  }

  /** The index as it is on disk now (another process may have changed it), or null when it is damaged. */
  async reload(): Promise<RunRecord[] | null> {
    return this.readIndex();
  }

  /** Saves one run's record: its copy in the mirror folder, and its entry in the index (rev bumped). */
  async save(record: RunRecord): Promise<void> {
    await this.fs.mkdirp(this.mirrorDir(record.id));
    await this.update([record]);
    await this.fs.writeFileAtomic(join(this.mirrorDir(record.id), 'record.json'), JSON.stringify(record, null, 2) + '\n');
  }

  /** Rewrites these records' index entries alone (their snapshot was rebuilt), without bumping rev. */
  async saveSnapshots(records: readonly RunRecord[]): Promise<void> {
    await this.update(records, true);
  }

  /** Forgets a run: its record.json goes first (so no process loading meanwhile rebuilds it from the mirror),
   *  then the index is rewritten without it, then its mirror folder goes. The mirror is moved out of mirror/ in
   *  one rename before it is deleted, so a crash half-way through deleting never leaves a partial mirror that
   *  load() would bring back as a run. */
  async remove(runId: string): Promise<void> {
    this.removed.add(runId);
    await this.fs.remove(join(this.mirrorDir(runId), 'record.json'));
    await this.update([]);
    const trash = join(this.storageDir, 'removed');
    await this.fs.mkdirp(trash);
    const aside = join(trash, `${runId}-${this.now().getTime()}`);
    await this.fs.rename(this.mirrorDir(runId), aside);
    await this.fs.remove(aside);
  }

  /** The index is read again before each write: a bad entry is reported once. */
  private report(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  /** Records from runs.json, or null when the file is damaged. */
  private async readIndex(): Promise<RunRecord[] | null> {
    const raw = await this.fs.readFile(this.indexPath());
    if (!raw) return [];
    let index: { runs: unknown[] };
    try {
      index = RunIndex.parse(JSON.parse(raw.toString('utf8')));
    } catch {
      return null;
    }
    const records: RunRecord[] = [];
    for (const item of index.runs) {
      const parsed = RunRecord.safeParse(item);
      const unsafe = parsed.success ? unsafeRecord(parsed.data) : null;
      if (parsed.success && !unsafe) records.push(parsed.data);
      else if (unsafe) this.report(`runs.json: a run entry was skipped: ${unsafe}`);
      else this.report(`runs.json: an unreadable run entry was skipped (${JSON.stringify(item).slice(0, 80)})`);
    }
    return records;
  }

  private async readMirrorRecords(): Promise<RunRecord[]> {
    const records: RunRecord[] = [];
    for (const id of await this.fs.list(join(this.storageDir, 'mirror'))) {
      if (!isRunId(id)) {
        this.problems.push(`mirror/${JSON.stringify(id).slice(1, -1)} is not named by a run id; it was left out`);
        continue;
      }
      const raw = await this.fs.readFile(join(this.mirrorDir(id), 'record.json'));
      if (!raw) continue;
      let record: RunRecord;
      try {
        record = RunRecord.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        this.problems.push(`run ${id}: record.json is unreadable; the run is left out until runs.json lists it`);
        continue;
      }
      const unsafe = record.id === id ? unsafeRecord(record) : `it names run ${JSON.stringify(record.id)}, not ${id}`;
      if (unsafe) this.problems.push(`run ${id}: record.json was left out: ${unsafe}`);
      else records.push(record);
    }
    return records;
  }

  /** Read-modify-write of the index under its lock: `changed` replace their entries (rev bumped past the
   *  one on disk unless `keepRev`), runs this process removed are dropped, every other entry is kept as it is
   *  on disk. */
  private update(changed: readonly RunRecord[], keepRev = false): Promise<void> {
    return this.fs.withLock(this.lockPath(), async () => {
      const onDisk = (await this.readIndex()) ?? [];
      const merged = new Map(onDisk.map((r) => [r.id, r]));
      for (const record of changed) {
        if (!keepRev) record.rev = Math.max(record.rev, merged.get(record.id)?.rev ?? 0) + 1;
        merged.set(record.id, record);
      }
      for (const id of this.removed) merged.delete(id);
      const index = { v: 1, runs: [...merged.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
      await this.fs.writeFileAtomic(this.indexPath(), JSON.stringify(index, null, 2) + '\n');
    });
  }
}

/** Why a record read back from disk cannot be used (its id or run folder would be an unsafe path), or null. */
function unsafeRecord(record: RunRecord): string | null {
  const shown = JSON.stringify(record.id).slice(0, 80);
  if (!isRunId(record.id)) return `${shown} is not a run id (YYYYMMDD-HHMMSS-xxxxxx)`;
  if (posix.basename(record.runDir) !== record.id || posix.basename(posix.dirname(record.runDir)) !== 'runs') {
    return `the run folder of ${record.id} is not <workdir>/runs/${record.id} (${JSON.stringify(record.runDir).slice(0, 120)})`;
  }
  return null;
}
