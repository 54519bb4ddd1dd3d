import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHost } from '../../../src/platform/localHost';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { RunMirror } from '../../../src/core/runs/runMirror';
import { RunFollower, type RunEnd } from '../../../src/core/runs/runFollower';
import { appendAttempt } from '../../../src/core/runs/launchRecord';
import type { RunEvent } from '../../../src/contracts/events';
import type { Disposable } from '../../../src/core/hosts/host';
import { waitFor } from './helpers/waitFor';

const line = (seq: number) => JSON.stringify({ v: 1, seq, ts: new Date().toISOString(), type: 'log', level: 'info', message: `event ${seq} ✓` }) + '\n';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'follow-'));
  const runDir = join(root, 'runs', 'r1');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    join(runDir, 'status.json'),
    JSON.stringify({ state: 'running', pid: null, pgid: null, step: 0, total_steps: null, updated_at: 'x', exit_reason: null }),
  );
  return { root, runDir, events: join(runDir, 'events.jsonl'), mirrorDir: join(root, 'mirror') };
}

function collector() {
  const seen: RunEvent[] = [];
  const warnings: string[] = [];
  let end: RunEnd | undefined;
  return {
    seen,
    warnings,
    get end() {
      return end;
    },
    listener: {
      onEvents: (events: RunEvent[]) => seen.push(...events),
      onStatus: () => {},
      onWarning: (m: string) => warnings.push(m),
      onEnd: (e: RunEnd) => (end = e),
    },
  };
}

const seqsOfMirror = (dir: string) =>
  readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).seq as number);

describe('RunFollower', { timeout: 30_000 }, () => {
  it('delivers a line written in two pieces once, whole, and resumes from the mirror offset after a restart', async () => {
    const { root, runDir, events, mirrorDir } = setup();
    const host = new LocalHost(root);
    writeFileSync(events, line(1) + line(2) + line(3).slice(0, 10));
    const first = collector();
    const { mirror } = await RunMirror.open(nodeStoreFs, mirrorDir);
    const follower = new RunFollower(host, runDir, mirror, first.listener, { statusPollMs: 50 });
    follower.start();
    await waitFor(() => first.seen.length === 2, 'the first two events');
    appendFileSync(events, line(3).slice(10) + line(4));
    await waitFor(() => first.seen.length === 4, 'the split line and the next');
    follower.stop();

    appendFileSync(events, line(5) + line(6));
    // A new follower (the editor restarted) starts from the mirror's offset: nothing lost, nothing twice.
    const reopened = await RunMirror.open(nodeStoreFs, mirrorDir);
    const second = collector();
    const again = new RunFollower(host, runDir, reopened.mirror, second.listener, { statusPollMs: 50 });
    again.start();
    await waitFor(() => second.seen.length === 2, 'events written while detached');
    again.stop();
    expect(second.seen.map((e) => e.seq)).toEqual([5, 6]);
    expect(seqsOfMirror(mirrorDir)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fills a gap left by a lost chunk by re-reading from the last good offset', async () => {
    const { root, runDir, events, mirrorDir } = setup();
    const real = new LocalHost(root);
    // A transport that loses its first chunk, like a tail over a connection that dropped data.
    let delivered = 0;
    const lossy = Object.create(real) as LocalHost;
    lossy.watchFile = (path, offset, onData, onError): Disposable =>
      real.watchFile(
        path,
        offset,
        (chunk, end) => {
          delivered += 1;
          if (delivered !== 1) onData(chunk, end);
        },
        onError,
      );
    writeFileSync(events, line(1));
    const c = collector();
    const { mirror } = await RunMirror.open(nodeStoreFs, mirrorDir);
    const follower = new RunFollower(lossy, runDir, mirror, c.listener, { statusPollMs: 60_000 });
    follower.start();
    await waitFor(() => c.seen.length === 1, 'event 1');
    appendFileSync(events, line(2));
    await waitFor(() => delivered >= 1, 'the lost chunk');
    appendFileSync(events, line(3));
    await waitFor(() => c.seen.length === 3, 'the gap to be filled');
    follower.stop();
    expect(c.seen.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(seqsOfMirror(mirrorDir)).toEqual([1, 2, 3]);
  });

  it('accepts a gap that is really in the file, with a warning, instead of re-reading forever', async () => {
    const { root, runDir, events, mirrorDir } = setup();
    writeFileSync(events, line(1) + line(2));
    const c = collector();
    const { mirror } = await RunMirror.open(nodeStoreFs, mirrorDir);
    const follower = new RunFollower(new LocalHost(root), runDir, mirror, c.listener, { statusPollMs: 60_000 });
    follower.start();
    await waitFor(() => c.seen.length === 2, 'the first events');
    appendFileSync(events, line(4) + line(5));
    await waitFor(() => c.seen.length === 4, 'events after the gap');
    follower.stop();
    expect(c.seen.map((e) => e.seq)).toEqual([1, 2, 4, 5]);
    expect(c.warnings).toEqual(['events.jsonl skips from seq 2 to 4; continuing']);
  });

  it('ignores seqs it has already mirrored when the file is read again from the start', async () => {
    const { root, runDir, events, mirrorDir } = setup();
    writeFileSync(events, line(1) + line(2) + line(3));
    const { mirror } = await RunMirror.open(nodeStoreFs, mirrorDir);
    await mirror.append([JSON.parse(line(1)), JSON.parse(line(2))], 0); // offset 0: as after a mirror recovery
    const c = collector();
    await new RunFollower(new LocalHost(root), runDir, mirror, c.listener).sync();
    expect(c.seen.map((e) => e.seq)).toEqual([3]);
    expect(seqsOfMirror(mirrorDir)).toEqual([1, 2, 3]);
  });

  it('reports a trainer that died without `done` as failed, with the reason from trainer.log', async () => {
    const { root, runDir, events, mirrorDir } = setup();
    const host = new LocalHost(root);
    writeFileSync(events, line(1));
    const script = 'echo step 1; echo "Traceback (most recent call last):" >&2; echo "  File x" >&2; echo "KeyError: \'messages\'" >&2; exit 1';
    const proc = await host.spawnDetached(['sh', '-c', script], { cwd: runDir, logFile: join(runDir, 'trainer.log') });
    await appendAttempt(host, runDir, { pid: proc.pid, pgid: proc.pgid, started_at: new Date().toISOString(), resume: false });
    const c = collector();
    const { mirror } = await RunMirror.open(nodeStoreFs, mirrorDir);
    const follower = new RunFollower(host, runDir, mirror, c.listener, { statusPollMs: 50 });
    follower.start();
    await waitFor(() => c.end, 'the failure to be noticed');
    expect(c.end?.state).toBe('failed');
    expect(c.end?.reason).toBe("the trainer crashed: KeyError: 'messages'");
    const status = JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8'));
    expect(status.state).toBe('failed');
    expect(status.exit_reason).toMatch(/KeyError/);
    expect(JSON.parse(readFileSync(join(mirrorDir, 'status.json'), 'utf8')).state).toBe('failed');
  });
});
