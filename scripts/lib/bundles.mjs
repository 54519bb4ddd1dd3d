// The host bundles esbuild.mjs builds into dist/, which of them are loaded on first use, and which of them the
// installed extension loads at run time.
// One list for the build (esbuild.mjs) and for packaging (scripts/package.mjs), so a new bundle cannot be built
// and then left out of the VSIX.

/** Heavy modules loaded on first use, by output name (dist/<name>.js): an `await import()` of one of them in any
 *  host bundle becomes a require() of that file (scripts/lib/lazyImports.mjs), so activation never reads them. */
export const lazyEntries = {
  // gpt-tokenizer's cl100k tables (~1 MB): the default approximate token counts.
  cl100k: 'gpt-tokenizer/encoding/cl100k_base',
  // @huggingface/tokenizers and @huggingface/jinja: exact counts with a model's own tokenizer and chat template.
  modelCounter: 'src/core/dataset/tokens/modelCounter.ts',
  // The Hub client: only for "Push to Hugging Face Hub".
  hub: '@huggingface/hub',
  // SSH hosts (ssh2 and its crypto): only once a run goes to a remote host.
  ssh: 'src/platform/sshHostFactory.ts',
};

/** Entry points of the node bundles, by output name (dist/<name>.js). */
export const hostEntries = {
  extension: 'src/extension.ts',
  cli: 'src/cli/main.ts',
  // The dataset validator's worker thread, loaded from next to the bundle that starts it.
  validateWorker: 'src/platform/validateWorker.ts',
  ...lazyEntries,
};

/** The host bundles the VSIX ships: the extension and every file it loads from dist/ at run time. The CLI is
 *  left out: it is for scripts and CI (package.json "bin"), never loaded by the editor. */
export const extensionBundles = ['extension', 'validateWorker', ...Object.keys(lazyEntries)];
