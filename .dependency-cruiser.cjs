// The architecture's dependency rules (see the Architecture section of the design), checked by `npm run lint:deps`
// in every test run. Paths are relative to the repository root; `to` paths are resolved modules, so an npm
// package reads node_modules/<name>/..., a Node built-in its bare name (`fs`, `worker_threads`, with or without
// the `node:` prefix in the source), and a module that cannot be resolved its name as written (`vscode`).

// npm packages are matched wherever their node_modules folder is (a linked node_modules resolves outside the tree).

/** The editor API: resolved to its type declarations, or left unresolved where @types/vscode is not installed. */
const VSCODE = ['^vscode$', '(^|/)node_modules/@types/vscode/'];

/** Node built-ins that only compute (paths, hashes, byte buffers): no files, processes, sockets or threads. */
const PURE_NODE_BUILTINS = '^(path|crypto|buffer)$';

/** Dependency types of npm packages and Node built-ins: everything that is not our own code. */
const NOT_OURS = ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** npm packages whose whole purpose is I/O: processes, SSH, the Hugging Face Hub over the network. */
const IO_PACKAGES = ['(^|/)node_modules/(ssh2|execa|@huggingface/hub)/', '^(ssh2|execa|@huggingface/hub)$'];

module.exports = {
  forbidden: [
    {
      name: 'contracts-stand-alone',
      comment:
        'src/contracts holds the schemas every side reads (extension, CLI, webviews, the Python trainer via the ' +
        'generated JSON Schemas): it must not pull in any of our other layers, or a webview would drag the core ' +
        'into its bundle and a schema change would depend on implementation details. npm packages (zod) are fine.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { pathNot: '^src/contracts/', dependencyTypesNot: NOT_OURS },
    },
    {
      name: 'contracts-no-node-builtins',
      comment: 'Contracts are loaded by the webviews, which run in a browser: no Node built-in may reach them.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-imports-core-and-contracts',
      comment:
        'src/core is the logic worth testing: it builds only on itself and the contracts (and npm libraries), ' +
        'never on the editor, platform, CLI or webview layers, so a unit test of a rule never needs any of them.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src|webview)/', pathNot: '^src/(core|contracts)/' },
    },
    {
      name: 'core-no-io-builtins',
      comment:
        'src/core does no I/O: files, processes, sockets and threads reach it through ports that src/platform ' +
        'implements (core/runs/storeFs.ts; core/dataset: datasetFiles.ts, rangeWorkers.ts, tokens/tokenizerFiles.ts). Only built-ins that compute are allowed ' +
        '(path: string manipulation; crypto: hashes and random ids; buffer: byte decoding). This is an allow-list, ' +
        'so a new built-in (fs, os, child_process, net, worker_threads, http, ...) is refused until someone says why it is pure.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], pathNot: PURE_NODE_BUILTINS },
    },
    {
      name: 'core-no-io-packages',
      comment: 'The npm packages that do I/O (processes, SSH, the Hub over the network) belong in src/platform, for the same reason.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: IO_PACKAGES },
    },
    {
      name: 'shared-imports-shared-and-contracts',
      comment:
        "src/shared is each webview's message protocol, compiled into both the extension and the browser " +
        'bundles: it may use only itself, the contracts and npm libraries (zod), never Node built-ins.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src|webview)/', pathNot: '^src/(shared|contracts)/' },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'src/shared runs in the webviews (a browser) too.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'webview-imports-webview-shared-contracts',
      comment:
        'The webviews run in a browser sandbox and talk to the extension only through messages: they import ' +
        'their own code, the message protocols (src/shared) and the contracts, never the core, platform or editor layers.',
      severity: 'error',
      from: { path: '^webview/src/' },
      to: { path: '^(src|webview)/', pathNot: '^(webview/src|src/shared|src/contracts)/' },
    },
    {
      name: 'webview-no-node-builtins',
      comment: 'Nothing of Node exists in the browser a webview runs in.',
      severity: 'error',
      from: { path: '^webview/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'cli-platform-not-editor',
      comment:
        'The `brightrun` command line and the platform adapters run without VS Code (scripts, CI, the worker ' +
        'threads): they must not reach into the editor layer, which needs the `vscode` module at load time.',
      severity: 'error',
      from: { path: '^src/(cli|platform)/' },
      to: { path: '^src/vscode/' },
    },
    {
      name: 'vscode-only-in-editor-layer',
      comment:
        'Only the editor adapters (src/vscode) and the composition root (src/extension.ts) may use the `vscode` ' +
        'API; everywhere else it would make the code untestable without an editor and unusable from the CLI.',
      severity: 'error',
      from: { pathNot: '^src/(vscode/|extension\\.ts$)' },
      to: { path: VSCODE },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle means two modules are really one: neither can be understood, tested or loaded without the ' +
        'other, and module initialisation order starts to matter. Type-only imports count: a command module that ' +
        'takes its handler type from the table that loads it is still tied to that table.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Only our own code is checked; npm packages are leaves.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: `import type * as vscode from 'vscode'` still ties a module to the editor.
    tsPreCompilationDeps: true,
    // Resolve package.json "exports" the way the bundler does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
