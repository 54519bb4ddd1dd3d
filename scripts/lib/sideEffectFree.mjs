// An esbuild plugin that marks every module of a package as free of side effects, so a module none of whose
// exports is used is left out. For @vscode-elements/react-elements: its index imports a React wrapper for each
// of its ~40 web components, and each wrapper imports its component, so one named import bundled them all. The
// wrappers only define React components; a web component registers itself from @vscode-elements/elements, whose
// modules keep their side effects, so every component a panel uses is still defined.
const SKIP = { sideEffectFree: 'resolving' };

export function sideEffectFree(packageName) {
  const folder = `/node_modules/${packageName}/`;
  return {
    name: `side-effect-free ${packageName}`,
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === SKIP) return undefined;
        const named = args.path === packageName || args.path.startsWith(`${packageName}/`);
        if (!named && !args.importer.includes(folder)) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: SKIP });
        if (found.errors.length > 0 || !found.path.includes(folder)) return undefined;
        return { path: found.path, namespace: found.namespace, sideEffects: false };
      });
    },
  };
}
