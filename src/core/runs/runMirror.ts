// The local copy of one run: config.json, status.json, events.jsonl (every event exactly once, by seq) and
// mirror.json (how far into the host's events.jsonl we have read, the highest seq, the last event and the run's
// folded progress). History stays viewable with the host offline. Following a run again needs only mirror.json:
// events.jsonl is read when someone asks for the history (openState), or when mirror.json cannot be trusted
// (open).
//
// Writes: events are appended first, then mirror.json is replaced atomically. A crash between the two only
// makes the next follower re-read a few events from the host, which the seq check drops.
//
// Several processes may follow the same run into the same mirror (the editor, and `brightrun logs -f` in its
// terminal). Every write happens under mirror.lock, after reading what the others appended since (from the byte
// where this process last left events.jsonl): those events are taken in as this process's own news, and only
// seqs nobody mirrored yet are appended. So no line is ever written twice and none is lost.
import { join } from 'node:path';
import { RunEvent } from '../../contracts/events';
import { RunStatus } from '../../contracts/status';
import type { StoreFs } from './storeFs';

export interface MirrorProblem {
  file: string;
  message: string;
}

interface MirrorState {
  v: 1;
  /** Byte offset in the host's events.jsonl up to which every complete line is in this mirror. */
  hostOffset: number;
  /** The fields below are absent in mirrors written before they existed (those are opened by replaying). */
  maxSeq?: number;
  lastEvent?: RunEvent | null;
  /** What the registry folded from the events so far (a ProgressSnapshot). */
  progress?: unknown;
  /** Damaged events were dropped and the host's file is being re-read from 0: only a replay knows which seqs
   *  are here, so the next open replays. */
  refilling?: boolean;
  /** Size of the local events.jsonl this state describes (absent in older mirrors). */
  localBytes?: number;
}

export interface MirrorHistory {
  events: RunEvent[];
  problems: MirrorProblem[];
}

export class RunMirror {
  /** Every seq mirrored, when the events were replayed; null when opened from mirror.json alone, where the
   *  mirror holds every seq up to maxSeq (the host writes seqs in order and the mirror appends them in order). */
  private seen: Set<number> | null = new Set<number>();
  private maxSeqSeen = 0;
  private last: RunEvent | undefined;
  private offset = 0;
  /** How much of the local events.jsonl this process has read or written: bytes past it were appended by
   *  another process. Null when unknown (an older mirror.json): the whole file is read once. */
  private localBytes: number | null = 0;
  private refilling = false;
  private progress: unknown;
  private fold: ((fresh: RunEvent[]) => unknown) | undefined;

  private constructor(
    private readonly fs: StoreFs,
    readonly dir: string,
  ) {}

  get hostOffset(): number {
    return this.offset;
  }
  get maxSeq(): number {
    return this.maxSeqSeen;
  }
  /** The event with the highest seq. */
  get lastEvent(): RunEvent | undefined {
    return this.last;
  }
  has(seq: number): boolean {
    return this.seen ? this.seen.has(seq) : seq <= this.maxSeqSeen;
  }

  /** Folds appended events into the caller's progress before mirror.json is written, so the progress stored
   *  there always matches the offset stored with it. `fold` returns the snapshot to store. */
  trackProgress(fold: (fresh: RunEvent[]) => unknown, current: unknown): void {
    this.fold = fold;
    this.progress = current;
  }

  /** Opens from mirror.json alone, without reading events.jsonl. Null when mirror.json is missing, damaged,
   *  from an older version or marks a refill in progress: use open(), which replays the events. */
  static async openState(fs: StoreFs, dir: string): Promise<{ mirror: RunMirror; progress: unknown } | null> {
    const raw = await fs.readFile(join(dir, 'mirror.json'));
    const state = raw ? parseState(raw) : null;
    if (!state || state.maxSeq === undefined || state.progress === undefined || state.refilling) return null;
    const mirror = new RunMirror(fs, dir);
    mirror.seen = null;
    mirror.offset = state.hostOffset;
    mirror.maxSeqSeen = state.maxSeq;
    mirror.last = state.lastEvent ?? undefined;
    mirror.progress = state.progress;
    mirror.localBytes = state.localBytes ?? null;
    return { mirror, progress: state.progress };
  }

