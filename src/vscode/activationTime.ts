// How long activation took, for the output channel: running the bundle (from its first line, where esbuild.mjs
// puts a timestamp, to the end of extension.ts, which runs after every module it imports) plus activate().
// The time the editor takes between loading the bundle and calling activate() is its own, shown apart. Read by
// the e2e test (test/e2e/activation.e2e.test.ts); the bench is bench/activation/.

/** Set by the bundle's banner (esbuild.mjs); absent when the sources run without the bundle (unit tests). */
declare const BRIGHTRUN_BUNDLE_START: number | undefined;

interface ActivationMarks {
  /** performance.now() at the end of extension.ts's module code: the bundle has run. */
  loaded: number;
  /** performance.now() when activate() was called. */
  started: number;
}

export function activationTimeMessage(marks: ActivationMarks, now = performance.now()): string {
  const activateMs = now - marks.started;
  if (typeof BRIGHTRUN_BUNDLE_START !== 'number') return `Activated in ${activateMs.toFixed(1)} ms (activate())`;
  const bundleMs = marks.loaded - BRIGHTRUN_BUNDLE_START;
  const editorMs = marks.started - marks.loaded;
  return (
    `Activated in ${(bundleMs + activateMs).toFixed(1)} ms (bundle ${bundleMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms; ` +
    `the editor called activate() ${editorMs.toFixed(1)} ms after the bundle ran)`
  );
}
