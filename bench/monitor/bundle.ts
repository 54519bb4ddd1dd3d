// The benchmark measures what users run: the monitor bundle built for production (minified, React's production
// build), into a private folder so a concurrent `npm run build` cannot swap it mid-run.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/** `minify: false` keeps function names for a profile; React stays in its production build either way. */
export async function buildMonitorBundle(root: string, options: { minify: boolean } = { minify: true }): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'brightrun-monitor-bundle-'));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { monitor: 'webview/src/monitor/main.tsx' },
    bundle: true,
    minify: options.minify,
    outdir,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return outdir;
}
