// One reused SSH connection per host: opened on first use (through jump hosts when configured), kept alive,
// and re-opened with backoff after a drop. Host keys are checked before authenticating; operations that were
// in flight when the link dropped fail with a clear error (callers retry the idempotent ones). Every command
// goes through one place (openChannel) that runs it under /bin/sh, whatever the login shell is.
import { Socket, connect as netConnect } from 'node:net';
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import type { Duplex } from 'node:stream';
import { viaPosixShell } from '../core/hosts/posixShell';
import { SshError, connectError, lostError, where } from './sshErrors';
import { preferredHostKeyAlgorithms, verifyServerKey, type VerifyHostKey } from './sshHostKeys';
import { authMethods } from './sshKeys';
import type { SshTarget } from './sshTarget';

export interface ExecOutcome {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

const BACKOFF_MS = [0, 250, 500, 1000, 2000, 4000];
/** OpenSSH allows 10 sessions per connection by default; stay below it with short commands. */
const MAX_SHORT_CHANNELS = 6;

export class SshConnection {
  private client: Client | null = null;
  private jumpClients: Client[] = [];
  private connecting: Promise<Client> | null = null;
  private sftpSession: Promise<SFTPWrapper> | null = null;
  private generation = 0;
  /** Aborted when the current connection drops: long streams (uploads) end then instead of waiting forever. */
  private drops = new AbortController();
  /** Backoff is for getting back a link that worked; a first connection that fails is reported at once. */
  private everConnected = false;
  private disposed = false;
  private activeShort = 0;
  private waitingShort: (() => void)[] = [];

  constructor(
    readonly target: SshTarget,
    private readonly verifyHostKey: VerifyHostKey,
  ) {}

  /** Opens the connection now (host key and credentials checked) unless it is open. */
  async connect(): Promise<void> {
    await this.connected();
  }

  /** A connected client, connecting (with retries and backoff) when there is none. Private: commands must go
   *  through openChannel, never client.exec. */
  private async connected(): Promise<Client> {
    if (this.disposed) throw new SshError(`The connection to ${where(this.target)} was closed.`, 'lost', false);
    if (this.client) return this.client;
    if (!this.connecting) {
      this.connecting = this.connectWithBackoff().finally(() => (this.connecting = null));
    }
    return this.connecting;
  }

  /** A signal that aborts when the connection open now drops (already aborted when none is open). */
  dropSignal(): AbortSignal {
    return this.client ? this.drops.signal : AbortSignal.abort();
  }

  /** Connections opened so far (the first, then one per reconnect after a drop). */
  get connections(): number {
    return this.generation;
  }

