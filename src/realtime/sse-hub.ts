import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { type Bus, type BusMessage, type Unsubscribe, auctionTopic, userTopic } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import { auctionSummaryView, auctionView } from '../domain/index.ts';
import type { Sequencer } from '../engine/index.ts';
import { toError } from '../error-catalogue.ts';
import type { Metrics } from '../metrics.ts';
import type { Store, StoredEvent, UserEvent } from '../store/index.ts';
import type { FanoutPool } from './fanout/fanout-pool.ts';
import { type FeedEvent, sseFrame } from './fanout/protocol.ts';
import { SnapshotCache } from './snapshot-cache.ts';
import { type WatchListListener, WatchListStream, watchListFrame } from './watch-list-stream.ts';

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
  /**
   * A stream whose socket stays full (the client does not read) for this long is closed, ms. Default
   * 30,000. Until then it holds only the newest state, never a growing queue; when it reconnects it
   * resumes from its Last-Event-ID.
   */
  stallTimeoutMs?: number;
  /**
   * Every this often, ms, the hub compares what it has delivered with the store and fills in what the bus
   * lost (a dropped message, a node cut off from Redis, a lost *last* event that no later gap would
   * reveal). Default 2,000.
   */
  syncMs?: number;
  /**
   * Fan-out workers (child processes) that take over auction streams' sockets, so that writing to
   * thousands of watchers never runs on the event loop that sequences bids. Without it (or for a
   * request whose socket cannot be handed over), streams are served here.
   */
  fanout?: FanoutPool;
}

/** Where a stream's events come from: the store (history) and the bus (live). */
interface Feed {
  key: string;
  /** The bus topic of its live events. */
  topic: string;
  /** A bus message as a stream event. */
  toEvent(message: BusMessage): FeedEvent;
  /** Versions grow by exactly 1 (auction streams): a jump means a lost event, refilled from history. */
  contiguous: boolean;
  /** Auction feeds name their auction, so the periodic sync can check all of them in one read. */
  auctionId?: string;
  history(after: number, limit: number): Promise<FeedEvent[]>;
  /** Whether a client that saw `after` can be caught up from history (`firstPage` = history(after, …)). */
  canResume(after: number, firstPage: FeedEvent[]): Promise<boolean>;
  /** The first frame of a stream that is not resumed (a snapshot), with its position; null: gone. */
  start(): Promise<{ version: number; text: string } | null>;
}

/**
 * Something that receives a feed's live events on this node: a stream served here (Watcher), or the
 * forwarder of a fan-out worker that serves some of the feed's streams.
 */
interface FeedListener {
  /** Highest version (or seq) it holds. */
  readonly position: number;
  offer(event: FeedEvent, text: string): void;
  /** Keep-alive comment, or the end of a stream stalled since before `stalledSince` (performance.now()). */
  beat(stalledSince: number): void;
  end(): void;
}

/**
 * One bus subscription shared by every local listener of a topic: taken when the first listener comes,
 * ended when the last one leaves. `ready` resolves once it is in place (or failed: then the periodic sync
 * alone keeps the listeners current until the bus is back).
 */
class SharedSubscription<L> {
  readonly listeners = new Set<L>();
  /** Highest version (or seq) dispatched through this subscription. */
  lastVersion = 0;
  readonly ready: Promise<void>;
  private unsubscribe: Unsubscribe | null = null;
  private ended = false;

  constructor(bus: Bus, topic: string, onMessage: (message: BusMessage) => void, logger: Logger) {
    this.ready = bus.subscribe(topic, onMessage).then(
      (unsubscribe) => {
        if (this.ended) unsubscribe();
        else this.unsubscribe = unsubscribe;
      },
      (error: unknown) => logger.warn({ err: toError(error), topic }, 'bus subscribe failed; the store sync covers it'),
    );
  }

