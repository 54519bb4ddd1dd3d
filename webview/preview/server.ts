// A tiny static server for the preview and the benchmark: built bundles under /dist/webview/, and one page per
// scenario and theme at /<scenario>?theme=dark|light|high-contrast.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { panelHtml } from './page';
import type { Scenario } from './fakeHost';
import { THEMES, type ThemeName } from './themes';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

/** `distDir`: where the panel bundles are (default <root>/dist/webview). */
export async function startPreviewServer(
  root: string,
  scenarios: Record<string, Scenario>,
  distDir = join(root, 'dist', 'webview'),
): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (url.pathname.startsWith('/dist/webview/')) {
        const file = normalize(join(distDir, url.pathname.slice('/dist/webview/'.length)));
        if (!file.startsWith(distDir)) throw new Error('outside dist');
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
        return;
      }
      const scenario = scenarios[url.pathname.slice(1)];
      if (scenario !== undefined) {
        const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(panelHtml(scenario, theme in THEMES ? theme : 'dark'));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(
        `Not found. Pages: ${Object.keys(scenarios)
          .map((s) => `/${s}`)
          .join(', ')}`,
      );
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server };
}
