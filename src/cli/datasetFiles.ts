// The files `brightrun validate` reads: a file named on the command line as it is, a folder as every *.jsonl
// under it, recursively, sorted by path. Inside a folder the places the editor's Datasets view also leaves out
// are skipped: dependency, git, virtualenv and BrightRun state folders, and evaluation prompt sets.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isPromptSetPath } from '../core/evaluation/promptSet';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.venv', '.brightrun']);

export interface FolderExpansion {
  folder: string;
  files: string[];
}

/** Every *.jsonl file under `folder`. Symbolic links to folders are not followed, so a link cycle cannot loop.
 *  A walk of our own rather than readdirSync({ recursive: true }): that one cannot prune, so it would list all
 *  of node_modules or .git before we could drop them (fs.globSync, which can, needs Node 22). */
function jsonlFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path);
      } else if (entry.name.toLowerCase().endsWith('.jsonl') && !isPromptSetPath(entry.name)) {
        if (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile())) found.push(path);
      }
    }
  };
  walk(folder);
  // Plain code-unit order: the same on every machine and locale, so two reports of one folder line up.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `paths` with each folder replaced by its files; a path that is not a folder (even a missing one) stays, so
 *  reading it reports the problem. Also returns what each folder gave, for the count the CLI prints. */
export function expandDatasetPaths(paths: readonly string[]): { files: string[]; folders: FolderExpansion[] } {
  const files: string[] = [];
  const folders: FolderExpansion[] = [];
  for (const path of paths) {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      const expansion = { folder: path, files: jsonlFilesUnder(path) };
      folders.push(expansion);
      files.push(...expansion.files);
    } else {
      files.push(path);
    }
  }
  return { files, folders };
}
