// What every BrightRun panel shares: zod-checked incoming messages routed by type, typed outgoing messages, and
// disposal. The panel arrives prepared (options, icon, page) by a PanelFactory, so this file needs no editor.
import type { z } from 'zod';
import type { LogApi } from '../api/log';
import type { PanelBundle, WebviewPanelApi } from '../api/webviewPanel';
import { createMessageRouter, type Handlers } from './messageRouter';

export type { PanelBundle } from '../api/webviewPanel';

export class PanelFrame<In extends { type: string }, Out> {
  private readonly disposables: { dispose(): void }[] = [];
  private disposed = false;

  constructor(
    readonly panel: WebviewPanelApi,
    bundle: PanelBundle,
    schema: z.ZodType<In>,
    handlers: Handlers<In>,
    log: LogApi,
  ) {
    const route = createMessageRouter(schema, handlers, { warn: (m) => log.warn(`[${bundle}] ${m}`), error: (m) => log.error(`[${bundle}] ${m}`) });
    this.disposables.push(panel.webview.onDidReceiveMessage((raw) => void route(raw)));
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
