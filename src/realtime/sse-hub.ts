import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Bus } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import { auctionView } from '../domain/index.ts';
import type { Sequencer } from '../engine/index.ts';
import { toError } from '../error-catalogue.ts';
import type { Metrics } from '../metrics.ts';
import type { Store, StoredEvent } from '../store/index.ts';

export interface SseHubOptions {
  bus: Bus;
  store: Store;
  sequencer: Sequencer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Interval of keep-alive comments, ms. Default 15,000 (the contract's upper bound). */
  heartbeatMs?: number;
  /** Events read from the store per page while a client catches up. Default 500. */
  historyPageSize?: number;
}

const frame = (event: StoredEvent) => `id: ${event.version}\nevent: ${event.type}\ndata: ${event.data}\n\n`;

/**
 * One node's subscription hub for Server-Sent Events.
 *
 * Per auction there is one Bus subscription however many watchers it has;
 * each event is serialized once and written to every watcher. Every watcher
 * receives versions in strictly increasing order: a connection first catches
 * up (snapshot, or stored history after `Last-Event-ID`) while live events
 * queue, then goes live; a version gap (a lossy bus across nodes) is filled
 * from the store. A watcher whose socket is full is not queued without bound:
 * it keeps only the newest event and gets it when the socket drains (states
 * merged under load, the latest always arrives).
 */
export class SseHub {
  private readonly options: Required<
    Omit<SseHubOptions, 'bus' | 'store' | 'sequencer' | 'clock' | 'logger' | 'metrics'>
  > &
    SseHubOptions;
  private readonly watchersByAuction = new Map<string, { watchers: Set<Watcher>; unsubscribe: () => void }>();
  private readonly heartbeat: NodeJS.Timeout;
  private closing = false;