  end(): void {
    this.ended = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

const frame = sseFrame;

/**
 * One node's subscription hub for Server-Sent Events: auction streams,
 * per-user notification streams and watch lists (many auctions on one
 * connection, watch-list-stream.ts).
 *
 * Per stream key there is one Bus subscription however many watchers it has;
 * each event is serialized once and written to every watcher. Every watcher
 * receives ids in strictly increasing order: a connection first catches up
 * (snapshot, or stored history after `Last-Event-ID`) while live events
 * queue, then goes live; a version gap on an auction stream (a lossy bus
 * across nodes) is filled from the store. A watcher whose socket is full is
 * not queued without bound: it keeps only the newest event and gets it when
 * the socket drains (states merged under load, the latest always arrives).
 */
export class SseHub {
  private readonly options: Required<
    Pick<SseHubOptions, 'heartbeatMs' | 'historyPageSize' | 'stallTimeoutMs' | 'syncMs'>
  > &
    SseHubOptions;
  /** Auction snapshots, serialized once per state for every stream that starts on it. */
  private readonly snapshots = new SnapshotCache((state, now) => auctionView(state, now, null));
  /** Watch-list snapshots: summaries (no full description), serialized once per state. */
  private readonly summaries = new SnapshotCache((state, now) => auctionSummaryView(state, now, null));
  /** Per stream key: its feed and one shared bus subscription for all its watchers. */
  private readonly feeds = new Map<string, { feed: Feed; subscription: SharedSubscription<FeedListener> }>();
  /** Watch lists by auction: one bus subscription per auction however many lists include it. */
  private readonly watchListsByAuction = new Map<string, SharedSubscription<WatchListListener>>();
  private readonly watchLists = new Set<WatchListStream>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly syncTimer: NodeJS.Timeout;
  private syncing = false;
  private closing = false;

  constructor(options: SseHubOptions) {
    this.options = {
      ...options,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      historyPageSize: options.historyPageSize ?? 500,
      stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
      syncMs: options.syncMs ?? 2_000,
    };
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.syncTimer = setInterval(() => void this.sync(), this.options.syncMs);
    this.syncTimer.unref();
  }

  get connectionCount(): number {
    let n = this.options.fanout?.streamCount ?? 0;
    for (const { subscription } of this.feeds.values())
      for (const listener of subscription.listeners) if (listener instanceof Watcher) n++;
    return n + this.watchLists.size;
  }

  /**
   * Streams one auction (the caller has checked it exists): snapshot or resume, then live events. Served by
   * a fan-out worker when there are some; `onClosed` is called once when the stream has ended.
   */
  attachAuction(
    res: ServerResponse,
    auctionId: string,
    lastEventId: number | null,
    onClosed: () => void = () => {},
  ): Promise<void> {
    const { store, sequencer, clock } = this.options;
    const snapshots = this.snapshots;
    const feed: Feed = {
      key: `auction:${auctionId}`,
      topic: auctionTopic(auctionId),
      toEvent: (message) => message as StoredEvent,
      contiguous: true,
      auctionId,
      history: (after, limit) => store.eventsAfter(auctionId, after, limit),
      async canResume(after, firstPage) {
        if (firstPage.length > 0) return firstPage[0]!.version === after + 1;
        // Nothing newer is stored: fine if `after` is the current version, otherwise unknown.
        const state = await sequencer.getAuction(auctionId);
        return state !== null && state.version === after;
      },
      async start() {
        const state = await sequencer.getAuction(auctionId);
        if (!state) return null;
        const data = snapshots.data(state, clock.now());
        return { version: state.version, text: `id: ${state.version}\nevent: snapshot\ndata: ${data}\n\n` };
      },
    };
    const { fanout, metrics } = this.options;
    if (fanout && !this.closing && fanout.canAdopt(res)) {
      metrics.sseConnections.inc();
      fanout.adopt({
        res,
        key: feed.key,
        feed,
        lastEventId,
        listen: (forwarder) => {
          const listener: FeedListener = {
            get position() {
              return forwarder.position;
            },
            offer: (event) => forwarder.offer(event),
            beat: () => {},
            end: () => {},
          };
          const ready = this.register(feed, listener);
          return { unlisten: () => this.unregister(feed.key, listener), ready };
        },
        onClosed: () => {
          metrics.sseConnections.dec();
          onClosed();
        },
      });
      return Promise.resolve();
    }
    res.once('close', onClosed);
    return this.attach(res, lastEventId, feed);
  }

  /**
   * Streams one user's notifications. A fresh connection starts with a
   * `ready` event whose id is the latest notification seq, so a reconnect
   * with `Last-Event-ID` resumes from there and loses nothing.
   */
  attachUser(res: ServerResponse, userId: string, lastEventId: number | null): Promise<void> {
    const { store } = this.options;
    return this.attach(res, lastEventId, {
      key: `user:${userId}`,
      topic: userTopic(userId),
      toEvent: (message) => {
        const e = message as UserEvent;
        return { version: e.seq, type: e.type, data: e.data };
      },
      contiguous: false,
      history: async (after, limit) =>
        (await store.userEventsAfter(userId, after, limit)).map((e) => ({
          version: e.seq,
          type: e.type,
          data: e.data,
        })),
      canResume: async (after) => after <= (await store.lastUserEventSeq()),
      async start() {
        const seq = await store.lastUserEventSeq();
        return { version: seq, text: `id: ${seq}\nevent: ready\ndata: {}\n\n` };
      },
    });
  }

  /**
   * Streams the live state of several auctions (list pages): a snapshot per
   * known auction, then their events, merged per auction under load. The ids
   * are distinct; unknown ones are skipped.
   */
  async attachWatchList(res: ServerResponse, auctionIds: readonly string[]): Promise<void> {
    if (!this.open(res)) return;
    const { sequencer, clock, logger, metrics } = this.options;
    const stream = new WatchListStream({
      res,
      auctionIds,
      subscribe: (auctionId, listener) => this.subscribeWatchList(auctionId, listener),
      loadAuction: (auctionId) => sequencer.getAuction(auctionId),
      snapshotData: (state, now) => this.summaries.data(state, now),
      now: () => clock.now(),
    });
    this.watchLists.add(stream);
    metrics.sseConnections.inc();
    res.on('close', () => {
      stream.dispose();
      this.watchLists.delete(stream);
      metrics.sseConnections.dec();
    });
    try {
      await stream.start();
    } catch (error) {
      logger.warn({ err: toError(error), stream: 'watch-list' }, 'sse watch-list start failed; closing stream');
      stream.end();
    }
  }

  /** Ends every stream (graceful shutdown: the fan-out workers' too) and stops the heartbeat. */
  async closeAll(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    clearInterval(this.syncTimer);
    for (const { subscription } of this.feeds.values()) {
      for (const watcher of subscription.listeners) watcher.end();
    }
    for (const stream of this.watchLists) stream.end();
    await this.options.fanout?.close();
  }

  /** Writes the SSE headers and `retry:`; false (answered 503) once the hub is closing. */
  private open(res: ServerResponse): boolean {
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
      return false;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Ask browsers to reconnect quickly; resume (or, for watch lists, fresh snapshots) makes that lossless.
    res.write('retry: 1000\n\n');
    return true;
  }

  private async subscribeWatchList(auctionId: string, listener: WatchListListener): Promise<() => void> {
    let subscription = this.watchListsByAuction.get(auctionId);
    if (!subscription) {
      const created: SharedSubscription<WatchListListener> = new SharedSubscription(
        this.options.bus,
        auctionTopic(auctionId),
        (message) => this.dispatchWatchList(created, message as StoredEvent),
        this.options.logger,
      );
      subscription = created;
      this.watchListsByAuction.set(auctionId, subscription);
    }
    const shared = subscription;
    shared.listeners.add(listener);
    await shared.ready;
    return () => {
      shared.listeners.delete(listener);
      if (shared.listeners.size === 0 && this.watchListsByAuction.get(auctionId) === shared) {
        shared.end();
        this.watchListsByAuction.delete(auctionId);
      }
    };
  }

  /** One event to every watch list that includes its auction, formatted once for all of them. */
  private dispatchWatchList(subscription: SharedSubscription<WatchListListener>, event: StoredEvent): void {
    if (event.version > subscription.lastVersion) subscription.lastVersion = event.version;
    const text = watchListFrame(event);
    for (const listener of subscription.listeners) listener(event, text);
  }

  private async attach(res: ServerResponse, lastEventId: number | null, feed: Feed): Promise<void> {
    if (!this.open(res)) return;
    const watcher = new Watcher(res, feed, this.options.logger, this.options.historyPageSize);
    const ready = this.register(feed, watcher);
    this.options.metrics.sseConnections.inc();
    res.on('close', () => {
      watcher.closed = true;
      this.unregister(feed.key, watcher);
      this.options.metrics.sseConnections.dec();
    });
    try {
      // Subscribed first, history next: nothing published in between is missed.
      await ready;
      await watcher.catchUp(lastEventId);
    } catch (error) {
      this.options.logger.warn({ err: toError(error), stream: feed.key }, 'sse catch-up failed; closing stream');
      watcher.end();
    }
  }

  private register(feed: Feed, listener: FeedListener): Promise<void> {
    let entry = this.feeds.get(feed.key);
    if (!entry) {
      const subscription: SharedSubscription<FeedListener> = new SharedSubscription(
        this.options.bus,
        feed.topic,
        (message) => this.dispatch(subscription, feed.toEvent(message)),
        this.options.logger,
      );
      entry = { feed, subscription };
      this.feeds.set(feed.key, entry);
    }
    entry.subscription.listeners.add(listener);
    return entry.subscription.ready;
  }

  private unregister(key: string, listener: FeedListener): void {
    const entry = this.feeds.get(key);
    if (!entry) return;
    entry.subscription.listeners.delete(listener);
    if (entry.subscription.listeners.size === 0) {
      entry.subscription.end();
      this.feeds.delete(key);
    }
  }

  /** One event to every listener of its stream, serialized once for all of them. */
  private dispatch(subscription: SharedSubscription<FeedListener>, event: FeedEvent): void {
    if (event.version > subscription.lastVersion) subscription.lastVersion = event.version;
    const text = frame(event);
    for (const watcher of subscription.listeners) watcher.offer(event, text);
  }

  /**
   * Fills in what the bus lost: one read of the committed versions of every watched auction, then the
   * missing events of those that moved past what was delivered; each user stream reads its notifications
   * after the last one delivered. Delivery is idempotent (watchers drop what they already have), so a
   * message that arrives both ways is sent once.
   */
  private async sync(): Promise<void> {
    if (this.syncing || this.closing) return;
    this.syncing = true;
    const { store, logger, historyPageSize } = this.options;
    try {
      const ids = new Set<string>(this.watchListsByAuction.keys());
      for (const { feed } of this.feeds.values()) if (feed.auctionId) ids.add(feed.auctionId);
      const versions = ids.size > 0 ? await store.auctionVersions([...ids]) : new Map<string, number>();
      for (const { feed, subscription } of [...this.feeds.values()]) {
        let known = subscription.lastVersion;
        for (const watcher of subscription.listeners) known = Math.max(known, watcher.position);
        if (feed.auctionId !== undefined && (versions.get(feed.auctionId) ?? 0) <= known) continue;
        for (const event of await feed.history(known, historyPageSize)) this.dispatch(subscription, event);
      }
      for (const [auctionId, subscription] of [...this.watchListsByAuction]) {
        const stored = versions.get(auctionId) ?? 0;
        if (stored <= subscription.lastVersion) continue;
        // A watch list only ever needs an auction's newest state.
        const [latest] = await store.eventsAfter(auctionId, stored - 1, 1);
        if (latest) this.dispatchWatchList(subscription, latest);
      }
    } catch (error) {
      logger.warn({ err: toError(error) }, 'stream sync with the store failed; retrying at the next round');
    } finally {
      this.syncing = false;
    }
  }

  /** Keep-alive comments, and the end of streams whose client stopped reading long ago. */
  private beat(): void {
    const stalledSince = performance.now() - this.options.stallTimeoutMs;
    for (const { subscription } of this.feeds.values()) {
      for (const listener of subscription.listeners) listener.beat(stalledSince);
    }
    for (const stream of this.watchLists) {
      if (stream.congestedSince !== null && stream.congestedSince < stalledSince) stream.drop();
      else stream.comment('keep-alive');
    }
  }
}

/** One SSE connection served on this node. Not exported: the hub owns the lifecycle. */
class Watcher implements FeedListener {
  closed = false;
  /** Highest id written to the socket. */
  private lastSent = 0;

  /** Where this stream stands (the highest id it has sent). */
  get position(): number {
    return this.lastSent;
  }
  /** While false, live events wait in `backlog` (catch-up or gap fill in progress). */
  private live = false;
  private backlog: FeedEvent[] = [];
  /** Newest event held back while the socket is full. */
  private heldBack: { event: FeedEvent; text: string } | null = null;
  private congested = false;
  /** When the socket last filled up (performance.now()), while it stays full; null when it drains. */
  congestedSince: number | null = null;

  constructor(
    private readonly res: ServerResponse,
    readonly feed: Feed,
    private readonly logger: Logger,
    private readonly pageSize: number,
  ) {
    res.on('drain', () => this.onDrain());
  }

  async catchUp(lastEventId: number | null): Promise<void> {
    let resumed = false;
    if (lastEventId !== null) resumed = await this.replayFrom(lastEventId);
    if (!resumed) {
      const start = await this.feed.start();
      if (!start || this.closed) return this.end();
      this.write(start.text, start.version);
    }
    await this.goLive();
  }

  /** Sends every stored event after `after`; false (the caller starts afresh) when that history is not at hand. */
  private async replayFrom(after: number): Promise<boolean> {
    let cursor = after;
    let first = true;
    for (;;) {
      const page = await this.feed.history(cursor, this.pageSize);
      if (this.closed) return true;
      if (first) {
        first = false;
        if (!(await this.feed.canResume(after, page))) return false;
        this.lastSent = after;
      }
      for (const event of page) this.write(frame(event), event.version);
      if (page.length < this.pageSize) return true;
      cursor = page[page.length - 1]!.version;
      await this.waitForDrain();
    }
  }

  /** Flushes what queued during catch-up (filling any gap from the store), then delivers synchronously. */
  private async goLive(): Promise<void> {
    while (!this.closed) {
      const pending = this.backlog;
      this.backlog = [];
      pending.sort((a, b) => a.version - b.version);
      for (const event of pending) {
        if (event.version <= this.lastSent) continue;
        if (this.feed.contiguous && event.version > this.lastSent + 1) await this.fillGap(event.version);
        if (event.version > this.lastSent) this.write(frame(event), event.version);
      }
      if (this.backlog.length === 0) {
        this.live = true;
        return;
      }
    }
  }

  private async fillGap(upTo: number): Promise<void> {
    const missing = await this.feed.history(this.lastSent, upTo - this.lastSent - 1);
    for (const event of missing)
      if (event.version > this.lastSent && event.version < upTo) this.write(frame(event), event.version);
  }

  offer(event: FeedEvent, text: string): void {
    if (this.closed || event.version <= this.lastSent) return;
    if (!this.live) {
      this.backlog.push(event);
      return;
    }
    if (this.congested) {
      this.heldBack = { event, text };
      return;
    }
    if (this.feed.contiguous && event.version !== this.lastSent + 1) {
      // A gap: events were lost on the way (lossy bus). Refill from the store, in order.
      this.live = false;
      this.backlog.push(event);
      this.goLive().catch((error) => {
        this.logger.warn({ err: toError(error), stream: this.feed.key }, 'sse gap fill failed; closing stream');
        this.end();
      });
      return;
    }
    this.write(text, event.version);
  }

  comment(text: string): void {
    if (!this.closed && !this.congested) this.res.write(`: ${text}\n\n`);
  }

  beat(stalledSince: number): void {
    if (this.congestedSince !== null && this.congestedSince < stalledSince) this.drop();
    else this.comment('keep-alive');
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }

  /**
   * Closes the connection without flushing: for a client that stopped reading, whose full buffer would
   * otherwise keep the socket (and its memory) until the kernel gives up.
   */
  drop(): void {
    this.closed = true;
    this.res.destroy();
  }

  private write(text: string, version: number): void {
    if (this.closed) return;
    this.lastSent = version;
    if (!this.res.write(text) && !this.congested) {
      this.congested = true;
      this.congestedSince = performance.now();
    }
  }

  private onDrain(): void {
    this.congested = false;
    this.congestedSince = null;
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
