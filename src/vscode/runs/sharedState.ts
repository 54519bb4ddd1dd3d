// The state the editor shares with the `brightrun` command line: $BRIGHTRUN_HOME (default ~/.brightrun) holds the
// run registry (state/) and the SSH hosts (hosts.json). A BRIGHTRUN_HOME the editor was started with is passed
// on to its integrated terminals, so `brightrun` typed there sees the same runs even where a terminal profile
// does not inherit the editor's environment.
import type * as vscode from 'vscode';
import { combineHostLists } from '../../core/hosts/hostLists';
import { BRIGHTRUN_HOME_VARIABLE, brightrunHome, hostsFilePath, runStateDir } from '../../platform/brightrunHome';
import { readHostsFile } from '../../platform/sshHostsFile';
import type { RunSettings } from '../settings';

export interface SharedState {
  home: string;
  stateDir: string;
  hostsFile: string;
}

export function sharedState(context: Pick<vscode.ExtensionContext, 'environmentVariableCollection'>, env: NodeJS.ProcessEnv = process.env): SharedState {
  const home = brightrunHome(env);
  if (env[BRIGHTRUN_HOME_VARIABLE]) context.environmentVariableCollection.replace(BRIGHTRUN_HOME_VARIABLE, home);
  else context.environmentVariableCollection.delete(BRIGHTRUN_HOME_VARIABLE);
  return { home, stateDir: runStateDir(home), hostsFile: hostsFilePath(home) };
}

/** The run settings with hosts.json's hosts first and the `brightrun.hosts` setting's added (the file wins a
 *  name clash; see combineHostLists). A hosts.json that cannot be read is reported and its hosts left out. */
export function withHostsFile(read: { settings: RunSettings; problems: string[] }, hostsFile: string): { settings: RunSettings; problems: string[] } {
  let fromFile: RunSettings['hosts'] = [];
  const problems = [...read.problems];
  try {
    fromFile = readHostsFile(hostsFile).filter((host) => host.name !== 'local');
  } catch (error) {
    problems.push(`${error instanceof Error ? error.message : String(error)} (its hosts are left out until it is fixed)`);
  }
  const combined = combineHostLists(fromFile, read.settings.hosts, hostsFile);
  return { settings: { ...read.settings, hosts: combined.hosts }, problems: [...problems, ...combined.clashes] };
}
