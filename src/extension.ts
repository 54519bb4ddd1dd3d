// Composition root: builds the objects the extension needs and registers their disposables. Nothing else.
import * as vscode from 'vscode';
import { registerValidation } from './vscode/validation/register';
import { registerRuns } from './vscode/runs/registerRuns';
import { registerPanels } from './vscode/panels/registerPanels';
import { registerModels } from './vscode/models/registerModels';
import { registerSpend } from './vscode/spend/registerSpend';
import { activationMark, activationTimeMessage } from './vscode/activationTime';

// This module's code runs after that of every module it imports: here the bundle has been loaded.
const loaded = activationMark();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = activationMark();
  const output = vscode.window.createOutputChannel('BrightRun', { log: true });
  context.subscriptions.push(output);
  const { datasets } = registerValidation(context, { log: output });
  const runs = await registerRuns(context, { log: output });
  registerPanels(context, { log: output, runs, datasets });
  registerModels(context, { log: output, runs });
  registerSpend(context, { log: output, runs: runs.runs });
  output.info(activationTimeMessage({ loaded, started }));
}

export function deactivate(): void {}
