import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalHost } from '../../../src/platform/localHost';
import { waitFor } from './helpers/waitFor';

const tmp = () => mkdtempSync(join(tmpdir(), 'localhost-'));

describe('LocalHost', { timeout: 30_000 }, () => {
  it('passes arguments as data, never through a shell', async () => {
    const host = new LocalHost(tmp());
    const hostile = `a b 'c' "d" $(touch pwned) \`id\` ;|&`;
    const r = await host.exec(['printf', '%s', hostile]);
    expect(r).toEqual({ code: 0, stdout: hostile, stderr: '' });
    expect((await host.exec(['cat'], { input: 'piped' })).stdout).toBe('piped');
    expect((await host.exec(['sh', '-c', 'exit 3'])).code).toBe(3);
  });

  it('starts a detached process group that outlives its parent and is stopped as a whole', async () => {
    const dir = tmp();
    const host = new LocalHost(dir);
    const log = join(dir, 'out.log');
    // A parent that starts a child and both keep running: the group signal must reach both.
    const script = 'sleep 30 & echo "child $!"; echo "pgid $(ps -o pgid= $$)"; wait';
    const proc = await host.spawnDetached(['sh', '-c', script], { cwd: dir, logFile: log, env: { EXTRA: 'x' } });
    expect(proc.pgid).toBe(proc.pid);
    const text = await waitFor(() => {
      const t = readFileSync(log, 'utf8');
      return /child \d+/.test(t) && /pgid/.test(t) ? t : null;
    }, 'the log lines');
    expect(Number(/pgid\s+(\d+)/.exec(text as string)![1])).toBe(proc.pid);
    const child = Number(/child (\d+)/.exec(text as string)![1]);
    expect(await host.isAlive(proc.pid)).toBe(true);
    expect(await host.isAlive(child)).toBe(true);
    expect(await host.signalGroup(proc.pgid, 'SIGTERM')).toBe(true);
    await waitFor(async () => !(await host.isAlive(proc.pid)) && !(await host.isAlive(child)), 'the whole group to stop');
    expect(await host.signalGroup(4_194_303, 'SIGKILL')).toBe(false); // a group that does not exist
  });

  it('reports a program that cannot be started', async () => {
    const dir = tmp();
    await expect(new LocalHost(dir).spawnDetached(['/no/such/python'], { cwd: dir, logFile: join(dir, 'l') })).rejects.toThrow(
      /cannot start \/no\/such\/python/,
    );
  });

  it('watches a file that does not exist yet, from an offset, delivering contiguous chunks', async () => {
    const dir = tmp();
    const host = new LocalHost(dir);
    const path = join(dir, 'events.jsonl');
    const got: { text: string; end: number }[] = [];
    const watch = host.watchFile(
      path,
      3,
      (chunk, end) => got.push({ text: chunk.toString(), end }),
      (e) => {
        throw e;
      },
    );
    writeFileSync(path, 'abcdef');
    await waitFor(() => got.length > 0, 'the first chunk');
    appendFileSync(path, 'ghi');
    await waitFor(() => got.map((g) => g.text).join('') === 'defghi', 'the appended bytes');
    expect(got.at(-1)!.end).toBe(9);
    watch.dispose();
    expect((await host.readFrom(path, 4, 2)).toString()).toBe('ef');
    expect((await host.readFrom(join(dir, 'missing'), 0)).length).toBe(0);
  });

  it('writes atomically and lists folders', async () => {
    const dir = tmp();
    const host = new LocalHost(dir);
    await host.mkdirp(join(dir, 'a', 'b'));
    await host.writeFileAtomic(join(dir, 'a', 'b', 's.json'), '{}');
    expect(await host.list(join(dir, 'a', 'b'))).toEqual(['s.json']);
    expect(await host.list(join(dir, 'nope'))).toEqual([]);
    expect(await host.stat(join(dir, 'nope'))).toBeNull();
    expect((await host.stat(join(dir, 'a')))?.isDirectory).toBe(true);
  });
});
