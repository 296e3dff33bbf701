import { WebSocket } from 'ws';

/** A message the live room sent (loosely typed: this is the wire). */
export type RoomMessage = { type: string; [key: string]: unknown };

export interface RoomClientOptions {
  /**
   * What is kept of each message, in `messages` (default: all of it). A test holding a thousand sockets keeps
   * a summary (type and version, say): whole auctions times sockets times events would fill the test's heap.
   */
  record?: (message: RoomMessage) => RoomMessage;
}

/**
 * A real WebSocket client of the live room (the `ws` package), recording every message in order, with waits
 * on what has arrived.
 */
export class RoomClient {
  readonly messages: RoomMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters = new Set<() => void>();

  private constructor(
    readonly socket: WebSocket,
    record: (message: RoomMessage) => RoomMessage = (message) => message,
  ) {
    socket.on('message', (data) => {
      this.messages.push(record(JSON.parse(data.toString()) as RoomMessage));
      for (const wake of this.waiters) wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters) wake();
    });
  }

  /**
   * Opens a socket to `url` (`ws://…/api/v1/auctions/:id/live`). Resolves once open; rejects with the HTTP
   * status when the upgrade is refused (`error.status`).
   */
  static connect(
    url: string,
    headers: Record<string, string> = {},
    options: RoomClientOptions = {},
  ): Promise<RoomClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new RoomClient(socket, options.record);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          reject(
            Object.assign(new Error(`upgrade refused: ${response.statusCode} ${body}`), {
              status: response.statusCode,
              body,
            }),
          ),
        );
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Messages of one type, in arrival order. */
  ofType(type: string): RoomMessage[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** Waits until `predicate` holds over the messages so far; returns the first message it matched, if any. */
  waitFor(what: string, predicate: (message: RoomMessage) => boolean, timeoutMs = 10_000): Promise<RoomMessage> {
    return this.waitFrom(0, what, predicate, timeoutMs);
  }

  /** Waits for the next message matching `predicate` after the ones already received. */
  next(what: string, predicate: (message: RoomMessage) => boolean, timeoutMs = 10_000): Promise<RoomMessage> {
    return this.waitFrom(this.messages.length, what, predicate, timeoutMs);
  }

  /**
   * Waits for a message matching `predicate` from index `from` on (`messages.length` read before an action
   * whose effect may arrive before the action's own promise resolves).
   */
  since(
    from: number,
    what: string,
    predicate: (message: RoomMessage) => boolean,
    timeoutMs = 10_000,
  ): Promise<RoomMessage> {
    return this.waitFrom(from, what, predicate, timeoutMs);
  }

  /**
   * The first message from index `from` on that matches. Each message is looked at once, and one timer
   * serves the whole wait: a test may hold a thousand sockets, each waiting while hundreds of messages come.
   */
  private waitFrom(
    from: number,
    what: string,
    predicate: (message: RoomMessage) => boolean,
    timeoutMs: number,
  ): Promise<RoomMessage> {
    let scanned = from;
    const scan = () => {
      for (; scanned < this.messages.length; scanned++)
        if (predicate(this.messages[scanned]!)) return this.messages[scanned];
      return undefined;
    };
    const closedError = () => new Error(`socket closed (${this.closed!.code}) while waiting for ${what}`);
    const found = scan();
    if (found) return Promise.resolve(found);
    if (this.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = () => {
        const match = scan();
        if (match) {
          done();
          resolve(match);
        } else if (this.closed) {
          done();
          reject(closedError());
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(-5)).slice(0, 2000)}`),
        );
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** The live room's URL of an auction on a listening server (`http://host:port`). */
export function roomUrl(base: string, auctionId: string, lastVersion?: number): string {
  const url = `${base.replace(/^http/, 'ws')}/api/v1/auctions/${auctionId}/live`;
  return lastVersion === undefined ? url : `${url}?lastVersion=${lastVersion}`;
}
