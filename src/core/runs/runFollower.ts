// Follows one run on its host: tails events.jsonl from the mirror's byte offset, keeps each seq exactly once
// in the local mirror, and polls status.json and the process for liveness. A trainer that died without its
// `done` event is reported failed with the reason found in trainer.log.
//
// Every read goes through one queue, so a watcher chunk, a gap re-read and a final drain never interleave.
import type { Disposable, Host } from '../hosts/host';
import type { ErrorEvent, RunEvent } from '../../contracts/events';
import { TERMINAL_STATES, type RunState, type RunStatus } from '../../contracts/status';
import { LineSplitter, type Line } from './lineSplitter';
import { parseEventLine, type RunMirror } from './runMirror';
import { runFile } from './runPaths';
import { latestAttempt, type LaunchAttempt } from './launchRecord';
import { readHostStatus } from './runLauncher';
import { explainExit, type ExitExplanation } from './exitReason';
import type { FailureKind } from './recoveryPolicy';
import { waitsInHostQueue } from './hostQueue';

export interface RunEnd {
  state: Exclude<RunState, 'starting' | 'running'>;
  reason: string | null;
  endedAt: string;
  /** For a failed attempt: what automatic recovery needs to know of how it failed. */
  failure?: FailureKind;
}

export interface FollowerListener {
  /** New events, de-duplicated, in the order the trainer wrote them. */
  onEvents(events: RunEvent[]): void;
  onStatus(status: RunStatus): void;
  onWarning(message: string): void;
  onEnd(end: RunEnd): void;
  /** A run waiting in its host's queue has lost its waiter (the machine restarted): start it again. */
  onWaiterGone?(): Promise<void>;
}

export interface FollowerOptions {
  /** How often status.json and the process are checked. */
  statusPollMs?: number;
  /** Largest read when catching up directly (gap fill, drain). */
  readChunkBytes?: number;
  now?: () => Date;
}

const LOG_TAIL_BYTES = 16_384;

export class RunFollower {
  private splitter: LineSplitter;
  private watch: Disposable | undefined;
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private ended = false;
  private lastStatusText = '';
  private attempt: LaunchAttempt | null = null;
  /** The host could not be reached, or was connected to again, since the trainer was last seen alive: a death
   *  found after that is taken for the host's (a reboot, a spot reclaim) rather than the trainer's alone. */
  private hostWasUnreachable = false;
  private reconnectsWhenAlive: number;
  private readonly statusPollMs: number;
  private readonly readChunkBytes: number;
  private readonly now: () => Date;