  /** Opens (or creates) the mirror in `dir`. Corrupt files are reported and recovered from, never thrown:
   *  bad event lines are dropped and the offset reset to 0, so the follower re-reads the host's file and the seq
   *  check fills in exactly what is missing. */
  static async open(fs: StoreFs, dir: string): Promise<{ mirror: RunMirror; events: RunEvent[]; problems: MirrorProblem[] }> {
    await fs.mkdirp(dir);
    const mirror = new RunMirror(fs, dir);
    const problems: MirrorProblem[] = [];
    const events: RunEvent[] = [];
    const raw = await fs.readFile(join(dir, 'events.jsonl'));
    let eventsCorrupt = false;
    if (raw) {
      const lines = raw.toString('utf8').split('\n');
      lines.forEach((text, index) => {
        if (text.trim() === '') return;
        const event = parseEventLine(text);
        if (!event) {
          eventsCorrupt = true;
          problems.push({ file: 'events.jsonl', message: `line ${index + 1} is not a valid event; dropped` });
        } else if (!mirror.has(event.seq)) {
          mirror.remember(event);
          events.push(event);
        }
      });
    }
    const state = await fs.readFile(join(dir, 'mirror.json'));
    let offset = 0;
    if (state) {
      const parsed = parseState(state);
      if (parsed) offset = parsed.hostOffset;
      else problems.push({ file: 'mirror.json', message: 'unreadable; re-reading the run from its host' });
    } else if (raw && raw.length > 0) {
      problems.push({ file: 'mirror.json', message: 'missing; re-reading the run from its host' });
    }
    mirror.localBytes = raw?.length ?? 0;
    if (eventsCorrupt) {
      // Keep the damaged file for inspection and write back only the good events, in seq order.
      events.sort((a, b) => a.seq - b.seq);
      await mirror.locked(() => mirror.rewrite(events));
      offset = 0;
      mirror.refilling = true;
    }
    mirror.offset = offset;
    if (problems.length > 0) await mirror.locked(() => mirror.saveState());
    events.sort((a, b) => a.seq - b.seq);
    return { mirror, events, problems };
  }

  private remember(event: RunEvent): void {
    this.seen?.add(event.seq);
    if (event.seq > this.maxSeqSeen) {
      this.maxSeqSeen = event.seq;
      this.last = event;
    }
  }

  /** Appends events not seen before (others are ignored) and records the host offset they were read up to.
   *  Returns the events new to this process, in seq order: those another process mirrored since this one last
   *  looked, and those this call appended. */
  append(events: readonly RunEvent[], hostOffset: number): Promise<RunEvent[]> {
    return this.locked(async () => {
      const fromOthers = await this.takeInOthersEvents();
      const fresh: RunEvent[] = [];
      for (const e of events) {
        if (this.has(e.seq)) continue;
        this.remember(e);
        fresh.push(e);
      }
      if (fresh.length > 0) {
        const text = fresh.map((e) => JSON.stringify(e) + '\n').join('');
        await this.fs.appendFile(join(this.dir, 'events.jsonl'), text);
        if (this.localBytes !== null) this.localBytes += Buffer.byteLength(text);
      }
      const added = [...fromOthers, ...fresh].sort((a, b) => a.seq - b.seq);
      if (added.length > 0 && this.fold) this.progress = this.fold(added);
      if (added.length > 0 || hostOffset !== this.offset) {
        this.offset = hostOffset;
        await this.saveState();
      }
      return added;
    });
  }

  private locked<T>(task: () => Promise<T>): Promise<T> {
    return this.fs.withLock(join(this.dir, 'mirror.lock'), task);
  }

  /** Events another process appended to the local events.jsonl since this one last read or wrote it. Whole
   *  lines only: appends happen under the lock, so a partial line is a crashed writer's, left for a repair. */
  private async takeInOthersEvents(): Promise<RunEvent[]> {
    const start = this.localBytes ?? 0;
    const tail = await this.fs.readFrom(join(this.dir, 'events.jsonl'), start);
    if (!tail || tail.length === 0) {
      this.localBytes = start;
      return [];
    }
    const end = tail.lastIndexOf(0x0a) + 1;
    const taken: RunEvent[] = [];
    for (const text of tail.subarray(0, end).toString('utf8').split('\n')) {
      const event = text.trim() ? parseEventLine(text) : null;
      if (event && !this.has(event.seq)) {
        this.remember(event);
        taken.push(event);
      }
    }
    this.localBytes = start + end;
    return taken;
  }

