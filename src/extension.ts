// Composition root: builds the objects the extension needs and registers their disposables. Nothing else.
import * as vscode from 'vscode';
import { registerValidation } from './vscode/validation/register';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('BrightRun', { log: true });
  context.subscriptions.push(output);
  registerValidation(context, { log: output });
}

export function deactivate(): void {}
