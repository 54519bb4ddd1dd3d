// Webview panels behind small interfaces. `WebviewPanelApi` is the part of a `vscode.WebviewPanel` the panels use
// (a real panel satisfies it as it is); `PanelFactory` creates a panel, or takes over one the editor restored
// after a reload, and prepares it: resource roots limited to the bundles, icon, and the nonce-CSP page.
import * as vscode from 'vscode';
import { buildWebviewHtml } from '../panels/webviewHtml';

export type PanelBundle = 'monitor' | 'launch' | 'compare' | 'evaluation' | 'spend';

export interface WebviewApi {
  options: vscode.WebviewOptions;
  html: string;
  readonly cspSource: string;
  asWebviewUri(uri: vscode.Uri): vscode.Uri;
  postMessage(message: unknown): Thenable<boolean>;
  readonly onDidReceiveMessage: vscode.Event<unknown>;
}

export interface WebviewPanelApi {
  title: string;
  iconPath?: vscode.WebviewPanel['iconPath'];
  readonly webview: WebviewApi;
  readonly onDidDispose: vscode.Event<void>;
  reveal(viewColumn?: vscode.ViewColumn, preserveFocus?: boolean): void;
  dispose(): void;
}

export interface PanelFactory {
  /** A new panel in the active column, showing `bundle`. */
  create(viewType: string, title: string, bundle: PanelBundle): WebviewPanelApi;
  /** A panel the editor brought back after a reload (its serializer got it), showing `bundle` again. */
  restore(panel: WebviewPanelApi, bundle: PanelBundle): WebviewPanelApi;
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only the bundles (and the codicon font) can be loaded: nothing else of the extension or the workspace.
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons', 'dist'),
    ],
    enableFindWidget: true,
  };
}

function panelIcon(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return {
    light: vscode.Uri.joinPath(extensionUri, 'media', 'panel-light.svg'),
    dark: vscode.Uri.joinPath(extensionUri, 'media', 'panel-dark.svg'),
  };
}

/** Gives a panel its options, icon and page. */
export function preparePanel<P extends WebviewPanelApi>(panel: P, extensionUri: vscode.Uri, bundle: PanelBundle): P {
  const webview = panel.webview;
  webview.options = panelOptions(extensionUri);
  panel.iconPath = panelIcon(extensionUri);
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  webview.html = buildWebviewHtml({
    title: panel.title,
    cspSource: webview.cspSource,
    scriptUri: asset(`${bundle}.js`),
    styleUri: asset(`${bundle}.css`),
  });
  return panel;
}

export function webviewPanels(extensionUri: vscode.Uri): PanelFactory {
  return {
    create: (viewType, title, bundle) =>
      preparePanel(vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, panelOptions(extensionUri)), extensionUri, bundle),
    restore: (panel, bundle) => preparePanel(panel, extensionUri, bundle),
  };
}
