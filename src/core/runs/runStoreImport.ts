// Moves the runs an older editor kept in its own storage (the extension's global storage: runs.json and mirror/)
// into the shared state folder the editor and the CLI now both use. Done once: afterwards the old folder holds
// moved.json and is never read again.
//
// Safe to repeat and to crash in: the whole import holds import.lock (two editor windows may start together); a
// run already in the shared folder is skipped, so nothing is duplicated; each mirror is copied to a staging
// folder and renamed into place in one step, and only then listed in the index, so a crash leaves either nothing
// or a whole mirror (which the index is rebuilt from on the next open). The old files are left where they were.
import { join } from 'node:path';
import { RunIndexStore } from './runIndexStore';
import type { StoreFs } from './storeFs';

export interface RunStoreImport {
  /** Runs copied into the shared folder. */
  imported: string[];
  /** Runs left out: already there, or hidden by the user in the old list. */
  skipped: string[];
  /** Damage found in the old folder, in words (recovered from as when opening it). */
  problems: string[];
}

export const IMPORT_MARKER = 'moved.json';

/** Imports the runs in `oldDir` into `stateDir` unless that was done already (then null). `hidden`: runs the
 *  user had removed from the old list, which stay out. */
export async function importRunStore(
  fs: StoreFs,
  oldDir: string,
  stateDir: string,
  options: { hidden?: ReadonlySet<string>; now?: () => Date } = {},
): Promise<RunStoreImport | null> {
  const now = options.now ?? (() => new Date());
  if (await fs.readFile(join(oldDir, IMPORT_MARKER))) return null;
  const hasOldRuns = (await fs.readFile(join(oldDir, 'runs.json'))) !== null || (await fs.list(join(oldDir, 'mirror'))).length > 0;
  if (!hasOldRuns) return null;
  await fs.mkdirp(stateDir);
  return fs.withLock(join(stateDir, 'import.lock'), async () => {
    if (await fs.readFile(join(oldDir, IMPORT_MARKER))) return null; // another window did it meanwhile
    const problems: string[] = [];
    const oldStore = new RunIndexStore(fs, oldDir, problems, now);
    const newStore = new RunIndexStore(fs, stateDir, problems, now);
    const present = new Set((await newStore.load()).map((record) => record.id));
    const result: RunStoreImport = { imported: [], skipped: [], problems };
    for (const record of await oldStore.load()) {
      if (present.has(record.id) || options.hidden?.has(record.id)) {
        result.skipped.push(record.id);
        continue;
      }
      const staging = join(stateDir, 'importing', record.id);
      await fs.remove(staging);
      await fs.mkdirp(join(stateDir, 'importing'));
      const oldMirror = oldStore.mirrorDir(record.id);
      if ((await fs.list(oldMirror)).length > 0) await fs.copyTree(oldMirror, staging);
      else await fs.mkdirp(staging);
      await fs.writeFileAtomic(join(staging, 'record.json'), JSON.stringify(record, null, 2) + '\n');
      await fs.mkdirp(join(stateDir, 'mirror'));
      await fs.rename(staging, newStore.mirrorDir(record.id));
      await newStore.saveSnapshots([record]);
      result.imported.push(record.id);
    }
    await fs.remove(join(stateDir, 'importing'));
    const marker = { v: 1, movedTo: stateDir, at: now().toISOString(), runs: result.imported };
    await fs.writeFileAtomic(join(oldDir, IMPORT_MARKER), JSON.stringify(marker, null, 2) + '\n');
    return result;
  });
}