  constructor(
    private readonly host: Host,
    private readonly runDir: string,
    private readonly mirror: RunMirror,
    private readonly listener: FollowerListener,
    options: FollowerOptions = {},
  ) {
    this.statusPollMs = options.statusPollMs ?? 1000;
    this.readChunkBytes = options.readChunkBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
    this.splitter = new LineSplitter(mirror.hostOffset);
    this.reconnectsWhenAlive = host.reconnects ?? 0;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Starts tailing and polling until the run ends or stop() is called. */
  start(): void {
    if (this.running || this.ended) return;
    this.running = true;
    this.enqueue(async () => {
      await this.catchUp(this.mirror.hostOffset);
      this.startWatching();
    });
    this.schedulePoll();
  }

  /** Detaches: the run keeps going on its host; a later follower continues from the mirror's offset. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.watch?.dispose();
    this.watch = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One catch-up pass without staying attached: new events, status, and whether the run ended. */
  sync(): Promise<void> {
    return this.enqueue(async () => {
      await this.catchUp(this.mirror.hostOffset);
      await this.checkLiveness();
    });
  }

  /** Reads new events only, without judging liveness: for runs known to have ended (e.g. refilling a mirror
   *  recovered from damage). */
  readNew(): Promise<void> {
    return this.enqueue(() => this.catchUp(this.mirror.hostOffset));
  }

  /** Resolves when everything queued so far has been processed. */
  idle(): Promise<void> {
    return this.enqueue(async () => {});
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task).catch((error: unknown) => {
      this.listener.onWarning(`following the run: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.queue = next;
    return next;
  }

  private startWatching(): void {
    if (!this.running || this.ended) return;
    const generation = ++this.generation;
    // The watcher starts at the last complete line, so any partial line is re-read from there, once.
    this.splitter = new LineSplitter(this.splitter.completeOffset);
    this.watch = this.host.watchFile(
      runFile(this.runDir, 'events'),
      this.splitter.completeOffset,
      (chunk, endOffset) => {
        if (generation !== this.generation) return;
        void this.enqueue(async () => {
          if (generation !== this.generation) return;
          // A chunk that does not start where the last one ended means data was lost or repeated in transit.
          if (endOffset - chunk.length !== this.splitter.receivedOffset) return this.catchUp(this.splitter.completeOffset);
          await this.consume(this.splitter.push(chunk), false);
        });
      },
      (error) => this.listener.onWarning(`watching events.jsonl on ${this.host.name}: ${error.message}`),
    );
  }

  /** Re-reads the host's file from `offset` to its end, directly. Used at start, to fill a gap and to drain. */
  private async catchUp(offset: number): Promise<void> {
    const wasWatching = this.watch !== undefined;
    if (wasWatching) {
      this.generation++;
      this.watch?.dispose();
      this.watch = undefined;
    }
    this.splitter = new LineSplitter(offset);
    const path = runFile(this.runDir, 'events');
    if (await this.host.stat(path)) {
      for (;;) {
        const chunk = await this.host.readFrom(path, offset, this.readChunkBytes);
        if (chunk.length === 0) break;
        offset += chunk.length;
        // A direct read is the file itself: a gap found here is really in the file, so it is accepted.
        await this.consume(this.splitter.push(chunk), true);
        if (chunk.length < this.readChunkBytes) break;
      }
    }
    // Unfinished bytes of a partial last line are read again by the watcher, from the last complete line.
    if (wasWatching) this.startWatching();
  }

  /** Parses complete lines, drops seqs already mirrored, appends the rest. A seq gap in watched data means a
   *  chunk went missing in transit: the file is re-read from the last good offset instead. */
  private async consume(lines: Line[], fromDirectRead: boolean): Promise<void> {
    const fresh: RunEvent[] = [];
    let goodOffset = this.mirror.hostOffset;
    let maxSeq = this.mirror.maxSeq;
    for (const line of lines) {
      const event = parseEventLine(line.text);
      if (!event && !fromDirectRead) {
        // Possibly two pieces of different lines joined by lost data: read the file itself from here.
        await this.commit(fresh, goodOffset);
        await this.catchUp(goodOffset);
        return;
      }
      if (!event) {
        this.listener.onWarning(`skipped an unreadable line in events.jsonl ending at byte ${line.endOffset}: ${line.text.slice(0, 120)}`);
        goodOffset = line.endOffset;
        continue;
      }
      if (!this.mirror.has(event.seq) && !fresh.some((e) => e.seq === event.seq)) {
        if (event.seq > maxSeq + 1 && !fromDirectRead) {
          await this.commit(fresh, goodOffset);
          await this.catchUp(goodOffset);
          return;
        }
        if (event.seq > maxSeq + 1) {
          this.listener.onWarning(`events.jsonl skips from seq ${maxSeq} to ${event.seq}; continuing`);
        }
        fresh.push(event);
        maxSeq = Math.max(maxSeq, event.seq);
      }
      goodOffset = line.endOffset;
    }
    await this.commit(fresh, goodOffset);
  }

  private async commit(events: RunEvent[], offset: number): Promise<void> {
    const added = await this.mirror.append(events, offset);
    if (added.length > 0) this.listener.onEvents(added);
  }

  private schedulePoll(): void {
    if (!this.running || this.ended) return;
    this.timer = setTimeout(() => {
      void this.enqueue(() => this.checkLiveness()).then(() => this.schedulePoll());
    }, this.statusPollMs);
  }

  private async checkLiveness(): Promise<void> {
    try {
      await this.judgeLiveness();
    } catch (error) {
      this.hostWasUnreachable = true;
      throw error;
    }
  }

  private async judgeLiveness(): Promise<void> {
    if (this.ended) return;
    const status = await readHostStatus(this.host, this.runDir);
    if (status) {
      const text = JSON.stringify(status);
      if (text !== this.lastStatusText) {
        this.lastStatusText = text;
        await this.mirror.writeStatus(status);
        this.listener.onStatus(status);
      }
    }
    // launch.json changes only when an attempt starts: read it until the trainer runs, then keep it.
    if (!this.attempt || status?.state === 'starting') this.attempt = await latestAttempt(this.host, this.runDir);
    const attempt = this.attempt;
    const alive = attempt ? await this.host.isAlive(attempt.pid) : true;
    // A queued run without its waiter keeps its place in the host's queue: not a death, a waiter to start again.
    if (!alive && waitsInHostQueue(this.host, status)) return this.listener.onWaiterGone?.();
    const terminal = status !== null && TERMINAL_STATES.includes(status.state);
    if (alive) {
      this.hostWasUnreachable = false;
      this.reconnectsWhenAlive = this.host.reconnects ?? 0;
    }
    if (!terminal && alive) return;

    // The trainer is finishing or gone: read whatever it wrote last before deciding.
    await this.catchUp(this.splitter.completeOffset);
    const afterSeq = attempt?.after_seq ?? 0;
    const last = this.mirror.lastEvent;
    if (last?.type === 'done' && last.seq > afterSeq) {
      const failure = last.state === 'failed' ? failureOf((await this.lastError(afterSeq))?.kind) : undefined;
      return this.finish({ state: last.state, reason: status?.exit_reason ?? null, endedAt: last.ts, failure });
    }
    if (alive) return; // status says it ended but the process is still writing: wait for its done event
    if (terminal && status) {
      return this.finish({ state: status.state as RunEnd['state'], reason: status.exit_reason, endedAt: status.updated_at, failure: 'other' });
    }
    // The liveness check may have recorded why it ended (a Slurm host writes the scheduler's reason).
    const recorded = await readHostStatus(this.host, this.runDir);
    if (recorded && TERMINAL_STATES.includes(recorded.state)) {
      await this.mirror.writeStatus(recorded);
      this.lastStatusText = JSON.stringify(recorded);
      this.listener.onStatus(recorded);
      return this.finish({ state: recorded.state as RunEnd['state'], reason: recorded.exit_reason, endedAt: recorded.updated_at, failure: 'other' });
    }
    const { reason, kind } = await this.explainDeath(afterSeq);
    // The last sign of life, not the moment we noticed (we may have been detached for hours): it bounds the cost.
    const signs = [last?.ts, status?.updated_at].filter((t): t is string => !!t && Number.isFinite(Date.parse(t)));
    const lastAlive = signs.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
    const endedAt = lastAlive && (!attempt || Date.parse(lastAlive) >= Date.parse(attempt.started_at)) ? lastAlive : this.now().toISOString();
    const failed: RunStatus = {
      state: 'failed',
      pid: status?.pid ?? attempt?.pid ?? null,
      pgid: status?.pgid ?? attempt?.pgid ?? null,
      step: status?.step ?? 0,
      total_steps: status?.total_steps ?? null,
      updated_at: this.now().toISOString(),
      exit_reason: reason,
    };
    // Record the verdict on the host too, so every client (and a later resume) sees the same state.
    await this.host.writeFileAtomic(runFile(this.runDir, 'status'), JSON.stringify(failed, null, 2) + '\n');
    await this.mirror.writeStatus(failed);
    this.lastStatusText = JSON.stringify(failed);
    this.listener.onStatus(failed);
    const hostLost = this.hostWasUnreachable || (this.host.reconnects ?? 0) > this.reconnectsWhenAlive;
    const failure = kind === 'killed' && hostLost ? 'host_lost' : failureOf(kind);
    this.finish({ state: 'failed', reason, endedAt, failure });
  }

  private async lastError(afterSeq: number): Promise<ErrorEvent | undefined> {
    const events = await this.mirror.readEvents();
    return events.filter((e): e is ErrorEvent => e.type === 'error' && e.seq > afterSeq).at(-1);
  }

  private async explainDeath(afterSeq: number): Promise<ExitExplanation> {
    const lastError = await this.lastError(afterSeq);
    const logPath = runFile(this.runDir, 'log');
    let tail = '';
    const stat = await this.host.stat(logPath);
    if (stat) tail = (await this.host.readFrom(logPath, Math.max(0, stat.size - LOG_TAIL_BYTES), LOG_TAIL_BYTES)).toString('utf8');
    return explainExit(tail, lastError);
  }

  private finish(end: RunEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.stop();
    this.listener.onEnd(end);
  }
}

/** An error kind (the trainer's, or explainExit's) as recovery sees it. */
function failureOf(kind: string | undefined): FailureKind {
  return kind === 'oom' || kind === 'killed' ? kind : 'other';
}
