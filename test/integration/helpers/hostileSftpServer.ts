// An SSH server that lies: built on ssh2's Server API, it serves a made-up folder tree over SFTP whose readdir
// answers hold names a real sshd cannot produce (`../../x`, `a\b`, NUL bytes, empty names) and entries whose
// attributes say symlink, character device or FIFO. Any file it serves has the same bytes, and any command it is
// asked to run answers their sha256 (what a download's checksum asks for).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Server, utils, type Attributes } from 'ssh2';

export type FakeNode = { kind: 'file' } | { kind: 'dir'; entries: [string, FakeNode][] } | { kind: 'symlink' } | { kind: 'char' } | { kind: 'fifo' };

export interface HostileSftpServer {
  port: number;
  /** What every file holds. */
  payload: Buffer;
  /** A client key (any key is accepted) and a known_hosts file that trusts this server. */
  clientKey: string;
  knownHosts: string;
  stop(): Promise<void>;
}

const { STATUS_CODE } = utils.sftp;
const MODE = { file: 0o100644, dir: 0o040755, symlink: 0o120777, char: 0o020666, fifo: 0o010644 } as const;

function attrsOf(node: FakeNode, payload: Buffer): Attributes {
  const now = Math.floor(Date.now() / 1000);
  return { mode: MODE[node.kind], uid: 0, gid: 0, size: node.kind === 'file' ? payload.length : 0, atime: now, mtime: now };
}

/** Serves `tree` at `root`. Paths are looked up as the client spells them, or normalised: a crafted name
 *  resolves to its own entry either way. */
export async function startHostileSftpServer(root: string, tree: FakeNode, payload = Buffer.from('{"r": 8}\n')): Promise<HostileSftpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-hostile-'));
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  for (const key of [hostKey, clientKey]) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const nodes = new Map<string, FakeNode>();
  const index = (path: string, node: FakeNode) => {
    nodes.set(path, node);
    // A client that normalises `/a/../../x` to `/x` gets the same entry: the liar answers whatever it is asked.
    if (!nodes.has(posix.normalize(path))) nodes.set(posix.normalize(path), node);
    if (node.kind === 'dir') for (const [name, child] of node.entries) index(`${path}/${name}`, child);
  };
  index(root, tree);
  const sha = createHash('sha256').update(payload).digest('hex');

  const server = new Server({ hostKeys: [readFileSync(hostKey)] }, (client) => {
    client.on('authentication', (ctx) => ctx.accept());
    client.on('error', () => undefined);
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept) => {
          const channel = accept();
          channel.write(`${sha}\n`);
          channel.exit(0);
          channel.end();
        });
        session.on('sftp', (accept) => {
          const sftp = accept();
          const handles = new Map<string, { path: string; listed: boolean }>();
          let next = 0;
          const open = (path: string) => {
            const handle = Buffer.from(String(next++));
            handles.set(handle.toString(), { path, listed: false });
            return handle;
          };
          const stat = (reqid: number, path: string) => {
            const node = nodes.get(path);
            if (node) sftp.attrs(reqid, attrsOf(node, payload));
            else sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
          };
          sftp.on('REALPATH', (reqid, path) => sftp.name(reqid, [{ filename: path, longname: path, attrs: {} as Attributes }]));
          sftp.on('STAT', stat);
          sftp.on('LSTAT', stat);
          sftp.on('FSTAT', (reqid, handle) => stat(reqid, handles.get(handle.toString())?.path ?? ''));
          sftp.on('OPENDIR', (reqid, path) => {
            if (nodes.get(path)?.kind === 'dir') sftp.handle(reqid, open(path));
            else sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
          });
          sftp.on('READDIR', (reqid, handle) => {
            const h = handles.get(handle.toString());
            const node = h && nodes.get(h.path);
            if (!h || node?.kind !== 'dir' || h.listed) return sftp.status(reqid, STATUS_CODE.EOF);
            h.listed = true;
            sftp.name(
              reqid,
              node.entries.map(([name, child]) => ({ filename: name, longname: name, attrs: attrsOf(child, payload) })),
            );
          });
          sftp.on('OPEN', (reqid, path) => {
            if (nodes.get(path)?.kind === 'file') sftp.handle(reqid, open(path));
            else sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
          });
          sftp.on('READ', (reqid, handle, offset, length) => {
            if (!handles.has(handle.toString()) || offset >= payload.length) return sftp.status(reqid, STATUS_CODE.EOF);
            sftp.data(reqid, payload.subarray(offset, offset + length));
          });
          sftp.on('CLOSE', (reqid, handle) => {
            handles.delete(handle.toString());
            sftp.status(reqid, STATUS_CODE.OK);
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${type} ${key}\n`);
  return {
    port,
    payload,
    clientKey,
    knownHosts,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
