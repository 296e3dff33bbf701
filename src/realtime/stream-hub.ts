import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { type Bus, type BusMessage, type Unsubscribe, auctionTopic, userTopic } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import { type Auction, auctionSummaryView, auctionView } from '../domain/index.ts';
import type { Sequencer } from '../engine/index.ts';
import { toError } from '../error-catalogue.ts';
import type { Metrics } from '../metrics.ts';
import type { Store, StoredEvent, UserEvent } from '../store/index.ts';
import type { EventForwarder, FanoutPool } from './fanout/fanout-pool.ts';
import type { FeedEvent, RoomStart, UpgradeRequest } from './fanout/protocol.ts';
import {
  EventFrames,
  type Feed,
  type FeedListener,
  type Framing,
  type StreamSink,
  Watcher,
  sseSink,
} from './stream-watcher.ts';
import { SnapshotCache } from './snapshot-cache.ts';
import { type WatchListListener, WatchListStream, watchListFrame } from './watch-list-stream.ts';

/** A live room's sockets in the fan-out workers: their own key, as their frames differ from SSE's. */
const roomStreamKey = (auctionId: string) => `room:${auctionId}`;

export interface StreamHubOptions {
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
export class StreamHub {
  private readonly options: Required<
    Pick<StreamHubOptions, 'heartbeatMs' | 'historyPageSize' | 'stallTimeoutMs' | 'syncMs'>
  > &
    StreamHubOptions;
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

