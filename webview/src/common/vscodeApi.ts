// The webview side of the VS Code API. acquireVsCodeApi() may be called only once per page, so the panels get
// the api object passed in as a prop (main.tsx calls this); tests pass their own recording fake instead.
export interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  /** VS Code's returns the state it stored: never use a call of it as an effect's cleanup. */
  setState(state: State): State;
}

declare global {
  // Injected by VS Code into every webview.
  function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;
}

let acquired: VsCodeApi<unknown> | undefined;

export function vscodeApi<State>(): VsCodeApi<State> {
  if (acquired === undefined) {
    if (typeof acquireVsCodeApi !== 'function') {
      throw new Error('acquireVsCodeApi is missing: this page must run inside a VS Code webview (or the preview page).');
    }
    acquired = acquireVsCodeApi<unknown>();
  }
  return acquired as VsCodeApi<State>;
}
