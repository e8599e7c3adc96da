import net from 'node:net';

/**
 * A TCP forwarder between the app and PostgreSQL, for outage tests: `down()` cuts every open
 * connection and refuses new ones (the database "goes away"), `up()` forwards again.
 */
export interface TcpProxy {
  port: number;
  /** The target URL rewritten to go through the proxy. */
  url(target: string): string;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = net.connect(targetPort, targetHost);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: (target) => {
      const u = new URL(target);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    down: () => {
      refusing = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    up: () => {
      refusing = false;
    },
    close: async () => {
      refusing = true;
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
