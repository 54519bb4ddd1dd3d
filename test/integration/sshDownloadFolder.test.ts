// Downloading an adapter folder from a host that lies in its SFTP listings: names like `../../x`, names holding
// `/`, `\` or NUL, symlinks, devices and FIFOs. Every file written must land inside the download folder, and
// every entry left out is reported. The server is ssh2's Server API on loopback (a real sshd cannot list such
// names); the client is BrightRun's own SSH host, unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { SshHost } from '../../src/platform/sshHost';
import { downloadFolder } from '../../src/platform/sshFolderDownload';
import { startHostileSftpServer, type FakeNode, type HostileSftpServer } from './helpers/hostileSftpServer';

const file: FakeNode = { kind: 'file' };
const tree: FakeNode = {
  kind: 'dir',
  entries: [
    ['adapter_config.json', file],
    ['adapter_model.safetensors', file],
    ['..not-a-parent.txt', file],
    ['../../escape.txt', file],
    ['..', { kind: 'dir', entries: [['dotdot-escape.txt', file]] }],
    ['.', { kind: 'dir', entries: [['dot.txt', file]] }],
    ['..\\..\\backslash.txt', file],
    ['/tmp/absolute.txt', file],
    ['nul\0byte.txt', file],
    ['', file],
    ['new\nline.txt', file],
    ['link', { kind: 'symlink' }],
    ['device', { kind: 'char' }],
    ['fifo', { kind: 'fifo' }],
    [
      'sub',
      {
        kind: 'dir',
        entries: [
          ['tokenizer.json', file],
          ['../../../deep-escape.txt', file],
          ['loop', { kind: 'symlink' }],
        ],
      },
    ],
  ],
};

let server: HostileSftpServer;
let host: SshHost;

beforeAll(async () => {
  server = await startHostileSftpServer('/runs/r1/adapter', tree);
  const settings = HostSettings.parse({ name: 'liar', host: '127.0.0.1', port: server.port, user: 'ml', identityFile: server.clientKey, workdir: '/runs' });
  host = new SshHost(settings, { knownHostsFiles: [server.knownHosts], agentSocket: null, sshConfigPath: join(tmpdir(), 'brightrun-no-ssh-config') });
});
afterAll(async () => {
  host?.dispose();
  await server?.stop();
});

/** Every file under dir, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('downloading a folder from a host with hostile names', { timeout: 60_000 }, () => {
  it('writes only inside the download folder, and reports every entry it skipped', async () => {
    const sandbox = mkdtempSync(join(tmpdir(), 'brightrun-download-'));
    // Deep enough that `../../x` and `../../../x` would still land inside the sandbox, where they can be seen.
    const target = join(sandbox, 'workspace', 'adapters', 'r1');
    mkdirSync(join(sandbox, 'workspace', 'adapters'), { recursive: true });
    const skipped: string[] = [];
    const progress: [number, number][] = [];
    const result = await downloadFolder(host, '/runs/r1/adapter', target, { onSkip: (m) => skipped.push(m), onProgress: (d, t) => progress.push([d, t]) });

    expect(result.files.sort()).toEqual(['..not-a-parent.txt', 'adapter_config.json', 'adapter_model.safetensors', 'sub/tokenizer.json'].sort());
    expect(filesUnder(sandbox)).toEqual(result.files.map((f) => join('workspace', 'adapters', 'r1', f)).sort());
    for (const f of result.files) expect(readFileSync(join(target, f))).toEqual(server.payload);
    expect(progress.at(-1)).toEqual([4 * server.payload.length, 4 * server.payload.length]);

    expect(result.skipped).toEqual(skipped);
    const why = (name: string) => skipped.find((m) => m.startsWith(`Skipped ${JSON.stringify(name).slice(1, -1)} in /runs/r1/adapter on liar: `));
    expect(why('../../escape.txt')).toMatch(/path separator/);
    expect(why('..\\..\\backslash.txt')).toMatch(/path separator/);
    expect(why('/tmp/absolute.txt')).toMatch(/path separator/);
    expect(why('nul\0byte.txt')).toMatch(/NUL byte/);
    expect(why('')).toMatch(/not a file name/);
    expect(why('new\nline.txt')).toMatch(/control character/);
    expect(why('link')).toMatch(/symbolic link/);
    expect(why('device')).toMatch(/not a regular file/);
    expect(why('fifo')).toMatch(/not a regular file/);
    expect(why('sub/../../../deep-escape.txt')).toMatch(/path separator/);
    expect(why('sub/loop')).toMatch(/symbolic link/);
  });

  it('refuses to download into a folder that already holds files', async () => {
    const target = mkdtempSync(join(tmpdir(), 'brightrun-download-'));
    writeFileSync(join(target, 'mine.txt'), 'keep');
    await expect(downloadFolder(host, '/runs/r1/adapter', target)).rejects.toThrow(/not empty/);
    expect(readFileSync(join(target, 'mine.txt'), 'utf8')).toBe('keep');
  });
});
