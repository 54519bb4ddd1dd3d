// The workspace's *.brightrun.json files through the workspace API (its files.exclude and search settings apply),
// read for the launch form's template list, which follows them as they change (a template saved while the form is
// open shows up in it). Files that disappear or cannot be read meanwhile are left out.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { isTemplateText } from '../../core/config/fillTemplate';
import type { TemplateFiles, WorkspaceFile } from './launchTemplates';

const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/.brightrun/**}';
/** A workspace with more config files than this lists the first ones found. */
const MAX_FILES = 500;

export const workspaceTemplateFiles: TemplateFiles = {
  async list(): Promise<WorkspaceFile[]> {
    const uris = await vscode.workspace.findFiles('**/*.brightrun.json', EXCLUDE, MAX_FILES);
    const files = await Promise.all(
      uris.map(async (uri) => {
        try {
          return { path: uri.fsPath, text: await readFile(uri.fsPath, 'utf8') };
        } catch {
          return null;
        }
      }),
    );
    return files.filter((file): file is WorkspaceFile => file !== null);
  },
  onDidChange(listener) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.brightrun.json');
    const subscriptions = [watcher, watcher.onDidCreate(listener), watcher.onDidChange(listener), watcher.onDidDelete(listener)];
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
  },
};

/** True when the file holds a run template (a `template` block): the form makes a run from it instead of editing it. */
export async function isTemplateFile(path: string): Promise<boolean> {
  try {
    return isTemplateText(await readFile(path, 'utf8'));
  } catch {
    return false;
  }
}
