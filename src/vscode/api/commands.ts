// Running other commands, behind a small interface (the monitor's buttons and the run commands use it).
import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';

export interface CommandsApi {
  executeCommand(command: CommandId, ...args: unknown[]): Thenable<unknown>;
}

export const vscodeCommands: CommandsApi = {
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
};
