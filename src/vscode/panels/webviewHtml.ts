// The HTML every BrightRun panel starts from: one local script bundle under a nonce CSP. Pure (no 'vscode'
// import) so the policy is unit-tested; the panel hosts pass in the webview's cspSource and resource URIs.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlInput {
  title: string;
  /** webview.cspSource: the origin the webview serves local resources from. */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview/<panel>.js) as a string. */
  scriptUri: string;
  /** dist/webview/<panel>.css: the bundle's styles, codicons included. It carries the id the
   *  @vscode-elements components look for to find the codicon font. */
  styleUri: string;
  nonce?: string;
}

/** 32 random bytes as base64: unguessable by content the panel might render. */
export function makeNonce(): string {
  return randomBytes(32).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

export function buildWebviewHtml(input: WebviewHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  const attr = (value: string) => escapeHtml(value);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeHtml(input.title)}</title>
    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(input.styleUri)}">
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${attr(nonce)}" src="${attr(input.scriptUri)}"></script>
  </body>
</html>
`;
}