  /** Replaces the local events.jsonl with `events` (a repair), keeping the damaged file aside; returns where.
   *  Called under the lock. */
  private async rewrite(events: readonly RunEvent[]): Promise<string> {
    const path = join(this.dir, 'events.jsonl');
    const aside = `${path}.corrupt-${Date.now()}`;
    await this.fs.rename(path, aside);
    const text = events.map((e) => JSON.stringify(e) + '\n').join('');
    await this.fs.writeFileAtomic(path, text);
    this.localBytes = Buffer.byteLength(text);
    return aside;
  }

  private async saveState(): Promise<void> {
    const state: MirrorState = { v: 1, hostOffset: this.offset, maxSeq: this.maxSeqSeen, lastEvent: this.last ?? null, progress: this.progress };
    if (this.refilling) state.refilling = true;
    if (this.localBytes !== null) state.localBytes = this.localBytes;
    await this.fs.writeFileAtomic(join(this.dir, 'mirror.json'), JSON.stringify(state) + '\n');
  }

  async writeStatus(status: RunStatus): Promise<void> {
    await this.fs.writeFileAtomic(join(this.dir, 'status.json'), JSON.stringify(status, null, 2) + '\n');
  }

  async readStatus(): Promise<RunStatus | null> {
    const raw = await this.fs.readFile(join(this.dir, 'status.json'));
    if (!raw) return null;
    try {
      const parsed = RunStatus.safeParse(JSON.parse(raw.toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async writeConfig(config: unknown): Promise<void> {
    await this.fs.writeFileAtomic(join(this.dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  }

  /** The host's whole file was read again after a repair: the mirror is complete, the next open can trust
   *  mirror.json again. */
  async refilled(): Promise<void> {
    if (!this.refilling) return;
    this.refilling = false;
    await this.locked(() => this.saveState());
  }

  /** Every mirrored event in seq order, each once, and the damage found. Damaged lines are dropped the way open()
   *  drops them: the file is kept aside, the good events written back, and the offset reset so the next read
   *  from the host fills in exactly the missing seqs. */
  async readHistory(): Promise<MirrorHistory> {
    const raw = await this.fs.readFile(join(this.dir, 'events.jsonl'));
    if (!raw) return { events: [], problems: [] };
    const bySeq = new Map<number, RunEvent>();
    const problems: MirrorProblem[] = [];
    raw
      .toString('utf8')
      .split('\n')
      .forEach((text, index) => {
        if (text.trim() === '') return;
        const event = parseEventLine(text);
        if (!event) problems.push({ file: 'events.jsonl', message: `line ${index + 1} is not a valid event; dropped` });
        else if (!bySeq.has(event.seq)) bySeq.set(event.seq, event);
      });
    const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    if (problems.length > 0) {
      const aside = await this.locked(async () => {
        const kept = await this.rewrite(events);
        this.seen = new Set(events.map((e) => e.seq));
        this.offset = 0;
        this.refilling = true;
        await this.saveState();
        return kept;
      });
      problems.push({ file: 'events.jsonl', message: `the damaged file was kept as ${aside}` });
    }
    return { events, problems };
  }

  /** Every mirrored event in seq order, each once. */
  async readEvents(): Promise<RunEvent[]> {
    const raw = await this.fs.readFile(join(this.dir, 'events.jsonl'));
    if (!raw) return [];
    const bySeq = new Map<number, RunEvent>();
    for (const text of raw.toString('utf8').split('\n')) {
      const event = text.trim() ? parseEventLine(text) : null;
      if (event && !bySeq.has(event.seq)) bySeq.set(event.seq, event);
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

export function parseEventLine(text: string): RunEvent | null {
  try {
    const parsed = RunEvent.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function parseState(raw: Buffer): MirrorState | null {
  try {
    const value = JSON.parse(raw.toString('utf8')) as Partial<MirrorState>;
    if (value && value.maxSeq !== undefined && !(Number.isInteger(value.maxSeq) && value.maxSeq >= 0)) return null;
    return value && value.v === 1 && Number.isInteger(value.hostOffset) && (value.hostOffset ?? -1) >= 0 ? (value as MirrorState) : null;
  } catch {
    return null;
  }
}
