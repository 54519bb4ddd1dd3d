// An esbuild plugin that keeps heavy modules out of the bundles that load them: an `await import(X)` of a module
// named in `lazyEntries` (scripts/lib/bundles.mjs) becomes a require() of dist/<name>.js, built beside the bundle
// as an entry point of its own, so its code is read from disk on first use and never at activation. Static
// imports of the same module still bundle it as usual; only the dynamic imports are split off.
import { resolve } from 'node:path';

const SKIP = { lazyImports: 'resolving' };

/** `lazyEntries`: output name -> module (a package specifier or a path relative to `root`). */
export function lazyImports(lazyEntries, root) {
  return {
    name: 'lazy-imports',
    setup(build) {
      /** Resolved file of each lazy module -> its output name; resolved once per build. */
      let lazyFiles;
      const resolveOnce = async () => {
        if (!lazyFiles) {
          lazyFiles = (async () => {
            const files = new Map();
            for (const [name, module] of Object.entries(lazyEntries)) {
              const specifier = module.startsWith('src/') ? resolve(root, module) : module;
              const found = await build.resolve(specifier, { kind: 'dynamic-import', resolveDir: root, pluginData: SKIP });
              if (found.errors.length > 0) throw new Error(`lazy module ${name} (${module}) does not resolve: ${found.errors[0].text}`);
              files.set(found.path, name);
            }
            return files;
          })();
        }
        return lazyFiles;
      };
      build.onStart(() => {
        lazyFiles = undefined;
      });
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === SKIP) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: SKIP });
        const name = (await resolveOnce()).get(found.path);
        return name === undefined ? undefined : { path: `./${name}.js`, external: true };
      });
    },
  };
}
