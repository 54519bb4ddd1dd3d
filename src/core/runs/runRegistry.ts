// Every run the user started, on every host, with its live state. Persisted under one storage folder that the
// editor and the CLI share ($BRIGHTRUN_HOME/state): runs.json (the index) plus one mirror per run. Restored
// after a restart; runs still going are re-attached. The Runs tree, the monitor and the CLI all read runs
// through this class. With `watch`, runs another process starts, resumes, ends or removes show up here within
// a second (the index is watched and read again).
//
// Opening is cheap: ended runs come from runs.json alone (each record carries its progress snapshot), runs
// still going from their small mirror.json (offset, last seq, progress). A run's events.jsonl is read only when
// its history is asked for (events()), or to rebuild a snapshot that is missing or damaged.
import type { RunConfigFile } from '../../contracts/runConfigFile';
import { localPaths, resolveConfig } from '../config/resolveConfig';
import type { ThroughputSample } from '../config/estimate';
import { defaultPriceWords } from '../config/throughputTable';
import type { RunEvent } from '../../contracts/events';
import type { Host } from '../hosts/host';
import { TERMINAL_STATES } from '../../contracts/status';
import { HostRegistry } from './hostRegistry';
import { RunMirror } from './runMirror';
import { RunFollower, type FollowerOptions, type RunEnd } from './runFollower';
import { cancelRun, launchRun, readHostStatus, resumeRun, RunLaunchError, type CancelOutcome } from './runLauncher';
import { cancelWaiting, listHostQueue, moveUpInHostQueue, reviveWaiter, usesHostQueue, waitsInHostQueue } from './hostQueue';
import type { HostQueueEntry } from '../../contracts/hostQueue';
import { restoreProgress } from './progressSnapshot';
import { adoptMirror, foldEvent, newEntry, restoreSnapshot, snapshotOf, type RunEntry as Entry } from './runEntry';
import { checkBudget, costUsd, gpuSeconds, projectedCostUsd } from './cost';
import { newRunId } from './runId';
import { summarize, type RunRecord } from './runRecord';
import { spendRunOf, type SpendRun } from './spend';
import { RunIndexStore } from './runIndexStore';
import type { StoreFs } from './storeFs';
import { runInfo, runLabel, type RunChange, type RunInfo } from './runInfo';
import { recoverRun } from './runRecovery';
import { retryOnLostConnection } from './launchRetry';
import type { SweepMembership } from '../sweeps/sweepMembership';

export interface RunRegistryDeps {
  storageDir: string;
  fs: StoreFs;
  hosts: HostRegistry;
  now?: () => Date;
  homeDir?: string;
  followerOptions?: FollowerOptions;
  /** How long a cancelled trainer gets to checkpoint before SIGKILL. */
  cancelGraceMs?: number;
}

export interface LaunchRequest {
  config: RunConfigFile;
  /** Path of the *.brightrun.json; dataset paths in it are relative to this file. */
  configFile: string;
  /** Overrides the config's host. */
  host?: string;
  onProgress?: (message: string) => void;
  /** The run's place in a sweep (launchSweep sets it for each of the sweep's runs). */
  sweep?: SweepMembership;
}

type Listener<T> = (value: T) => void;

