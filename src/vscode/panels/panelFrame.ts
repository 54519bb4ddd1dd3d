// What every BrightRun panel shares: options limiting local resources to the webview bundles, the nonce-CSP
// HTML, zod-checked incoming messages routed by type, typed outgoing messages, and disposal.
import * as vscode from 'vscode';
import type { z } from 'zod';
import { createMessageRouter, type Handlers } from './messageRouter';
import { buildWebviewHtml } from './webviewHtml';

export type PanelBundle = 'monitor' | 'launch' | 'compare' | 'evaluation';

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
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

export function panelIcon(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return {
    light: vscode.Uri.joinPath(extensionUri, 'media', 'panel-light.svg'),
    dark: vscode.Uri.joinPath(extensionUri, 'media', 'panel-dark.svg'),
  };
}

export class PanelFrame<In extends { type: string }, Out> implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    bundle: PanelBundle,
    schema: z.ZodType<In>,
    handlers: Handlers<In>,
    log: vscode.LogOutputChannel,
  ) {
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
    const route = createMessageRouter(schema, handlers, { warn: (m) => log.warn(`[${bundle}] ${m}`), error: (m) => log.error(`[${bundle}] ${m}`) });
    this.disposables.push(webview.onDidReceiveMessage((raw) => void route(raw)));
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
  }

  post(message: Out): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  /** Disposed with the panel. */
  track(disposable: { dispose(): void }): void {
    if (this.disposed) disposable.dispose();
    else this.disposables.push(disposable);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
