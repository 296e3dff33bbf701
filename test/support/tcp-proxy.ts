import { type Server, type Socket, createConnection, createServer } from 'node:net';

/**
 * A TCP proxy a test puts between the nodes and PostgreSQL, to take the database away from them without
 * stopping the shared server: `cut()` resets every open connection and every new one, `restore()` lets
 * them through again.
 *
 * While cut, the listener stays open and each accepted connection is reset at once, rather than the
 * listener being closed: a closed listener's port could meanwhile be handed out as some other socket's
 * ephemeral port, and `restore()` could not listen on it again. To a client the effect is the same as a
 * refused connection: connecting fails at once (ECONNRESET / "Connection terminated unexpectedly").
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's (same user, database and parameters). */
  urlFor(url: string): string;
  /** Resets every open connection and, until `restore()`, every new one. */
  cut(): void;
  restore(): void;
  /** Connections accepted so far (cut or not): proves the clients really went through the proxy. */
  readonly accepted: number;
  /** Connections currently relayed. */
  readonly open: number;
  /** Resets everything and stops listening. */
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let isCut = false;
  let accepted = 0;
  const reset = (socket: Socket) => {
    // RST rather than FIN: the peer learns at once that the connection is gone, as when a host dies.
    if (!socket.destroyed) socket.resetAndDestroy();
  };
  const server: Server = createServer((client) => {
    accepted++;
    client.on('error', () => {});
    if (isCut) {
      reset(client);
      return;
    }
    client.pause();
    const upstream = createConnection({ host: target.host, port: target.port });
    upstream.on('error', () => {});
    const pair = { client, upstream };
    pairs.add(pair);
    upstream.once('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    // One side gone: a clean close is passed on as a clean close (pipe() ends the other side), a failed
    // one (reset, refused) as a reset.
    const onClose = (other: Socket) => (hadError: boolean) => {
      pairs.delete(pair);
      if (hadError) reset(other);
      else other.end();
    };
    client.once('close', onClose(upstream));
    upstream.once('close', onClose(client));
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const cutAll = () => {
    for (const { client, upstream } of [...pairs]) {
      reset(client);
      reset(upstream);
    }
    pairs.clear();
  };
  return {
    port,
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    cut() {
      isCut = true;
      cutAll();
    },
    restore() {
      isCut = false;
    },
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    async close() {
      isCut = true;
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
