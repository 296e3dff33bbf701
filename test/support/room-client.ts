import { WebSocket } from 'ws';

/** A message the live room sent (loosely typed: this is the wire). */
export type RoomMessage = { type: string; [key: string]: unknown };

/**
 * A real WebSocket client of the live room (the `ws` package), recording every message in order, with waits
 * on what has arrived.
 */
export class RoomClient {
  readonly messages: RoomMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as RoomMessage);
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
  static connect(url: string, headers: Record<string, string> = {}): Promise<RoomClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new RoomClient(socket);
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
  async waitFor(what: string, predicate: (message: RoomMessage) => boolean, timeoutMs = 10_000): Promise<RoomMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(-5)).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Waits for the next message matching `predicate` after the ones already received. */
  next(what: string, predicate: (message: RoomMessage) => boolean, timeoutMs = 10_000): Promise<RoomMessage> {
    const seen = this.messages.length;
    return this.waitFor(what, (m) => this.messages.indexOf(m) >= seen && predicate(m), timeoutMs);
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
