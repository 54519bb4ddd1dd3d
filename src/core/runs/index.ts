// The run engine's public API: what the editor (Runs tree, monitor, launch form) and the CLI build on.
export { RunRegistry, type RunRegistryDeps, type LaunchRequest } from './runRegistry';
export type { RunInfo, RunChange } from './runInfo';
export { HostRegistry, LOCAL_HOST, type HostSession, type HostSessionFactory } from './hostRegistry';
export type { TrainerRuntime, CancelOutcome } from './runLauncher';
export { RunLaunchError, latestCheckpoint } from './runLauncher';
export type { StoreFs } from './storeFs';
export { importRunStore, type RunStoreImport } from './runStoreImport';
export type { ConfigSummary } from './runRecord';
export { RUN_FILES, runFile } from './runPaths';
export { isRunId } from './runId';
export { formatEvent } from './formatEvent';
