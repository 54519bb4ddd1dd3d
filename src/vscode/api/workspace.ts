// The part of `vscode.workspace` the editor layer reads, as small interfaces. `vscode.workspace` itself satisfies
// `OpenDocuments`; `vscodeWorkspace` is the real `WorkspaceApi`.
import * as vscode from 'vscode';

/** What the editor layer reads of a URI (a `vscode.Uri` has all of it). */
export interface UriLike {
  readonly scheme: string;
  readonly path: string;
  readonly fsPath: string;
  toString(): string;
}

/** What the editor layer reads of a text document (a `vscode.TextDocument` has all of it). */
export interface DocumentLike {
  readonly uri: UriLike;
  readonly languageId: string;
  readonly version: number;
  readonly isClosed: boolean;
  readonly lineCount: number;
  getText(): string;
  lineAt(line: number): { readonly text: string };
}

export interface OpenDocuments<D extends DocumentLike> {
  readonly textDocuments: readonly D[];
}

export interface WorkspaceApi {
  /** The first workspace folder's path; undefined without a folder open. */
  rootPath(): string | undefined;
}

export const vscodeWorkspace: WorkspaceApi = {
  rootPath: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
};
