// Copying a folder from a host builds local paths out of the names the host lists, and a host is not to be
// trusted with that: a name like `../../x`, one holding `/`, `\` or NUL, or a symlink would write outside the
// folder. Names are checked one by one, and every target must resolve inside the folder it is written to.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** One entry of a remote folder, typed as lstat sees it (a symlink is a symlink, not what it points to). */
export interface FolderEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
}

/** Longest name most file systems accept (bytes). */
const MAX_NAME_BYTES = 255;

/** Why a listed name cannot become a local file name, or null when it can. */
export function unsafeEntryName(name: string): string | null {
  if (name === '' || name === '.' || name === '..') return `the name ${JSON.stringify(name)} is not a file name`;
  if (name.includes('\0')) return 'the name holds a NUL byte';
  if (name.includes('/') || name.includes('\\')) return 'the name holds a path separator';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'the name holds a control character';
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return `the name is longer than ${MAX_NAME_BYTES} bytes`;
  return null;
}

/** The local path of `parts` (checked names) under `root`, or null when it would land outside root. */
export function targetInside(root: string, parts: readonly string[]): string | null {
  const base = resolve(root);
  const target = resolve(join(base, ...parts));
  const rel = relative(base, target);
  const outside = rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return outside ? null : target;
}

/** Printable form of a name that may hold control characters, for the messages about skipped entries. */
export function shownName(path: string): string {
  return JSON.stringify(path).slice(1, -1);
}