  constructor(options: SseHubOptions) {
    this.options = { heartbeatMs: 15_000, historyPageSize: 500, ...options };
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  get connectionCount(): number {
    let n = 0;
    for (const entry of this.watchersByAuction.values()) n += entry.watchers.size;
    return n;
  }

  /**
   * Takes over `res` and streams the auction's events to it until the client
   * goes away or the hub closes. The caller has checked that the auction exists.
   */
  async attach(res: ServerResponse, auctionId: string, lastEventId: number | null): Promise<void> {
    if (this.closing) {
      res.writeHead(503, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({
          type: 'https://gavel.dev/errors/service-unavailable',
          title: 'The service is not accepting this request right now',
          status: 503,
          code: 'SERVICE_UNAVAILABLE',
          detail: 'The server is shutting down',
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Ask browsers to reconnect quickly; resume makes that lossless.
    res.write('retry: 1000\n\n');

    const watcher = new Watcher(res, auctionId, this.options.store, this.options.logger, this.options.historyPageSize);
    this.register(watcher);
    this.options.metrics.sseConnections.inc();
    res.on('close', () => {
      this.unregister(watcher);
      this.options.metrics.sseConnections.dec();
    });
    try {
      await watcher.catchUp(lastEventId, async () => {
        const state = await this.options.sequencer.getAuction(auctionId);
        if (!state) return null;
        const now = this.options.clock.now();
        return { version: state.version, data: JSON.stringify({ auction: auctionView(state, now, null) }) };
      });
    } catch (error) {
      this.options.logger.warn({ err: toError(error), auctionId }, 'sse catch-up failed; closing stream');
      res.end();
    }
  }

  /** Ends every stream (graceful shutdown) and stops the heartbeat. */
  closeAll(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const entry of this.watchersByAuction.values()) {
      for (const watcher of entry.watchers) watcher.end();
    }
  }

  private register(watcher: Watcher): void {
    let entry = this.watchersByAuction.get(watcher.auctionId);
    if (!entry) {
      const watchers = new Set<Watcher>();
      const unsubscribe = this.options.bus.subscribe(watcher.auctionId, (event) => {
        const text = frame(event);
        for (const w of watchers) w.offer(event, text);
      });
      entry = { watchers, unsubscribe };
      this.watchersByAuction.set(watcher.auctionId, entry);
    }
    entry.watchers.add(watcher);
  }

  private unregister(watcher: Watcher): void {
    watcher.closed = true;
    const entry = this.watchersByAuction.get(watcher.auctionId);
    if (!entry) return;
    entry.watchers.delete(watcher);
    if (entry.watchers.size === 0) {
      entry.unsubscribe();
      this.watchersByAuction.delete(watcher.auctionId);
    }
  }

  private beat(): void {
    for (const entry of this.watchersByAuction.values()) {
      for (const watcher of entry.watchers) watcher.comment('keep-alive');
    }
  }
}

/** One SSE connection. Not exported: the hub owns the lifecycle. */
class Watcher {
  closed = false;
  /** Highest version written to the socket. */
  private lastSent = 0;
  /** While false, live events wait in `backlog` (catch-up or gap fill in progress). */
  private live = false;
  private backlog: StoredEvent[] = [];
  /** Newest event held back while the socket is full. */
  private heldBack: { event: StoredEvent; text: string } | null = null;
  private congested = false;

  constructor(
    private readonly res: ServerResponse,
    readonly auctionId: string,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly pageSize: number,
  ) {
    res.on('drain', () => this.onDrain());
  }

  async catchUp(
    lastEventId: number | null,
    snapshot: () => Promise<{ version: number; data: string } | null>,
  ): Promise<void> {
    let resumed = false;
    if (lastEventId !== null) resumed = await this.replayFrom(lastEventId);
    if (!resumed) {
      const snap = await snapshot();
      if (!snap || this.closed) return this.end();
      this.write(`id: ${snap.version}\nevent: snapshot\ndata: ${snap.data}\n\n`, snap.version);
    }
    await this.goLive();
  }

  /**
   * Sends every stored event after `after`. Returns false (caller sends a
   * snapshot) when that history is not at hand: the next stored event is not
   * `after + 1`, or `after` is ahead of anything stored.
   */
  private async replayFrom(after: number): Promise<boolean> {
    let cursor = after;
    let first = true;
    for (;;) {
      const page = await this.store.eventsAfter(this.auctionId, cursor, this.pageSize);
      if (this.closed) return true;
      if (first) {
        first = false;
        if (page.length === 0) {
          // Nothing newer is stored: fine if `after` is the current version, otherwise unknown.
          const state = await this.store.loadAuctions([this.auctionId]);
          const version = state.get(this.auctionId)?.version ?? 0;
          if (after !== version) return false;
          this.lastSent = after;
          return true;
        }
        if (page[0]!.version !== after + 1) return false;
      }
      for (const event of page) this.write(frame(event), event.version);
      if (page.length < this.pageSize) return true;
      cursor = page[page.length - 1]!.version;
      await this.waitForDrain();
    }
  }

  /** Flushes what queued during catch-up, filling any gap from the store, then delivers synchronously. */
  private async goLive(): Promise<void> {
    while (!this.closed) {
      const pending = this.backlog;
      this.backlog = [];
      pending.sort((a, b) => a.version - b.version);
      for (const event of pending) {
        if (event.version <= this.lastSent) continue;
        if (event.version > this.lastSent + 1) await this.fillGap(event.version);
        if (event.version > this.lastSent) this.write(frame(event), event.version);
      }
      if (this.backlog.length === 0) {
        this.live = true;
        return;
      }
    }
  }

  private async fillGap(upTo: number): Promise<void> {
    const missing = await this.store.eventsAfter(this.auctionId, this.lastSent, upTo - this.lastSent - 1);
    for (const event of missing)
      if (event.version > this.lastSent && event.version < upTo) this.write(frame(event), event.version);
  }

  offer(event: StoredEvent, text: string): void {
    if (this.closed || event.version <= this.lastSent) return;
    if (!this.live) {
      this.backlog.push(event);
      return;
    }
    if (this.congested) {
      this.heldBack = { event, text };
      return;
    }
    if (event.version !== this.lastSent + 1) {
      // A gap: events were lost on the way (lossy bus). Refill from the store, in order.
      this.live = false;
      this.backlog.push(event);
      this.goLive().catch((error) => {
        this.logger.warn({ err: toError(error), auctionId: this.auctionId }, 'sse gap fill failed; closing stream');
        this.end();
      });
      return;
    }
    this.write(text, event.version);
  }

  comment(text: string): void {
    if (!this.closed && !this.congested) this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  private write(text: string, version: number): void {
    if (this.closed) return;
    this.lastSent = version;
    if (!this.res.write(text)) this.congested = true;
  }

  private onDrain(): void {
    this.congested = false;
    const held = this.heldBack;
    this.heldBack = null;
    if (held && held.event.version > this.lastSent) this.write(held.text, held.event.version);
  }

  private waitForDrain(): Promise<void> {
    if (!this.congested || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
