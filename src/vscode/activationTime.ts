// How long activation took, for the output channel: running the bundle (from its first line, where esbuild.mjs
// puts a timestamp, to the end of extension.ts, which runs after every module it imports) plus activate().
// The time the editor takes between loading the bundle and calling activate() is its own, shown apart. Each span
// is given as wall time and as the extension host's CPU time: on a busy machine the wall time also counts waiting
// for a core, and activate()'s also the editor's replies it awaits (its CPU time can include other extensions'
// work in the same process meanwhile). Read by the e2e test (test/e2e/activation.e2e.test.ts); the bench is
// bench/activation/.

/** Set by the bundle's banner (esbuild.mjs); absent when the sources run without the bundle (unit tests). */
declare const BRIGHTRUN_BUNDLE_START: number | undefined;
declare const BRIGHTRUN_BUNDLE_CPU: NodeJS.CpuUsage | undefined;

export interface ActivationMark {
  /** performance.now() */
  wall: number;
  /** process.cpuUsage() */
  cpu: NodeJS.CpuUsage;
}

export function activationMark(): ActivationMark {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

interface ActivationMarks {
  /** At the end of extension.ts's module code: the bundle has run. */
  loaded: ActivationMark;
  /** When activate() was called. */
  started: ActivationMark;
}

const cpuMs = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage) => (to.user - from.user + to.system - from.system) / 1000;
const ms = (value: number) => value.toFixed(1);

export function activationTimeMessage(marks: ActivationMarks, now: ActivationMark = activationMark()): string {
  const activateMs = now.wall - marks.started.wall;
  const activateCpuMs = cpuMs(marks.started.cpu, now.cpu);
  if (typeof BRIGHTRUN_BUNDLE_START !== 'number' || typeof BRIGHTRUN_BUNDLE_CPU !== 'object') {
    return `Activated in ${ms(activateMs)} ms (activate(); CPU time ${ms(activateCpuMs)} ms)`;
  }
  const bundleMs = marks.loaded.wall - BRIGHTRUN_BUNDLE_START;
  const bundleCpuMs = cpuMs(BRIGHTRUN_BUNDLE_CPU, marks.loaded.cpu);
  const editorMs = marks.started.wall - marks.loaded.wall;
  return (
    `Activated in ${ms(bundleMs + activateMs)} ms (bundle ${ms(bundleMs)} ms, activate() ${ms(activateMs)} ms; ` +
    `CPU time ${ms(bundleCpuMs + activateCpuMs)} ms: bundle ${ms(bundleCpuMs)} ms, activate() ${ms(activateCpuMs)} ms; ` +
    `the editor called activate() ${ms(editorMs)} ms after the bundle ran)`
  );
}
