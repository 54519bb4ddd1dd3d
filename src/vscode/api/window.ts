// The part of `vscode.window` the editor layer uses, as a small interface: panels and commands take it in their
// constructors, so unit tests drive them with a recording stand-in and no editor. `vscodeWindow` is the real one.
import * as vscode from 'vscode';

export interface MessageOptions {
  modal?: boolean;
  detail?: string;
}

export interface ProgressOptions {
  title?: string;
  /** Shows the progress on this view instead of as a notification. */
  viewId?: string;
}

export interface SaveDialogOptions {
  defaultPath: string;
  filters: Record<string, string[]>;
  title: string;
  saveLabel: string;
}

export interface InputBoxOptions {
  title: string;
  prompt: string;
  value: string;
  /** The message shown under the box while the text is not acceptable; null when it is. */
  validate(text: string): string | null;
}

export interface FolderDialogOptions {
  openLabel: string;
  title: string;
}

export interface WindowApi {
  showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showWarningMessage(message: string, options?: MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<readonly T[] | undefined>;
  withProgress<R>(options: ProgressOptions, task: () => Promise<R>): Thenable<R>;
  /** The path the user chose to save to, or undefined when cancelled. */
  showSaveDialog(options: SaveDialogOptions): Thenable<string | undefined>;
  /** The folder the user picked, or undefined when cancelled. */
  showFolderDialog(options: FolderDialogOptions): Thenable<string | undefined>;
  /** The text the user entered, or undefined when cancelled. */
  showInputBox(options: InputBoxOptions): Thenable<string | undefined>;
}

export const vscodeWindow: WindowApi = {
  showInformationMessage: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
  showWarningMessage: (message, options, ...items) => vscode.window.showWarningMessage(message, options ?? {}, ...items),
  showErrorMessage: (message, ...items) => vscode.window.showErrorMessage(message, ...items),
  showQuickPick: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: false }),
  showQuickPickMany: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
  withProgress: (options, task) =>
    vscode.window.withProgress({ location: options.viewId ? { viewId: options.viewId } : vscode.ProgressLocation.Notification, title: options.title }, task),
  showSaveDialog: async (options) => {
    const chosen = await vscode.window.showSaveDialog({ ...options, defaultUri: vscode.Uri.file(options.defaultPath) });
    return chosen?.fsPath;
  },
  showFolderDialog: async (options) => {
    const picked = await vscode.window.showOpenDialog({ ...options, canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
    return picked?.[0]?.fsPath;
  },
  showInputBox: (options) =>
    vscode.window.showInputBox({ title: options.title, prompt: options.prompt, value: options.value, validateInput: (text) => options.validate(text) }),
};
