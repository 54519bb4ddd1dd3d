// A TCP forwarder in front of the test's sshd, so a test can cut the connection the way a network does: every open
// connection dropped at once, and new ones refused for a while (the host unreachable), then accepted again.
import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones for `ms`. */
  cutFor(ms: number): void;
  /** How many times connections were cut. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let refuseUntil = 0;
  let cuts = 0;
  const server = createServer((client) => {
    if (Date.now() < refuseUntil) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    cutFor(ms: number) {
      cuts++;
      refuseUntil = Date.now() + ms;
      for (const socket of open) socket.destroy();
    },
    get cuts() {
      return cuts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
