// One list of SSH hosts for the editor and the CLI: $BRIGHTRUN_HOME/hosts.json, which both read, plus the
// editor's `brightrun.hosts` setting, which adds hosts for the editor only.
//
// On a name clash the file's entry wins. A run records only its host's name, and the CLI (`brightrun logs`,
// `cancel`, `resume`) finds the host by that name in the file alone: if the setting won, the same name would
// be one machine in the editor and another in the terminal, and a run started in one could not be followed,
// cancelled or resumed from the other. A clash with different values is reported, so the user removes one.
import type { HostSettings } from './hostSettings';

export interface CombinedHosts {
  hosts: HostSettings[];
  /** One message per name defined differently in both places. */
  clashes: string[];
}

export function combineHostLists(fromFile: readonly HostSettings[], fromSetting: readonly HostSettings[], filePath: string): CombinedHosts {
  const byName = new Map(fromFile.map((host) => [host.name, host]));
  const clashes: string[] = [];
  const added: HostSettings[] = [];
  for (const host of fromSetting) {
    const fileHost = byName.get(host.name);
    if (!fileHost) {
      added.push(host);
      continue;
    }
    if (JSON.stringify(fileHost) !== JSON.stringify(host)) {
      clashes.push(
        `host '${host.name}' is defined both in ${filePath} and in the brightrun.hosts setting, differently; the entry in ${filePath} is used (the command line sees only that one). Remove or rename the setting's entry.`,
      );
    }
  }
  return { hosts: [...fromFile, ...added], clashes };
}
