// The host bundles esbuild.mjs builds into dist/, and which of them the installed extension loads at run time.
// One list for the build (esbuild.mjs) and for packaging (scripts/package.mjs), so a new bundle cannot be built
// and then left out of the VSIX.

/** Entry points of the node bundles, by output name (dist/<name>.js). */
export const hostEntries = {
  extension: 'src/extension.ts',
  cli: 'src/cli/main.ts',
  // The dataset validator's worker thread, loaded from next to the bundle that starts it.
  validateWorker: 'src/core/dataset/worker/validateWorker.ts',
};

/** The host bundles the VSIX ships: the extension and every file it loads from dist/ at run time. The CLI is
 *  left out: it is for scripts and CI (package.json "bin"), never loaded by the editor. */
export const extensionBundles = ['extension', 'validateWorker'];
