// The runs engine as the editor sees it (RunsPort), in memory: runs with their event history, new events
// delivered to followers as the engine's follower would, and a record of the actions asked for. Actions a test
// makes fail reject like the engine does.
import type { RunEvent } from '../../../../src/contracts/events';
import type { Disposable } from '../../../../src/core/hosts/host';
import type { MonitorRun } from '../../../../src/shared/monitorProtocol';
import type { RunsPort } from '../../../../src/vscode/runs/runsPort';
import type { RunInfo } from '../../../../src/core/runs/runInfo';
import type { SpendRun } from '../../../../src/core/runs/spend';
import { run as runView, type RunOverrides } from '../../editor-runs/helpers/runFixture';

type Action = 'launch' | 'cancel' | 'resume' | 'moveUp' | 'remove';

function notUsed(name: string): never {
  throw new Error(`RunsPort.${name} is not used by this test`);
}

export class InMemoryRuns implements RunsPort {
  readonly runs = new Map<string, RunInfo>();
  readonly events = new Map<string, RunEvent[]>();
  readonly logs = new Map<string, string[]>();
  readonly actions: { action: Action; arg: string }[] = [];
  readonly failing = new Map<Action, Error>();
  /** Resolves the history read only when a test releases it (to deliver events during the read). */
  historyGate: Promise<void> | null = null;
  historyReadsLate = false;
  private readonly followers = new Map<string, Set<(events: RunEvent[]) => void>>();
  private readonly changeListeners = new Set<(ids: string[]) => void>();
  launchedRunId = 'launched-1';
  /** The runs' cost inputs, as the spend report reads them. */
  spend: SpendRun[] = [];

  /** The spend inputs changed (a run went on, ended, was added): listeners hear it like any run change. */
  setSpend(runs: SpendRun[]): void {
    this.spend = runs;
    for (const listener of this.changeListeners) listener(runs.map((r) => r.id));
  }

  add(overrides: RunOverrides, events: RunEvent[] = []): RunInfo {
    const view = runView(overrides);
    this.runs.set(view.id, view);
    this.events.set(view.id, [...events]);
    return view;
  }

  /** The trainer wrote new events: they join the history and go to followers. */
  append(runId: string, events: RunEvent[]): void {
    this.events.get(runId)!.push(...events);
    for (const listener of this.followers.get(runId) ?? []) listener(events);
  }

  followerCount(runId: string): number {
    return this.followers.get(runId)?.size ?? 0;
  }

  list(): RunInfo[] {
    return [...this.runs.values()];
  }
  get(runId: string): RunInfo | undefined {
    return this.runs.get(runId);
  }
  onDidChange(listener: (runIds: string[]) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => void this.changeListeners.delete(listener) };
  }
  async history(runId: string): Promise<RunEvent[]> {
    const snapshot = [...(this.events.get(runId) ?? [])];
    if (this.historyGate) await this.historyGate;
    // Read late: events that reached followers during the read are in the history too.
    return this.historyReadsLate ? [...(this.events.get(runId) ?? [])] : snapshot;
  }
  onEvents(runId: string, listener: (events: RunEvent[]) => void): Disposable {
    const set = this.followers.get(runId) ?? new Set();
    set.add(listener);
    this.followers.set(runId, set);
    return { dispose: () => void set.delete(listener) };
  }
  monitorSummary(runId: string): MonitorRun | undefined {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    return {
      runId,
      name: run.config.name,
      host: run.host,
      state: run.state,
      stage: null,
      step: run.step,
      totalSteps: run.totalSteps,
      startedAt: run.startedAt,
      updatedAt: run.startedAt,
      etaSeconds: null,
      cost: { soFarUsd: null, projectedUsd: null, budgetUsd: null, pricePerGpuHour: null },
      exitReason: run.exitReason,
      canCancel: run.state === 'running',
      canResume: run.state === 'failed' || run.state === 'cancelled',
    };
  }
  async logTail(runId: string, lines: number): Promise<string[]> {
    return (this.logs.get(runId) ?? []).slice(-lines);
  }
  private act(action: Action, arg: string): void {
    this.actions.push({ action, arg });
    const failure = this.failing.get(action);
    if (failure) throw failure;
  }
  async launch(configPath: string): Promise<string> {
    this.act('launch', configPath);
    return this.launchedRunId;
  }
  async cancel(runId: string): Promise<void> {
    this.act('cancel', runId);
  }
  async resume(runId: string): Promise<void> {
    this.act('resume', runId);
  }
  async moveUp(runId: string): Promise<number> {
    this.act('moveUp', runId);
    return 1;
  }
  async remove(runId: string): Promise<void> {
    this.act('remove', runId);
    this.runs.delete(runId);
  }
  async config(runId: string): Promise<Record<string, unknown> | null> {
    const run = this.runs.get(runId);
    return run ? { name: run.config.name, baseModel: run.config.baseModel, preset: run.config.preset } : null;
  }
  refresh(): Promise<void> {
    return notUsed('refresh');
  }
  localFolder(): string | undefined {
    return notUsed('localFolder');
  }
  localLogFile(): Promise<string | undefined> {
    return notUsed('localLogFile');
  }
  downloadAdapter(): Promise<void> {
    return notUsed('downloadAdapter');
  }
  preflight(): never {
    return notUsed('preflight');
  }
  listModels(): never {
    return notUsed('listModels');
  }
  throughputHistory() {
    return [];
  }
  spendRuns(): SpendRun[] {
    return this.spend;
  }
  evaluate(): never {
    return notUsed('evaluate');
  }
  async evalReport(): Promise<null> {
    return null;
  }
  evalMarkdown(): never {
    return notUsed('evalMarkdown');
  }
  trainerTool(): never {
    return notUsed('trainerTool');
  }
}
