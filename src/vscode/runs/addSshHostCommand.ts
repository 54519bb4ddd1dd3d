// "Add SSH Host": pick an alias from ~/.ssh/config or type user@host[:port]; saved to $BRIGHTRUN_HOME/hosts.json
// (validated with the same schema the engine reads), so `brightrun --host NAME` in a terminal finds it too. The
// connection itself is checked by preflight.
import * as vscode from 'vscode';
import { HostSettings, type HostSettingsInput } from '../../core/hosts/hostSettings';
import { sshConfigHostPatterns } from '../../platform/sshTarget';
import { addHostToFile, readHostsFile } from '../../platform/sshHostsFile';
import { concreteAliases, hostNameFor, parseUserAtHost } from './sshAliases';

/** The aliases of ~/.ssh/config and the files it Includes; none when it cannot be read (typing a host works). */
function readAliases(log: vscode.LogOutputChannel): string[] {
  try {
    return concreteAliases(sshConfigHostPatterns());
  } catch (error) {
    log.warn(`Cannot list the aliases of ~/.ssh/config: ${(error as Error).message}`);
    return [];
  }
}

/** Host names already used, in the shared file or the editor's own setting. */
function takenNames(hostsFile: string, log: vscode.LogOutputChannel): string[] {
  const setting = (vscode.workspace.getConfiguration('brightrun').get<unknown[]>('hosts') ?? []).filter(
    (h): h is { name: string } => typeof (h as { name?: unknown })?.name === 'string',
  );
  let fromFile: string[] = [];
  try {
    fromFile = readHostsFile(hostsFile).map((h) => h.name);
  } catch (error) {
    log.warn((error as Error).message);
  }
  return ['local', ...fromFile, ...setting.map((h) => h.name)];
}

export function createAddSshHostCommand(log: vscode.LogOutputChannel, hostsFile: string) {
  return async (): Promise<string | undefined> => {
    const taken = takenNames(hostsFile, log);
    const aliases = readAliases(log).filter((alias) => !taken.includes(alias));
    const typeOwn = { label: '$(edit) Enter user@host[:port]…', alias: undefined as string | undefined };
    const picked = await vscode.window.showQuickPick(
      [...aliases.map((alias) => ({ label: `$(remote) ${alias}`, description: 'from ~/.ssh/config', alias })), typeOwn],
      {
        title: 'Add an SSH host to train on',
        placeHolder: aliases.length ? 'Pick an alias from ~/.ssh/config or enter a host' : 'No new aliases in ~/.ssh/config: enter a host',
      },
    );
    if (!picked) return undefined;

    let entry: HostSettingsInput;
    if (picked.alias) {
      entry = { name: hostNameFor(picked.alias, taken), kind: 'ssh', sshAlias: picked.alias };
    } else {
      const typed = await vscode.window.showInputBox({
        title: 'Add an SSH host',
        prompt: 'user@host or user@host:port (keys and ssh-agent are used as by ssh)',
        placeHolder: 'ubuntu@gpu-box.example.com:22',
        ignoreFocusOut: true,
        validateInput: (value) => (parseUserAtHost(value) ? null : 'Use user@host, user@host:port or host.'),
      });
      const parts = typed ? parseUserAtHost(typed) : null;
      if (!parts) return undefined;
      entry = { name: hostNameFor(parts.host.split('.')[0], taken), kind: 'ssh', ...parts };
    }
    const price = await vscode.window.showInputBox({
      title: `Price of one GPU-hour on ${entry.name} (optional)`,
      prompt: 'In USD, for cost estimates and the live cost; leave empty to use the default for the GPU preflight finds.',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' || (Number.isFinite(Number(value)) && Number(value) >= 0) ? null : 'A number of USD, e.g. 1.89'),
    });
    if (price === undefined) return undefined;
    if (price.trim() !== '') entry.pricePerGpuHour = Number(price);

    const checked = HostSettings.safeParse(entry);
    if (!checked.success) {
      void vscode.window.showErrorMessage(`This host cannot be added: ${checked.error.issues.map((i) => i.message).join('; ')}`);
      return undefined;
    }
    try {
      await addHostToFile(hostsFile, entry);
    } catch (error) {
      void vscode.window.showErrorMessage(`This host cannot be added: ${(error as Error).message}`);
      return undefined;
    }
    log.info(`Added SSH host ${entry.name} to ${hostsFile}`);
    void vscode.window.showInformationMessage(`SSH host "${entry.name}" added. Pick it in the launch form; a preflight checks it before anything is uploaded.`);
    return entry.name;
  };
}
