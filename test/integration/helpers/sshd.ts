// A real OpenSSH server for tests: Debian's /usr/sbin/sshd on a free loopback port, with its own config, host
// key and an authorized client key, all in a temp dir, running as the current user. Also writes a client-side
// ssh config (alias -> port, user, key) and an empty known_hosts, like a user's ~/.ssh would hold.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { basename, join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
export const sshdAvailable = existsSync(SSHD);

export interface TestSshd {
  dir: string;
  port: number;
  user: string;
  /** The authorized private key. */
  clientKey: string;
  /** A key the server does not accept. */
  wrongKey: string;
  hostKeyPub: string;
  /** Client ssh config with `Host brightrun-test` pointing here. */
  sshConfig: string;
  alias: string;
  knownHosts: string;
  /** The listener's pid (per-connection children are its descendants). */
  pid(): number;
  /** sshd's per-connection processes serving our sessions (the listener's children). */
  sessionPids(): number[];
  /** Kills the server side of every open SSH session (the listener keeps accepting new ones). */
  killSessions(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Replaces the host key (to simulate a reinstalled or impersonated server); restarts sshd. */
  rotateHostKey(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function keygen(file: string, comment: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not start listening on ${port}:\n${log()}`);
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** @param extraConfig more sshd_config lines (e.g. `SetEnv SLURM_CONF=...` for a login node) */
export async function startSshd(extraConfig: readonly string[] = []): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-sshd-'));
  const port = await freePort();
  const user = userInfo().username;
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  const wrongKey = join(dir, 'wrong_ed25519');
  keygen(hostKey, 'test-host');
  keygen(clientKey, 'test-client');
  keygen(wrongKey, 'wrong-client');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      // Many short sessions from tests; the default MaxStartups would drop some.
      'MaxStartups 100',
      'MaxSessions 100',
      ...extraConfig,
    ].join('\n') + '\n',
  );
  const alias = 'brightrun-test';
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(sshConfig, `Host ${alias}\n  HostName 127.0.0.1\n  Port ${port}\n  User ${user}\n  IdentityFile ${clientKey}\n  IdentitiesOnly yes\n`);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');

  // As root, sshd insists on its privilege-separation directory (created by the package's service on boot).
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let child: ChildProcess | null = null;
  let stderr = '';
  const start = async () => {
    stderr = '';
    child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitForPort(port, child, () => stderr);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    // Session processes are separate children; end them too so a stopped server really is gone.
    const sessions = childrenOf(c.pid!);
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  await start();
  const handle: TestSshd = {
    dir,
    port,
    user,
    clientKey,
    wrongKey,
    hostKeyPub: readFileSync(`${hostKey}.pub`, 'utf8'),
    sshConfig,
    alias,
    knownHosts,
    pid: () => (child as ChildProcess | null)?.pid ?? -1,
    sessionPids: () => (child ? childrenOf((child as ChildProcess).pid!) : []),
    killSessions: () => {
      const pids = handle.sessionPids();
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      return pids.length;
    },
    stop,
    start,
    rotateHostKey: async () => {
      await stop();
      keygen(hostKey, 'test-host-rotated');
      handle.hostKeyPub = readFileSync(`${hostKey}.pub`, 'utf8');
      await start();
    },
  };
  return handle;
}

/** The known_hosts line for this server, as `ssh-keyscan` would print it. */
export function knownHostsEntry(sshd: TestSshd): string {
  const [type, key] = sshd.hostKeyPub.trim().split(' ');
  return `[127.0.0.1]:${sshd.port} ${type} ${key}\n`;
}

/** Whether this process may create the system users loginShellUser needs (root, as in CI and the dev box). */
export const canAddUsers = process.getuid?.() === 0 && existsSync('/usr/sbin/useradd');

/** A system user whose login shell is `shell` (fish, tcsh, ...), who logs in to this sshd with its client
 *  key: sshd runs every command of that user through `shell -c`. Created once per machine; root only. */
export function loginShellUser(sshd: TestSshd, shell: string): string {
  const name = `brightrun-${basename(shell)}`;
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', shell, name]);
  }
  // '*': no password, but not a locked account ('!'), which sshd refuses even for key logins without PAM.
  execFileSync('usermod', ['--shell', shell, '--password', '*', name]);
  // sshd reads authorized_keys as the user who logs in.
  chmodSync(sshd.dir, 0o755);
  chmodSync(join(sshd.dir, 'authorized_keys'), 0o644);
  return name;
}