  constructor(options: StreamHubOptions) {
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
    const snapshots = this.snapshots;
    const { clock } = this.options;
    const feed = this.auctionFeed(auctionId, {
      snapshot: (state) => {
        const data = snapshots.data(state, clock.now());
        return `id: ${state.version}\nevent: snapshot\ndata: ${data}\n\n`;
      },
    });
    const { fanout, metrics } = this.options;
    if (fanout && !this.closing && fanout.canAdopt(res.socket, res.req.httpVersion)) {
      metrics.sseConnections.inc();
      fanout.adopt({
        socket: res.socket,
        kind: 'sse',
        key: feed.key,
        feed: { start: feed.start, history: feed.history, canResume: feed.canResume },
        lastEventId,
        listen: (forwarder) => this.forward(feed, forwarder),
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
   * Streams one auction to a live-room socket: the same feed, shared subscription, version order, merging
   * and resume as its SSE streams, in the room's JSON messages. `frames` gives the room's first message
   * (`snapshot` with chat and participants, or `resumed` before replayed events). Returns the stream's end,
   * to call when the socket closes.
   */
  attachRoom(
    sink: StreamSink,
    auctionId: string,
    lastVersion: number | null,
    frames: { snapshot(state: Auction): Promise<string>; resumed(): Promise<string> },
  ): () => void {
    const { watcher, detach } = this.watch(sink, this.auctionFeed(auctionId, frames), 'room');
    void this.catchUp(watcher, lastVersion);
    return detach;
  }

  /** Whether a live-room socket (its upgrade request's) can be served by a fan-out worker. */
  canAdoptRoom(socket: unknown, httpVersion: string): socket is Socket {
    return !this.closing && this.options.fanout?.canAdopt(socket, httpVersion) === true;
  }

  /**
   * Hands a live-room socket, before its handshake, to a fan-out worker (the caller checked
   * `canAdoptRoom`): the worker completes the upgrade and writes the first message (`first`), the
   * auction's events (the same shared subscription as every stream of the auction) and the room's
   * messages. Returns the socket's number, for `sendRoom`.
   */
  adoptRoom(request: {
    socket: Socket;
    upgrade: UpgradeRequest;
    auctionId: string;
    lastVersion: number | null;
    first: { snapshot(state: Auction): Promise<RoomStart>; resumed(): Promise<RoomStart> };
    onFrame(text: string | null): void;
    onStarted(): void;
    onClosed(): void;
  }): number {
    const { auctionId, first } = request;
    const { sequencer } = this.options;
    const feed = this.auctionFeed(auctionId, { snapshot: () => '' });
    return this.options.fanout!.adopt({
      socket: request.socket,
      kind: 'room',
      upgrade: request.upgrade,
      key: roomStreamKey(auctionId),
      feed: {
        history: feed.history,
        canResume: feed.canResume,
        async start() {
          const state = await sequencer.getAuction(auctionId);
          return state === null ? null : first.snapshot(state);
        },
        resumed: () => first.resumed(),
      },
      lastEventId: request.lastVersion,
      listen: (forwarder) => this.forward(feed, forwarder),
      onClosed: request.onClosed,
      onFrame: request.onFrame,
      onStarted: request.onStarted,
    });
  }

  /** A room message to every live-room socket of the auction served by this node's fan-out workers. */
  broadcastRoom(auctionId: string, message: string, extra: { chatId?: string; participants?: number } = {}): void {
    this.options.fanout?.broadcast(roomStreamKey(auctionId), message, extra);
  }

  /** A room message to one live-room socket served by a fan-out worker (`adoptRoom`'s number). */
  sendRoom(stream: number, message: string): void {
    this.options.fanout?.send(stream, message);
  }

  /** Registers a fan-out worker's forwarder for a feed's live events (see `AdoptRequest.listen`). */
  private forward(feed: Feed, forwarder: EventForwarder): { unlisten: () => void; ready: Promise<void> } {
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
  }

  /**
   * Calls `onEvent` with each new event of an auction, in version order of arrival (older or repeated
   * versions skipped), through the auction's shared subscription and the periodic sync: the live room's
   * standings follow the same events its sockets get. Returns the observation's end.
   */
  observeAuction(auctionId: string, onEvent: (event: FeedEvent) => void): () => void {
    const feed = this.auctionFeed(auctionId, { snapshot: () => '' });
    let position = 0;
    const listener: FeedListener = {
      get position() {
        return position;
      },
      offer: (event) => {
        if (event.version <= position) return;
        position = event.version;
        onEvent(event);
      },
      beat: () => {},
      end: () => {},
    };
    void this.register(feed, listener);
    return () => this.unregister(feed.key, listener);
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
      for (const watcher of subscription.listeners) watcher.end('shutdown');
    }
    for (const stream of this.watchLists) stream.end('shutdown');
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
    const { watcher, detach } = this.watch(sseSink(res), feed, 'sse');
    res.on('close', detach);
    await this.catchUp(watcher, lastEventId);
  }

  /** A watcher of `feed` on `sink`, registered with the feed's shared subscription; `detach` when it closes. */
  private watch(sink: StreamSink, feed: Feed, framing: Framing): { watcher: Watcher; detach: () => void } {
    const watcher = new Watcher(sink, feed, this.options.logger, this.options.historyPageSize, framing);
    watcher.ready = this.register(feed, watcher);
    // Live-room sockets are counted by the room (gavel_live_room_sockets).
    const sse = framing === 'sse';
    if (sse) this.options.metrics.sseConnections.inc();
    let detached = false;
    return {
      watcher,
      detach: () => {
        if (detached) return;
        detached = true;
        watcher.closed = true;
        this.unregister(feed.key, watcher);
        if (sse) this.options.metrics.sseConnections.dec();
      },
    };
  }

  private async catchUp(watcher: Watcher, lastEventId: number | null): Promise<void> {
    try {
      // Subscribed first, history next: nothing published in between is missed.
      await watcher.ready;
      await watcher.catchUp(lastEventId);
    } catch (error) {
      this.options.logger.warn({ err: toError(error), stream: watcher.feed.key }, 'stream catch-up failed; closing it');
      watcher.end();
    }
  }

  /**
   * An auction's feed: history from the store, live events from its bus topic. Every stream of the auction
   * (SSE here or in a fan-out worker, live-room sockets) shares one subscription; only the first frames of
   * a stream (`snapshot`, and `resumed` for the live room) depend on the transport.
   */
  private auctionFeed(
    auctionId: string,
    frames: { snapshot(state: Auction): string | Promise<string>; resumed?(): Promise<string> },
  ): Feed {
    const { store, sequencer } = this.options;
    return {
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
        return { version: state.version, text: await frames.snapshot(state) };
      },
      ...(frames.resumed ? { resumed: frames.resumed } : {}),
    };
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
    const frames = new EventFrames(event);
    for (const listener of subscription.listeners) listener.offer(event, frames);
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
