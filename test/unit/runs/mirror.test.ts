import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunMirror } from '../../../src/core/runs/runMirror';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import type { RunEvent } from '../../../src/contracts/events';

const log = (seq: number): RunEvent => ({ v: 1, seq, ts: `2026-01-01T00:00:0${seq % 10}Z`, type: 'log', level: 'info', message: `m${seq}` });

describe('RunMirror', () => {
  it('keeps each seq once and remembers the host offset across reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
    const { mirror } = await RunMirror.open(nodeStoreFs, dir);
    expect(await mirror.append([log(1), log(2)], 50)).toHaveLength(2);
    expect(await mirror.append([log(2), log(3)], 75)).toEqual([log(3)]);
    const again = await RunMirror.open(nodeStoreFs, dir);
    expect(again.problems).toEqual([]);
    expect(again.mirror.hostOffset).toBe(75);
    expect(again.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(again.mirror.maxSeq).toBe(3);
  });

  it('recovers from a corrupt events file: keeps the good events, the bad file aside, re-reads from the host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
    writeFileSync(join(dir, 'events.jsonl'), [JSON.stringify(log(1)), '{"v":1,"seq":2,"ty', JSON.stringify(log(3)), ''].join('\n'));
    writeFileSync(join(dir, 'mirror.json'), '{"v":1,"hostOffset":999}');
    const { mirror, events, problems } = await RunMirror.open(nodeStoreFs, dir);
    expect(problems).toEqual([{ file: 'events.jsonl', message: 'line 2 is not a valid event; dropped' }]);
    expect(events.map((e) => e.seq)).toEqual([1, 3]);
    expect(mirror.hostOffset).toBe(0);
    expect(readdirSync(dir).some((f) => f.startsWith('events.jsonl.corrupt-'))).toBe(true);
    // The missing seq comes back from the host; the ones already here are not written twice.
    expect(await mirror.append([log(1), log(2), log(3)], 120)).toEqual([log(2)]);
    expect((await mirror.readEvents()).map((e) => e.seq)).toEqual([1, 2, 3]);
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('treats an unreadable mirror.json as "read everything again"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
    writeFileSync(join(dir, 'events.jsonl'), JSON.stringify(log(1)) + '\n');
    writeFileSync(join(dir, 'mirror.json'), '\u0000garbage');
    const { mirror, problems } = await RunMirror.open(nodeStoreFs, dir);
    expect(problems[0].file).toBe('mirror.json');
    expect(mirror.hostOffset).toBe(0);
    expect(mirror.has(1)).toBe(true);
  });
});

describe('RunMirror.openState', () => {
  it('opens from mirror.json alone, continues after its last seq, and replays when mirror.json is from an older version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
    const { mirror } = await RunMirror.open(nodeStoreFs, dir);
    mirror.trackProgress((fresh) => ({ seen: fresh.length }), null);
    await mirror.append([log(1), log(2)], 50);
    writeFileSync(join(dir, 'events.jsonl'), 'not read by openState\n');
    const reopened = await RunMirror.openState(nodeStoreFs, dir);
    expect(reopened?.progress).toEqual({ seen: 2 });
    expect(reopened?.mirror.hostOffset).toBe(50);
    expect(reopened?.mirror.maxSeq).toBe(2);
    expect(reopened?.mirror.lastEvent).toEqual(log(2));
    expect(await reopened!.mirror.append([log(2), log(3)], 75)).toEqual([log(3)]);
    writeFileSync(join(dir, 'mirror.json'), '{"v":1,"hostOffset":75}');
    expect(await RunMirror.openState(nodeStoreFs, dir)).toBeNull();
  });
});
