// Which dataset a command acts on: the explorer/tree argument, else the active editor, else the active tab
// (a file over 50 MB is shown in a tab but never handed to extensions as a document), else ask.
import * as vscode from 'vscode';

export async function resolveDatasetUri(arg: unknown, purpose: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const fromNode = (arg as { resourceUri?: unknown; uri?: unknown } | undefined) ?? {};
  if (fromNode.uri instanceof vscode.Uri) return fromNode.uri;
  if (fromNode.resourceUri instanceof vscode.Uri) return fromNode.resourceUri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.path.toLowerCase().endsWith('.jsonl')) return active;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputText && tab.uri.path.toLowerCase().endsWith('.jsonl')) return tab.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'JSON Lines': ['jsonl'] },
    openLabel: purpose,
    title: `BrightRun: choose a JSONL dataset to ${purpose.toLowerCase()}`,
  });
  return picked?.[0];
}
