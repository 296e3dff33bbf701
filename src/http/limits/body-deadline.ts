import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { clientErrorHandler } from './connection-guard.ts';

/**
 * The longest any route lets its body take (the inventory sync's 50 MiB: 120 s). Node's own request
 * timer (`requestTimeout`) is one setting for the whole server, so it is set to this, and `BodyDeadlines`
 * holds every other route to its own, shorter, budget (BODY_TIMEOUT_MS unless the route says otherwise).
 */
export const LONGEST_BODY_TIMEOUT_MS = 120_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How long this route's request body may take to arrive, ms (at most LONGEST_BODY_TIMEOUT_MS). Default BODY_TIMEOUT_MS. */
    bodyTimeoutMs?: number;
  }
}

/**
 * Per-route body deadlines: a request whose body is still arriving when its route's budget (counted from
 * when its headers were in) has run out is answered `408 REQUEST_TIMEOUT` and its connection closed, exactly
 * as Node's own timer does it (`clientErrorHandler`). Checked once a second, as Node checks its timers
 * (`connectionsCheckingInterval`), over the requests whose bodies are not complete yet; a request leaves
 * the set at the first check after its body is in. Requests without a real socket (`inject`) are not
 * tracked: no timer applies to them either.
 */
export class BodyDeadlines {
  private readonly pending = new Map<IncomingMessage, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly checkEveryMs = 1000) {}

  /** The body of `raw` must be complete by `deadline` (epoch ms). */
  track(raw: IncomingMessage, deadline: number): void {
    // An upgrade (the live room's WebSocket) has no body: its socket is the socket's own business from here.
    if (raw.complete || raw.headers.upgrade !== undefined || !(raw.socket instanceof Socket)) return;
    this.pending.set(raw, deadline);
    if (this.timer === null) {
      this.timer = setInterval(() => this.check(Date.now()), this.checkEveryMs);
      this.timer.unref();
    }
  }

  /** Cuts every request past its deadline; forgets the complete ones. */
  check(now: number): void {
    for (const [raw, deadline] of this.pending) {
      const socket = raw.socket;
      if (raw.complete || socket.destroyed) this.pending.delete(raw);
      else if (now >= deadline) {
        this.pending.delete(raw);
        clientErrorHandler(
          Object.assign(new Error('request body timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
          socket,
        );
      }
    }
    if (this.pending.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
