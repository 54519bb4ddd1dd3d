// The Host operations over a real sshd: commands and files with hostile names, resumable verified transfers,
// detached processes and process groups, the follower across a killed connection, and a full disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { SshHost } from '../../src/platform/sshHost';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';

let sshd: TestSshd;
let host: SshHost;
let local: string;
let remote: string;
const NASTY = `it's a "run" $(touch pwned) \`id\` ; & |\nline two ünï`;

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  local = mkdtempSync(join(tmpdir(), 'brightrun-local-'));
  remote = mkdtempSync(join(tmpdir(), 'brightrun-remote-'));
  host = new SshHost(HostSettings.parse({ name: 'box', sshAlias: sshd.alias, workdir: remote }), {
    sshConfigPath: sshd.sshConfig,
    knownHostsFiles: [sshd.knownHosts],
    agentSocket: null,
  });
});
afterAll(async () => {
  host?.dispose();
  await sshd?.stop();
});

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(missingParts({ sshd: sshdAvailable }))('SshHost', { timeout: 60_000 }, () => {
  it('passes hostile arguments to the remote program as data', async () => {
    const r = await host.exec(['printf', '%s|', NASTY, '$HOME', '*', ''], { cwd: remote });
    expect(r.stdout).toBe(`${NASTY}|$HOME|*||`);
    expect(existsSync(join(remote, 'pwned'))).toBe(false);
    expect(existsSync('pwned')).toBe(false);
  });

  it('feeds stdin, passes quoted env values and reports exit codes', async () => {
    const r = await host.exec(['sh', '-c', 'cat; printf %s "$V"; exit 3'], { input: 'in ', env: { V: NASTY } });
    expect(r).toEqual({ code: 3, stdout: `in ${NASTY}`, stderr: '' });
  });

  it('creates, writes atomically, stats, lists and reads files whose names are hostile', async () => {
    const dir = join(remote, NASTY);
    await host.mkdirp(dir);
    const file = join(dir, 'status.json');
    await host.writeFileAtomic(file, '{"a":1}');
    await host.writeFileAtomic(file, '{"a":2}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}');
    expect(await host.list(dir)).toEqual(['status.json']); // no temp file left behind
    expect(await host.stat(file)).toMatchObject({ size: 7, isDirectory: false });
    expect(await host.stat(join(dir, 'missing'))).toBeNull();
    expect(await host.list(join(dir, 'missing'))).toEqual([]);
    expect((await host.readFile(file)).toString()).toBe('{"a":2}');
    expect((await host.readFrom(file, 3)).toString()).toBe('":2}');
    expect((await host.readFrom(file, 1, 3)).toString()).toBe('"a"');
    expect((await host.readFrom(file, 99)).length).toBe(0);
    await expect(host.readFile(join(dir, 'missing'))).rejects.toThrow(/no such file/);
  });

  it('expands ~ to the remote home for commands and files', async () => {
    const home = (await host.exec(['sh', '-c', 'printf %s "$HOME"'])).stdout;
    expect(await host.resolvePath('~/x y')).toBe(`${home}/x y`);
    const name = `~/.brightrun-test-${process.pid}`;
    await host.writeFileAtomic(name, 'home');
    expect((await host.exec(['cat', name])).stdout).toBe('home');
    expect(readFileSync(join(home, name.slice(2)), 'utf8')).toBe('home');
    rmSync(join(home, name.slice(2)));
  });

  it('uploads with progress, resumes a partial upload, and verifies the checksum', async () => {
    const src = join(local, `data ${NASTY}.jsonl`);
    const body = Buffer.from(Array.from({ length: 20000 }, (_, i) => `{"text":"line ${i}"}\n`).join(''));
    writeFileSync(src, body);
    const dest = join(remote, `up ${NASTY}.jsonl`);
    // An earlier attempt that stopped half way left this behind.
    writeFileSync(`${dest}.part`, body.subarray(0, 100000));
    const progress: number[] = [];
    await host.upload(src, dest, (done) => progress.push(done));
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(progress[0]).toBe(100000); // continued, not restarted
    expect(progress.at(-1)).toBe(body.length);

    // A part that does not belong to this file fails verification and is removed, never renamed into place.
    const dest2 = join(remote, 'corrupt.jsonl');
    writeFileSync(`${dest2}.part`, Buffer.alloc(5000, 'x'));
    await expect(host.upload(src, dest2)).rejects.toThrow(/arrived corrupted/);
    expect(existsSync(dest2)).toBe(false);
    await host.upload(src, dest2);
    expect(readFileSync(dest2).equals(body)).toBe(true);
  });

  it('downloads with progress and a checksum, resuming a partial download', async () => {
    const src = join(remote, 'adapter_model.safetensors');
    const body = Buffer.alloc(300000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff;
    writeFileSync(src, body);
    const dest = join(local, 'down', `${NASTY}.safetensors`);
    mkdirSync(join(local, 'down'), { recursive: true });
    writeFileSync(`${dest}.part`, body.subarray(0, 1234));
    const progress: number[] = [];
    await host.download(src, dest, (d) => progress.push(d));
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(progress[0]).toBe(1234);
  });

  it('starts a detached process group that outlives the connection, and signals the whole group', async () => {
    const dir = join(remote, `run ${NASTY}`);
    mkdirSync(dir, { recursive: true });
    const log = join(dir, 'trainer.log');
    // A parent with a child, like torchrun: SIGTERM to the group must reach both.
    const proc = await host.spawnDetached(['sh', '-c', 'sleep 300 & echo "child $!"; echo "$V"; wait'], { cwd: dir, logFile: log, env: { V: NASTY } });
    expect(proc.pgid).toBe(proc.pid);
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('child '), 'the log');
    expect(readFileSync(log, 'utf8')).toContain(NASTY);
    const child = Number(/child (\d+)/.exec(readFileSync(log, 'utf8'))![1]);
    expect(execFileSync('ps', ['-o', 'pgid=', '-p', String(child)], { encoding: 'utf8' }).trim()).toBe(String(proc.pgid));

    // Our session ends; the process must not.
    sshd.killSessions();
    await new Promise((r) => setTimeout(r, 300));
    expect(await host.isAlive(proc.pid)).toBe(true); // reconnects by itself

    expect(await host.signalGroup(proc.pgid, 'SIGTERM')).toBe(true);
    await until(async () => !(await host.isAlive(proc.pid)) && !(await host.isAlive(child)), 'the group to exit');
    expect(await host.signalGroup(proc.pgid, 'SIGTERM')).toBe(false);
  });

  it('reports a missing working directory clearly', async () => {
    await expect(host.spawnDetached(['true'], { cwd: join(remote, 'nope'), logFile: join(remote, 'x.log') })).rejects.toThrow(/does not exist/);
  });

  it('follows appends within a second and resumes after the connection is killed, without loss or repeats', async () => {
    const file = join(remote, `events ${NASTY}.jsonl`);
    writeFileSync(file, 'line 0\n');
    let received = '';
    let end = 0;
    const errors: Error[] = [];
    const watcher = host.watchFile(
      file,
      0,
      (chunk, endOffset) => {
        received += chunk.toString();
        end = endOffset;
      },
      (e) => errors.push(e),
    );
    await until(() => received === 'line 0\n', 'the existing content');
    for (let i = 1; i <= 30; i++) {
      appendFileSync(file, `line ${i}\n`);
      if (i % 10 === 0) {
        // Wait until the follower is attached again, then cut its connection from the server side.
        await until(() => received === readFileSync(file, 'utf8'), `catching up before cut ${i / 10}`, 30000);
        expect(sshd.killSessions()).toBeGreaterThan(0);
        appendFileSync(file, `written while disconnected ${i}\n`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const expected = readFileSync(file, 'utf8');
    await until(() => received.length >= expected.length, 'everything after reconnects', 30000);
    watcher.dispose();
    expect(received).toBe(expected);
    expect(end).toBe(statSync(file).size);
    expect(errors).toEqual([]);
  });

  it('starts following from an offset and waits for a file that does not exist yet', async () => {
    const file = join(remote, 'later.jsonl');
    let received = '';
    const watcher = host.watchFile(
      file,
      4,
      (chunk) => (received += chunk.toString()),
      () => {},
    );
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(file, 'abcdefgh');
    await until(() => received === 'efgh', 'the tail after the offset');
    watcher.dispose();
  });
});
