// The CLI's list of hosts: ~/.brightrun/hosts.json ({"hosts": [...]}, the same shape as the editor's
// `brightrun.hosts` setting). A name that is not listed is taken as an alias from ~/.ssh/config, like `ssh NAME`.
import { existsSync, readFileSync } from 'node:fs';
import { aliasHostSettings, parseHostsList, type HostSettings } from '../core/hosts/hostSettings';

export function readHostsFile(path: string): HostSettings[] {
  if (!existsSync(path)) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseHostsList(value, path);
}

export function findHostSettings(name: string, hosts: readonly HostSettings[]): HostSettings {
  return hosts.find((h) => h.name === name) ?? aliasHostSettings(name);
}