  /** True once dispose() was called: nothing will reconnect. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private async connectWithBackoff(): Promise<Client> {
    let last: SshError | null = null;
    for (const delay of BACKOFF_MS) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (this.disposed) break;
      try {
        return await this.connectOnce();
      } catch (error) {
        last = connectError(this.target, error as Error);
        if (!last.retryable || !this.everConnected) throw last;
      }
    }
    throw last ?? new SshError(`The connection to ${where(this.target)} was closed.`, 'lost', false);
  }

  private async connectOnce(): Promise<Client> {
    const hops = [...this.target.jumps, this.target];
    const opened: Client[] = [];
    try {
      let sock: Duplex | undefined;
      for (const hop of hops) {
        if (!sock) sock = await tcpConnect(hop);
        const client = await this.handshake(hop, sock);
        opened.push(client);
        const next = hops[opened.length];
        if (next) sock = await forward(client, next);
      }
    } catch (error) {
      for (const c of opened) c.end();
      throw error;
    }
    const client = opened[opened.length - 1];
    this.jumpClients = opened.slice(0, -1);
    this.client = client;
    this.everConnected = true;
    this.sftpSession = null;
    const generation = ++this.generation;
    const drops = (this.drops = new AbortController());
    const dropped = () => {
      drops.abort();
      if (this.generation !== generation || this.client !== client) return;
      this.client = null;
      this.sftpSession = null;
      for (const c of this.jumpClients) c.end();
      this.jumpClients = [];
    };
    client.on('close', dropped);
    client.on('error', dropped);
    return client;
  }

  /** SSH handshake on an open socket; our own timer bounds it, paused while the user decides on a host key. */
  private handshake(hop: SshTarget, sock: Duplex): Promise<Client> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      let refusal: SshError | null = null;
      let timer: NodeJS.Timeout | null = null;
      const arm = () => {
        timer = setTimeout(
          () => fail(new SshError(`Timed out after ${hop.connectTimeoutMs / 1000} s waiting for the SSH handshake with ${where(hop)}.`, 'timeout', true)),
          hop.connectTimeoutMs,
        );
      };
      const disarm = () => timer && clearTimeout(timer);
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        disarm();
        client.end();
        sock.destroy();
        reject(refusal ?? error);
      };
      arm();
      client.once('ready', () => {
        settled = true;
        disarm();
        client.removeAllListeners('error');
        client.on('error', () => undefined); // later errors arrive through 'close'
        resolve(client);
      });
      client.once('error', (e) => fail(e));
      client.once('close', () => fail(lostError(hop, 'the handshake')));
      let auth;
      try {
        auth = authMethods(hop);
      } catch (error) {
        fail(error as Error);
        return;
      }
      const config: ConnectConfig = {
        sock: sock as ConnectConfig['sock'],
        username: hop.user,
        authHandler: auth,
        readyTimeout: 24 * 3600 * 1000, // bounded by our own timer instead
        keepaliveInterval: hop.keepaliveMs,
        keepaliveCountMax: 3,
        algorithms: { serverHostKey: preferredHostKeyAlgorithms(hop.knownHostsFiles, hop.host, hop.port) as never },
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          disarm(); // a person may be reading the fingerprint
          verifyServerKey(key, hop, this.verifyHostKey).then(
            () => {
              arm();
              verify(true);
            },
            (error: SshError) => {
              refusal = error;
              verify(false);
            },
          );
        },
      };
      client.connect(config);
    });
  }

  /** Runs a POSIX sh script; resolves with its exit code and output. Rejects with a 'lost' SshError on a drop. */
  async exec(script: string, options: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecOutcome> {
    await this.acquireShort();
    try {
      const channel = await this.openChannel(script);
      return await collect(channel, this.target, script, options);
    } finally {
      this.releaseShort();
    }
  }

  /** Opens a long-lived exec channel running a POSIX sh script (followers); the caller reads and closes it. */
  async openExec(script: string): Promise<ClientChannel> {
    return this.openChannel(script);
  }

  /** The one place a command reaches the server: wrapped so /bin/sh runs it, not the login shell. */
  private async openChannel(script: string): Promise<ClientChannel> {
    const command = viaPosixShell(script);
    const client = await this.connected();
    return new Promise((resolve, reject) => {
      try {
        client.exec(command, (err, channel) => (err ? reject(channelError(this.target, err)) : resolve(channel)));
      } catch (error) {
        // ssh2 throws synchronously when the socket is already gone.
        reject(lostError(this.target, 'opening a channel'));
        void error;
      }
    });
  }

  /** The SFTP session of the current connection (one per connection, shared). */
  async sftp(): Promise<SFTPWrapper> {
    const client = await this.connected();
    if (!this.sftpSession) {
      const session = new Promise<SFTPWrapper>((resolve, reject) => {
        try {
          client.sftp((err, sftp) => {
            if (err) return reject(channelError(this.target, err));
            sftp.on('close', () => {
              if (this.sftpSession === session) this.sftpSession = null;
            });
            resolve(sftp);
          });
        } catch {
          reject(lostError(this.target, 'opening SFTP'));
        }
      });
      this.sftpSession = session;
      session.catch(() => {
        if (this.sftpSession === session) this.sftpSession = null;
      });
    }
    return this.sftpSession;
  }

  /** Drops the current connection as if the network had failed (used after an operation timed out). */
  reset(): void {
    this.client?.end();
  }

  private async acquireShort(): Promise<void> {
    if (this.activeShort < MAX_SHORT_CHANNELS) {
      this.activeShort++;
      return;
    }
    await new Promise<void>((resolve) => this.waitingShort.push(resolve));
  }

  private releaseShort(): void {
    const next = this.waitingShort.shift();
    if (next) next();
    else this.activeShort--;
  }

  dispose(): void {
    this.disposed = true;
    this.client?.end();
    for (const c of this.jumpClients) c.end();
    this.client = null;
    this.jumpClients = [];
  }
}

function channelError(t: SshTarget, err: Error): SshError {
  if (/No response from server|Not connected|closed/i.test(err.message)) return lostError(t, 'opening a channel');
  return new SshError(`The SSH server ${where(t)} refused a channel: ${err.message}`, 'lost', true);
}

function tcpConnect(t: SshTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: t.host, port: t.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new SshError(
          `Timed out after ${t.connectTimeoutMs / 1000} s connecting to ${where(t)}. Is the host up and reachable (VPN, firewall)?`,
          'timeout',
          true,
        ),
      );
    }, t.connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(connectError(t, error));
    });
  });
}

function forward(via: Client, to: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, to.host, to.port, (err, stream) =>
      err ? reject(new SshError(`The jump host could not reach ${where(to)}: ${err.message}`, 'unreachable', true)) : resolve(stream),
    );
  });
}

function collect(channel: ClientChannel, t: SshTarget, command: string, options: { input?: string | Buffer; timeoutMs?: number }): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let code: number | null = null;
    let signal: string | null = null;
    let timer: NodeJS.Timeout | null = null;
    if (options.timeoutMs) {
      timer = setTimeout(() => {
        channel.close();
        reject(new SshError(`Timed out after ${options.timeoutMs} ms on ${t.label}: ${command.slice(0, 200)}`, 'timeout', false));
      }, options.timeoutMs);
    }
    channel.on('data', (d: Buffer) => out.push(d));
    channel.stderr.on('data', (d: Buffer) => err.push(d));
    channel.on('exit', (c: number | null, s?: string) => {
      code = c;
      signal = s ?? null;
    });
    channel.on('close', () => {
      if (timer) clearTimeout(timer);
      if (code === null && signal === null) {
        reject(lostError(t, `\`${command.slice(0, 120)}\``));
        return;
      }
      // A command killed by a signal gets the shell's convention: 128 + signal number (approximated).
      resolve({ code: code ?? 128 + 15, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
    if (options.input !== undefined) channel.end(options.input);
    else channel.end();
  });
}
