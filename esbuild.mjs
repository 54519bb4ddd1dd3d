// Two builds: the host bundles (node, cjs, 'vscode' external; heavy modules in files of their own, loaded on first
// use: scripts/lib/bundles.mjs) and one browser bundle per webview panel.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { hostEntries, lazyEntries } from './scripts/lib/bundles.mjs';
import { lazyImports } from './scripts/lib/lazyImports.mjs';
import { sideEffectFree } from './scripts/lib/sideEffectFree.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outdir DIR: build somewhere other than dist/ (the activation bench measures its own production build).
const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex > 0 ? process.argv[outdirIndex + 1] : 'dist';

const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'info' };

// Panels register themselves here by having an entry file; a missing one is simply not built yet.
const webviewEntries = Object.fromEntries(
  ['monitor', 'launch', 'compare', 'evaluation', 'spend'].map((name) => [name, `webview/src/${name}/main.tsx`]).filter(([, file]) => existsSync(file)),
);

const builds = [
  {
    ...common,
    entryPoints: hostEntries,
    outdir,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    // When the host started running the bundle, as wall time and as the process's CPU time: the extension logs its
    // activation time from here (src/vscode/activationTime.ts). Module-level vars of each bundle, never globals.
    banner: { js: 'var BRIGHTRUN_BUNDLE_START = performance.now(), BRIGHTRUN_BUNDLE_CPU = process.cpuUsage();' },
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
    outdir: `${outdir}/webview`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    // Only the web components a panel imports, not all of them (~150-180 kB less per panel).
    plugins: [sideEffectFree('@vscode-elements/react-elements')],
  });
}

if (watch) {
  for (const options of builds) (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
