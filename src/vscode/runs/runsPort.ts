// What the editor needs from the runs engine. One adapter (registryAdapter.ts) implements it on the
// RunRegistry; the tree, status bar, notifications, commands and panels depend on this interface only.
import type { Disposable } from '../../core/hosts/host';
import type { PreflightReport } from '../../core/hosts/preflight';
import type { ThroughputSample } from '../../core/config/estimate';
import type { RunEvent } from '../../contracts/events';
import type { MonitorRun } from '../../shared/monitorProtocol';
import type { RunInfo } from '../../core/runs/runInfo';
import type { SpendRun } from '../../core/runs/spend';
import type { EvalReport } from '../../contracts/evalReport';
import type { EvaluateOptions } from '../../core/evaluation/runEvaluation';

export interface RunsPort {
  list(): RunInfo[];
  get(runId: string): RunInfo | undefined;
  /** Fires with the ids of the runs that were added, changed or removed. */
  onDidChange(listener: (runIds: string[]) => void): Disposable;
  /** Every event of the run so far, in seq order (from the local mirror). */
  history(runId: string): Promise<RunEvent[]>;
  /** New events of the run, in batches, as the follower mirrors them. */
  onEvents(runId: string, listener: (events: RunEvent[]) => void): Disposable;
  monitorSummary(runId: string): MonitorRun | undefined;
  logTail(runId: string, lines: number): Promise<string[]>;
  /** The resolved config.json of the run. */
  config(runId: string): Promise<Record<string, unknown> | null>;

  /** Validates, resolves and starts the config file's run; resolves with the new run id. */
  launch(configPath: string): Promise<string>;
  cancel(runId: string): Promise<void>;
  resume(runId: string): Promise<void>;
  /** Moves a run waiting in its host's queue one place up; resolves to its new position (1: next to start). */
  moveUp(runId: string): Promise<number>;
  /** Forgets an ended run and deletes its local mirror (the files on the host stay); rejects an active run. */
  remove(runId: string): Promise<void>;
  refresh(): Promise<void>;

  /** A folder on this machine with the run's files (the run itself for local runs, the mirror for remote ones). */
  localFolder(runId: string): string | undefined;
  /** trainer.log on this machine, fetched from the host first when it is remote. */
  localLogFile(runId: string): Promise<string | undefined>;
  /** Copies a remote run's adapter folder to `localDir`. */
  downloadAdapter(runId: string, localDir: string, onProgress: (done: number, total: number) => void): Promise<void>;
  /** Checks the host can train (Python, torch, GPU, memory, disk) before anything is uploaded. */
  preflight(hostName: string): Promise<PreflightReport>;
  /** The trainer's `list-models` on a host (model folders already there, as JSON on stdout); rejects for a host
   *  that cannot list them without setting up its environment (SSH hosts). */
  listModels(hostName: string, projectDir: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Speed measured by finished runs, for estimates. */
  throughputHistory(): ThroughputSample[];
  /** Each listed run's cost inputs (GPUs, launch price, attempt times, project), for the spend report. */
  spendRuns(): SpendRun[];
  /** Measures a completed run's adapter against its base model on the run's host (report also kept in the mirror). */
  evaluate(runId: string, options: EvaluateOptions): Promise<EvalReport>;
  /** The run's last evaluation report: the mirror's copy, else the one beside the adapter on the host; null if none. */
  evalReport(runId: string): Promise<EvalReport | null>;
  /** The run's last evaluation as Markdown (EVAL.md as the trainer wrote it); null if none. */
  evalMarkdown(runId: string): Promise<string | null>;
  /** Runs a trainer subcommand (generate, merge, eval) on the run's host and returns its stdout. */
  trainerTool(hostName: string, args: string[], signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }>;
}