export class RunRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly changeListeners = new Set<Listener<RunChange>>();
  private readonly eventListeners = new Set<Listener<{ runId: string; events: RunEvent[] }>>();
  /** Damaged files found while loading, in words (they were recovered from). */
  readonly problems: string[] = [];
  private readonly now: () => Date;
  private readonly store: RunIndexStore;
  /** Runs launched here whose record is not in the index yet: a reload must not take them for removed. */
  private readonly unsaved = new Set<string>();
  private attach = true;
  private watcher: { dispose(): void } | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;

  private constructor(private readonly deps: RunRegistryDeps) {
    this.now = deps.now ?? (() => new Date());
    this.store = new RunIndexStore(deps.fs, deps.storageDir, this.problems, this.now);
  }

  /** Loads the registry. With attach (the default), runs still going are followed again right away. With
   *  watch, changes other processes make to the index are taken in as they happen (see reload()). */
  static async open(deps: RunRegistryDeps, options: { attach?: boolean; watch?: boolean } = {}): Promise<RunRegistry> {
    const registry = new RunRegistry(deps);
    registry.attach = options.attach !== false;
    await registry.load();
    if (registry.attach) registry.reattachAll();
    if (options.watch) registry.watcher = deps.fs.watch(registry.store.indexPath(), () => void registry.reload());
    return registry;
  }

  /** Takes in what other processes sharing the storage changed in the index: runs they started (followed
   *  here too when attached), records they saved since (resumed, cancelled, ended) and runs they removed.
   *  Calls that arrive while one is going are folded into one more pass. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.takeInIndex();
        } while (this.reloadAgain);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private async takeInIndex(): Promise<void> {
    const onDisk = await this.store.reload();
    if (onDisk === null) return; // damaged: the next open repairs it; nothing to learn from it now
    const listed = new Set(onDisk.map((record) => record.id));
    for (const record of onDisk) {
      const entry = this.entries.get(record.id);
      if (!entry) {
        if (this.store.wasRemoved(record.id)) continue;
        const added = await this.openEntry(record);
        this.emit({ kind: 'added', run: this.info(added) });
        if (this.attach && !TERMINAL_STATES.includes(record.state)) this.reattach(added);
      } else if (record.rev > entry.record.rev) {
        const followed = !!entry.follower;
        Object.assign(entry.record, record);
        // Without a follower of our own, the other process's snapshot is the newest progress we have.
        if (!followed && TERMINAL_STATES.includes(record.state)) restoreSnapshot(entry, record.progress);
        this.emit({ kind: 'updated', run: this.info(entry) });
        if (this.attach && !followed && !TERMINAL_STATES.includes(record.state)) this.reattach(entry);
      }
    }
    for (const [id, entry] of [...this.entries]) {
      if (listed.has(id) || this.unsaved.has(id)) continue;
      // Removed by another process (only ended runs can be removed).
      this.detach(id);
      const info = this.info(entry);
      this.entries.delete(id);
      this.emit({ kind: 'removed', run: info });
    }
  }

  // ---- reading ----

  list(): RunInfo[] {
    return [...this.entries.values()].map((e) => this.info(e)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(runId: string): RunInfo | undefined {
    const entry = this.entries.get(runId);
    return entry ? this.info(entry) : undefined;
  }

  /** The run's whole mirrored history in seq order, for replay in the monitor. */
  async events(runId: string): Promise<RunEvent[]> {
    const entry = this.entry(runId);
    const { events, problems } = await (await this.mirrorOf(entry)).readHistory();
    if (problems.length > 0) {
      const message = `Run ${runId}: its local history was damaged (${problems.map((p) => `${p.file} ${p.message}`).join('; ')}); ${events.length} events kept, the missing ones are read again from ${entry.record.host}`;
      this.problems.push(message);
      this.emit({ kind: 'notice', run: this.info(entry), severity: 'warning', message });
      // The mirror's offset went back to 0: a fresh read of the host's file fills in exactly the missing seqs.
      if (TERMINAL_STATES.includes(entry.record.state)) void this.sync(runId).catch(() => {});
      else if (entry.follower) {
        this.detach(runId);
        void this.follow(runId).catch(() => {});
      }
    }
    return events;
  }

  /** Speed measured by finished runs, for estimates. */
  throughputHistory(): ThroughputSample[] {
    return [...this.entries.values()]
      .filter((e) => e.progress.done?.state === 'completed' && e.progress.done.summary.tokens_per_s > 0)
      .map((e) => ({
        host: e.record.host,
        baseModel: e.record.config.baseModel,
        gpus: e.record.gpus,
        tokensPerS: e.progress.done!.summary.tokens_per_s,
      }));
  }

  /** Each run's cost inputs (GPUs, launch price, attempt times, project), for the spend report. */
  spendRuns(): SpendRun[] {
    return [...this.entries.values()].map((e) => spendRunOf(e.record));
  }

  onDidChange(listener: Listener<RunChange>): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** New events of any run as they are mirrored (the monitor appends them to its charts). */
  onDidAppendEvents(listener: Listener<{ runId: string; events: RunEvent[] }>): { dispose(): void } {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  /** Resolves when the run reaches completed, failed or cancelled. */
  waitForEnd(runId: string): Promise<RunInfo> {
    return new Promise((resolve) => {
      const check = () => {
        const info = this.get(runId);
        const entry = this.entries.get(runId);
        if (info && TERMINAL_STATES.includes(info.state) && !entry?.follower && !entry?.recovering && !entry?.ending) {
          sub.dispose();
          resolve(info);
          return true;
        }
        return false;
      };
      const sub = this.onDidChange((change) => change.run.id === runId && check());
      check();
    });
  }

  // ---- acting ----

  async launch(request: LaunchRequest): Promise<RunInfo> {
    const hostName = request.host ?? request.config.host;
    const session = await this.deps.hosts.get(hostName);
    if (request.config.slurm && session.host.kind !== 'slurm') {
      throw new RunLaunchError(
        `"slurm" in the run config sets a Slurm job's nodes and GPUs per node, but host '${hostName}' is not a Slurm cluster: remove it, or train on a slurm host`,
      );
    }
    const retryNote = (message: string) => request.onProgress?.(message);
    const paths = localPaths(request.config, request.configFile, this.deps.homeDir);
    const staged = await retryOnLostConnection(`preparing ${hostName}`, () => session.stage(paths, request.onProgress), retryNote);
    // Read after staging: an SSH host without a price setting knows its GPU (and so a default price) only once
    // its preflight ran.
    const pricePerGpuHour = request.config.pricePerGpuHour ?? session.pricePerGpuHour;
    if (request.config.budgetUsd !== undefined && pricePerGpuHour === undefined) {
      throw new RunLaunchError(
        `budgetUsd is set but no GPU price is known for host '${hostName}' (none configured, and no GPU with a known price detected): add pricePerGpuHour to the run config`,
      );
    }
    if (request.config.pricePerGpuHour === undefined && session.priceFromGpu && pricePerGpuHour !== undefined) {
      request.onProgress?.(`GPU price: $${pricePerGpuHour}/GPU-hour (${defaultPriceWords({ usdPerHour: pricePerGpuHour, fromGpu: session.priceFromGpu })})`);
    }
    for (const [what, path] of [
      ['training file', staged.train],
      ['validation file', staged.validation],
    ] as const) {
      if (path !== null && !(await session.host.stat(path))) {
        throw new RunLaunchError(`${what} not found on ${hostName}: ${path}`);
      }
    }
    const runId = newRunId(this.now());
    const config = resolveConfig(request.config, {
      runId,
      trainPathOnHost: staged.train,
      validationPathOnHost: staged.validation,
      baseModelOnHost: staged.baseModel,
    });
    request.onProgress?.(`starting the trainer on ${hostName}`);
    const launched = await retryOnLostConnection(
      `starting the run on ${hostName}`,
      async () => launchRun(session.host, await session.runtime(), config, this.now),
      retryNote,
    );
    const record: RunRecord = {
      v: 1,
      id: runId,
      host: hostName,
      runDir: launched.runDir,
      createdAt: launched.started_at,
      configFile: request.configFile,
      config: summarize(config, request.config),
      gpus: session.gpusPerRun?.(config) ?? config.num_gpus,
      pricePerGpuHour: pricePerGpuHour ?? null,
      budgetUsd: request.config.budgetUsd ?? null,
      recovery: request.config.recovery,
      attempts: [{ startedAt: launched.started_at, endedAt: null }],
      state: 'starting',
      exitReason: null,
      stopReason: null,
      rev: 0,
      sweep: request.sweep ?? null,
    };
    this.unsaved.add(runId);
    const entry = await this.openEntry(record, true);
    try {
      await (await this.mirrorOf(entry)).writeConfig(config);
      await this.save(entry);
    } finally {
      this.unsaved.delete(runId);
    }
    this.emit({ kind: 'added', run: this.info(entry) });
    await this.follow(runId);
    return this.info(entry);
  }

  /** Starts following a run that is still going (no-op when already followed or ended). */
  async follow(runId: string): Promise<void> {
    const entry = this.entry(runId);
    if (entry.follower || TERMINAL_STATES.includes(entry.record.state)) return;
    const session = await this.deps.hosts.get(entry.record.host);
    const mirror = await this.mirrorOf(entry);
    if (entry.follower) return; // another call attached while the host was connecting
    const follower = this.makeFollower(entry, session.host, mirror);
    entry.follower = follower;
    follower.start();
  }

  /** Stops following (the run goes on); follow() or a restart re-attaches from the mirror's offset. */
  detach(runId: string): void {
    const entry = this.entry(runId);
    entry.follower?.stop();
    entry.follower = undefined;
  }

  /** Catches up once with the host: new events, status, and whether the run ended. */
  async sync(runId: string): Promise<RunInfo> {
    const entry = this.entry(runId);
    if (entry.follower) {
      await entry.follower.sync();
    } else {
      const session = await this.deps.hosts.get(entry.record.host);
      const mirror = await this.mirrorOf(entry);
      const follower = this.makeFollower(entry, session.host, mirror);
      if (TERMINAL_STATES.includes(entry.record.state)) {
        await follower.readNew();
        await mirror.refilled(); // read to the end of the host's file: the mirror is whole again
      } else {
        await follower.sync();
      }
    }
    // An end found by this sync is being recorded: a CLI that exits once this returns must not cut the save short.
    if (entry.ending) await entry.ending;
    return this.info(entry);
  }

  async cancel(runId: string, stopReason?: string): Promise<CancelOutcome> {
    const entry = this.entry(runId);
    const session = await this.deps.hosts.get(entry.record.host);
    if (stopReason) {
      entry.record.stopReason = stopReason;
      await this.save(entry);
    }
    let outcome = await cancelRun(session.host, entry.record.runDir, { graceMs: this.deps.cancelGraceMs, now: this.now });
    // A queued run whose waiter is gone (its machine restarted) has no process to signal: take it out of the queue.
    if (outcome === 'not-running' && waitsInHostQueue(session.host, await readHostStatus(session.host, entry.record.runDir))) {
      if (await cancelWaiting(session.host, await session.runtime(), entry.record.runDir)) outcome = 'stopped';
    }
    await this.sync(runId);
    return outcome;
  }

  /** Moves a run waiting in its host's queue one place up; resolves to its new position (1: next to start). */
  async moveUp(runId: string): Promise<number> {
    const entry = this.entry(runId);
    const session = await this.deps.hosts.get(entry.record.host);
    if (!usesHostQueue(session.host)) {
      throw new Error(`run ${runId} waits in Slurm's queue on ${entry.record.host}, whose order Slurm decides (priority, scontrol top)`);
    }
    return moveUpInHostQueue(session.host, await session.runtime(), runId);
  }

  /** A host's queue: the runs started from it, then the waiting ones in order. */
  async hostQueue(hostName: string): Promise<HostQueueEntry[]> {
    const session = await this.deps.hosts.get(hostName);
    if (!usesHostQueue(session.host)) throw new Error(`host '${hostName}' is a Slurm cluster: its queue is Slurm's (squeue)`);
    return listHostQueue(session.host, await session.runtime());
  }

  /** A new attempt from the latest checkpoint; events continue in the same history. */
  async resume(runId: string): Promise<RunInfo> {
    const entry = this.entry(runId);
    const session = await this.deps.hosts.get(entry.record.host);
    await this.sync(runId);
    this.detach(runId);
    const attempt = await resumeRun(session.host, await session.runtime(), entry.record.runDir, runId, (await this.mirrorOf(entry)).maxSeq, this.now);
    Object.assign(entry.record, { state: 'starting', exitReason: null, stopReason: null });
    entry.record.attempts.push({ startedAt: attempt.started_at, endedAt: null });
    entry.clock.reset();
    entry.stopping = false;
    await this.save(entry);
    this.emit({ kind: 'updated', run: this.info(entry) });
    await this.follow(runId);
    return this.info(entry);
  }

  /** Forgets an ended run: its index entry and its local mirror (the run folder on its host stays). A run
   *  still starting or running is refused: cancel it first (cancel() resolves once it has stopped). */
  async remove(runId: string): Promise<void> {
    const entry = this.entry(runId);
    if (!TERMINAL_STATES.includes(entry.record.state)) {
      throw new Error(`run ${runId} is still ${entry.record.state} on ${entry.record.host}: cancel it before removing it from the list`);
    }
    // An ended run may still have a follower finishing its last read; it must not write into a deleted mirror.
    this.detach(runId);
    const info = this.info(entry);
    this.entries.delete(runId);
    try {
      await this.store.remove(runId);
    } catch (error) {
      this.entries.set(runId, entry); // still on disk: keep it listed
      throw error;
    }
    this.emit({ kind: 'removed', run: info });
  }

  /** Re-attaches every run not known to have ended. Hosts that cannot be reached are reported, not thrown. */
  reattachAll(): void {
    for (const entry of this.entries.values()) {
      if (TERMINAL_STATES.includes(entry.record.state)) {
        // An ended run whose mirror was damaged gets its missing events back from the host (best effort).
        if (entry.needsRefill) void this.sync(entry.record.id).catch(() => {});
        continue;
      }
      this.reattach(entry);
    }
  }

  private reattach(entry: Entry): void {
    this.follow(entry.record.id).catch((error: unknown) => {
      const message = `cannot re-attach to run ${entry.record.id} on ${entry.record.host}: ${error instanceof Error ? error.message : String(error)}`;
      this.emit({ kind: 'notice', run: this.info(entry), severity: 'warning', message });
    });
  }

  /** Detaches from every run; the runs keep going on their hosts. */
  dispose(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    for (const entry of this.entries.values()) {
      entry.follower?.stop();
      entry.follower = undefined;
    }
    this.changeListeners.clear();
    this.eventListeners.clear();
  }

  // ---- internals ----

  private entry(runId: string): Entry {
    const entry = this.entries.get(runId);
    if (!entry) throw new Error(`no run '${runId}' (brightrun runs lists them)`);
    return entry;
  }

  private info(entry: Entry): RunInfo {
    const nowMs = this.now().getTime();
    const price = entry.record.pricePerGpuHour ?? undefined;
    const spent = costUsd(gpuSeconds(entry.record.attempts, nowMs), price, entry.record.gpus);
    const projected = projectedCostUsd(
      spent,
      { step: entry.progress.step, totalSteps: entry.progress.totalSteps, secondsPerStep: entry.clock.secondsPerStep },
      price,
      entry.record.gpus,
    );
    return runInfo(
      entry.record,
      entry.progress,
      this.store.mirrorDir(entry.record.id),
      spent,
      TERMINAL_STATES.includes(entry.record.state) ? spent : projected,
      !!entry.follower,
      entry.queue,
    );
  }

  private emit(change: RunChange): void {
    for (const listener of [...this.changeListeners]) listener(change);
  }

  private makeFollower(entry: Entry, host: Host, mirror: RunMirror): RunFollower {
    return new RunFollower(
      host,
      entry.record.runDir,
      mirror,
      {
        onEvents: (events) => this.onEvents(entry, events),
        onStatus: (status) => {
          const queue = status.queue ?? null;
          const queueChanged = JSON.stringify(queue) !== JSON.stringify(entry.queue);
          const leftQueue = entry.queue !== null && queue === null && !TERMINAL_STATES.includes(status.state);
          entry.queue = queue;
          if (leftQueue) this.startedAfterQueue(entry, status.updated_at);
          if (!TERMINAL_STATES.includes(status.state) && !entry.progress.done && status.state !== entry.record.state) {
            entry.record.state = status.state;
            this.emit({ kind: 'updated', run: this.info(entry) });
          } else if (queueChanged) {
            this.emit({ kind: 'updated', run: this.info(entry) });
          }
        },
        onWarning: (message) => this.emit({ kind: 'notice', run: this.info(entry), severity: 'warning', message }),
        onEnd: (end) => this.recordEnd(entry, end),
        onWaiterGone: async () => {
          const session = await this.deps.hosts.get(entry.record.host);
          if (await reviveWaiter(session.host, await session.runtime(), entry.record.runDir, this.now)) {
            this.emit({
              kind: 'notice',
              run: this.info(entry),
              severity: 'info',
              message: `Run ${entry.record.id} waits in the queue of ${entry.record.host} again.`,
            });
          }
        },
      },
      this.deps.followerOptions,
    );
  }

  /** The events were already folded by the mirror as it appended them (see mirrorOf). */
  private onEvents(entry: Entry, events: RunEvent[]): void {
    const done = entry.progress.done;
    if (done) {
      // A failed attempt may yet be restarted automatically: the follower's end (onEnd) says whether the run failed.
      if (done.state !== 'failed' || !entry.record.recovery.enabled || !entry.follower) entry.record.state = done.state;
    } else if (entry.record.state !== 'running' && events.some((e) => e.type === 'metrics' || e.type === 'stage' || e.type === 'plan')) {
      entry.record.state = 'running';
    }
    for (const listener of [...this.eventListeners]) listener({ runId: entry.record.id, events });
    this.emit({ kind: 'updated', run: this.info(entry) });
    this.enforceBudget(entry);
  }

  private enforceBudget(entry: Entry): void {
    if (entry.stopping || entry.record.budgetUsd === null || TERMINAL_STATES.includes(entry.record.state)) return;
    const info = this.info(entry);
    const verdict = checkBudget(entry.record.budgetUsd, info.costUsd, info.projectedCostUsd);
    if (!verdict.exceeded || !verdict.reason) return;
    entry.stopping = true;
    this.emit({ kind: 'notice', run: info, severity: 'warning', message: `Run ${entry.record.id}: ${verdict.reason}` });
    this.cancel(entry.record.id, verdict.reason).catch((error: unknown) => {
      this.emit({
        kind: 'notice',
        run: this.info(entry),
        severity: 'error',
        message: `could not stop run ${entry.record.id} for its budget: ${String(error)}`,
      });
    });
  }

  private recordEnd(entry: Entry, end: RunEnd): void {
    const recording = this.onEnd(entry, end)
      .catch((error: unknown) => {
        const message = `could not record the end of run ${entry.record.id}: ${error instanceof Error ? error.message : String(error)}`;
        this.emit({ kind: 'notice', run: this.info(entry), severity: 'error', message });
      })
      .finally(() => {
        if (entry.ending !== recording) return;
        entry.ending = null;
        this.emit({ kind: 'updated', run: this.info(entry) });
      });
    entry.ending = recording;
  }

  private async onEnd(entry: Entry, end: RunEnd): Promise<void> {
    // Decided before the follower goes: whoever waits for the end must not see one while a restart is being made.
    entry.recovering = end.state === 'failed' && !!end.failure && end.failure !== 'other' && entry.record.recovery.enabled && !entry.stopping;
    entry.follower = undefined;
    // The follower drained the host's file before deciding: a mirror being refilled is whole again.
    // Best effort: failing to write that down only means one more replay at the next open.
    await this.mirrorOf(entry)
      .then((mirror) => mirror.refilled())
      .catch(() => {});
    const advice = entry.recovering ? await this.recover(entry, end) : null;
    if (advice === 'restarted') return;
    entry.record.state = end.state;
    entry.record.exitReason = [end.reason ?? entry.progress.lastError?.message ?? null, advice].filter(Boolean).join('; ') || null;
    const last = entry.record.attempts.at(-1);
    if (last && !last.endedAt) last.endedAt = end.endedAt;
    await this.save(entry);
    entry.ending = null;
    const info = this.info(entry);
    this.emit({ kind: 'updated', run: info });
    const severity = end.state === 'completed' ? 'info' : end.state === 'failed' ? 'error' : 'warning';
    const detail = entry.record.stopReason ?? entry.record.exitReason;
    this.emit({ kind: 'notice', run: info, severity, message: `Run ${entry.record.id} ${end.state}${detail ? `: ${detail}` : ''}` });
  }

  /** Automatic recovery of a failed attempt (runRecovery.ts): 'restarted' when a new attempt is being followed,
   *  else the advice to add to the run's exit reason (null: none). Slurm hosts recover through Slurm's requeue. */
  private async recover(entry: Entry, end: RunEnd): Promise<'restarted' | string | null> {
    const id = entry.record.id;
    try {
      const session = await this.deps.hosts.get(entry.record.host);
      if (session.host.kind === 'slurm') return null;
      const outcome = await recoverRun({
        host: session.host,
        runtime: await session.runtime(),
        runId: id,
        runDir: entry.record.runDir,
        afterSeq: (await this.mirrorOf(entry)).maxSeq,
        failure: end.failure ?? 'other',
        settings: entry.record.recovery,
        configBatch: { batchSize: entry.record.config.batchSize, gradAccum: entry.record.config.gradAccum },
        now: this.now,
      });
      if (outcome.kind === 'gave-up') return outcome.advice;
      Object.assign(entry.record, { state: 'starting', exitReason: null });
      entry.clock.reset();
      // The client that claimed the restart records it (another one takes its record from the index): every
      // attempt is in the cost, and so in the budget.
      if (outcome.kind === 'restarted') {
        const last = entry.record.attempts.at(-1);
        if (last && !last.endedAt) last.endedAt = end.endedAt;
        entry.record.attempts.push({ startedAt: outcome.attempt.started_at, endedAt: null });
        await this.save(entry);
      }
      entry.recovering = false;
      this.emit({ kind: 'updated', run: this.info(entry) });
      if (outcome.kind === 'restarted') {
        this.emit({
          kind: 'notice',
          run: this.info(entry),
          severity: 'warning',
          message: `Training run "${runLabel(entry.record)}" on ${entry.record.host} restarted automatically. ${outcome.decision.message}`,
        });
      }
      await this.follow(id);
      return 'restarted';
    } catch (error) {
      const message = `automatic recovery could not restart it: ${error instanceof Error ? error.message : String(error)}`;
      this.emit({ kind: 'notice', run: this.info(entry), severity: 'error', message: `Training run "${runLabel(entry.record)}": ${message}` });
      return message;
    } finally {
      entry.recovering = false;
    }
  }

  /** A new run, or one loaded from the index. Its progress comes from the snapshot stored with it: the
   *  record's for an ended run, mirror.json's for a run that may still be going (it is newer than the
   *  record's). Only when neither is usable are the mirrored events replayed. */
  private async openEntry(record: RunRecord, fresh = false): Promise<Entry> {
    const entry = newEntry(record);
    this.entries.set(record.id, entry);
    if (fresh || (TERMINAL_STATES.includes(record.state) && restoreSnapshot(entry, record.progress))) return entry;
    const dir = this.store.mirrorDir(record.id);
    const fromState = await RunMirror.openState(this.deps.fs, dir);
    if (fromState && restoreSnapshot(entry, fromState.progress)) {
      adoptMirror(entry, fromState.mirror);
      return entry;
    }
    // No usable snapshot (files from an older version, or damage): replay the mirrored events once.
    const { mirror, events, problems } = await RunMirror.open(this.deps.fs, dir);
    for (const p of problems) this.problems.push(`run ${record.id}: ${p.file} ${p.message}`);
    entry.needsRefill = problems.length > 0;
    for (const event of events) foldEvent(entry, event);
    adoptMirror(entry, mirror);
    return entry;
  }

  private mirrorOf(entry: Entry): Promise<RunMirror> {
    entry.mirror ??= (async () => {
      const dir = this.store.mirrorDir(entry.record.id);
      const mirror = (await RunMirror.openState(this.deps.fs, dir))?.mirror ?? (await RunMirror.open(this.deps.fs, dir)).mirror;
      return adoptMirror(entry, mirror);
    })();
    return entry.mirror;
  }

  private async load(): Promise<void> {
    const replayed: Entry[] = [];
    for (const record of await this.store.load()) {
      const entry = await this.openEntry(record);
      if (TERMINAL_STATES.includes(record.state) && restoreProgress(record.progress) === null) replayed.push(entry);
    }
    // Store the snapshots rebuilt by replaying (an index from an older version), so the next open reads no events.
    if (replayed.length > 0) await this.store.saveSnapshots(replayed.map(withSnapshot)).catch(() => {});
  }

  /** A run that waited in a queue starts only now: its attempt, and so its GPU time and cost, starts here. */
  private startedAfterQueue(entry: Entry, at: string): void {
    const attempt = entry.record.attempts.at(-1);
    if (!attempt || attempt.endedAt !== null || !(Date.parse(at) > Date.parse(attempt.startedAt))) return;
    attempt.startedAt = at;
    void this.save(entry).catch((error: unknown) => {
      this.emit({ kind: 'notice', run: this.info(entry), severity: 'warning', message: `saving run ${entry.record.id}: ${(error as Error).message}` });
    });
  }

  /** Saves the run's record with its current progress snapshot (only this run's entry of the index changes). */
  private save(entry: Entry): Promise<void> {
    return this.store.save(withSnapshot(entry));
  }
}

function withSnapshot(entry: Entry): RunRecord {
  return Object.assign(entry.record, { progress: snapshotOf(entry) });
}
