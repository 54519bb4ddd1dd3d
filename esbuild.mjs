// Two bundles: the extension host (node, cjs, 'vscode' external) and one browser bundle per webview panel.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { hostEntries, lazyEntries } from './scripts/lib/bundles.mjs';
import { lazyImports } from './scripts/lib/lazyImports.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'info' };

// Panels register themselves here by having an entry file; a missing one is simply not built yet.
const webviewEntries = Object.fromEntries(
  ['monitor', 'launch', 'compare', 'evaluation']
    .map((name) => [name, `webview/src/${name}/main.tsx`])
    .filter(([, file]) => existsSync(file)),
);

const builds = [
  {
    ...common,
    entryPoints: hostEntries,
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    banner: { js: '' },
    // Heavy modules go to files of their own, loaded on first use; import() of them becomes require(), which
    // the extension host resolves beside the bundle like any other file.
    plugins: [lazyImports(lazyEntries, import.meta.dirname)],
    supported: { 'dynamic-import': false },
  },
];
if (Object.keys(webviewEntries).length > 0) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  });
}

if (watch) {
  for (const options of builds) (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
