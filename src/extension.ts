// Composition root: builds the objects the extension needs and registers their disposables. Nothing else.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('BrightRun', { log: true });
  context.subscriptions.push(output);
}

export function deactivate(): void {}
