// The run engine's public API: what the editor (Runs tree, monitor, launch form) and the CLI build on.
export { RunRegistry } from './runRegistry';
export type { RunInfo, RunChange } from './runInfo';
export { HostRegistry, LOCAL_HOST, type HostSessionFactory } from './hostRegistry';
export { RunLaunchError } from './runLauncher';
export type { StoreFs } from './storeFs';
export { importRunStore, type RunStoreImport } from './runStoreImport';
export type { ConfigSummary } from './runRecord';
export { runFile } from './runPaths';
export { formatEvent } from './formatEvent';
export { computeSpend, checkMonth } from './spend';
