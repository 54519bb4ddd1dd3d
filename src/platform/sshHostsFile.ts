// The hosts list the CLI and the editor share: $BRIGHTRUN_HOME/hosts.json ({"hosts": [...]}, the same shape as
// the editor's `brightrun.hosts` setting). A name that is not listed is taken as an alias from ~/.ssh/config,
// like `ssh NAME`.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { aliasHostSettings, parseHostsList, type HostSettings, type HostSettingsInput } from '../core/hosts/hostSettings';
import { withFileLock } from './fileLock';
import { writeFileAtomic } from './localHost';

export function readHostsFile(path: string): HostSettings[] {
  if (!existsSync(path)) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseHostsList(value, path);
}

/** The `local` entry's maxConcurrentRuns in hosts.json, if any (a damaged file leaves the default: the local
 *  host must not depend on SSH settings being valid). */
export function localMaxConcurrentRuns(path: string): number | undefined {
  try {
    return readHostsFile(path).find((h) => h.name === 'local')?.maxConcurrentRuns;
  } catch {
    return undefined;
  }
}

export function findHostSettings(name: string, hosts: readonly HostSettings[]): HostSettings {
  return hosts.find((h) => h.name === name) ?? aliasHostSettings(name);
}

/** Adds a host to the file (created when missing), keeping the other entries as they were written. Under the
 *  file's lock and re-read first, so a host added meanwhile by another process is kept; a name already listed
 *  is refused. */
export async function addHostToFile(path: string, host: HostSettingsInput): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await withFileLock(`${path}.lock`, async () => {
    const hosts = readHostsFile(path);
    if (hosts.some((h) => h.name === host.name)) throw new Error(`host '${host.name}' is already in ${path}`);
    const raw = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : {};
    const entries = Array.isArray(raw) ? raw : ((raw as { hosts?: unknown[] }).hosts ?? []);
    const next = { ...(Array.isArray(raw) ? {} : (raw as object)), hosts: [...entries, host] };
    parseHostsList(next, path); // what is written must read back
    await writeFileAtomic(path, JSON.stringify(next, null, 2) + '\n');
  });
}
