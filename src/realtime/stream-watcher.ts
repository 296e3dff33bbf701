import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { BusMessage } from '../bus/index.ts';
import { toError } from '../error-catalogue.ts';
import { type FeedEvent, sseFrame } from './fanout/protocol.ts';
import { roomEventFrame } from './live-room/room-wire.ts';
import { type StreamEnd, shutdownRetryField } from './stream-end.ts';

/** How a stream's events are written: Server-Sent Events, or the live room's JSON messages. */
export type Framing = 'sse' | 'room';

/**
 * One event's frames, each made at most once however many streams take it: the SSE text, and the live
 * room's message as a complete WebSocket frame (`webSocketTextFrame`).
 */
export class EventFrames {
  private sseText: string | null = null;
  private roomBytes: Buffer | null = null;

  constructor(readonly event: FeedEvent) {}

  of(framing: Framing): string | Buffer {
    if (framing === 'sse') return (this.sseText ??= sseFrame(this.event));
    return (this.roomBytes ??= roomEventFrame(this.event));
  }
}

export function frameOf(framing: Framing, event: FeedEvent): string | Buffer {
  return framing === 'sse' ? sseFrame(event) : roomEventFrame(event);
}

/**
 * Room sockets written per loop turn before the event loop takes other work (bids) again. With 1,000
 * sockets, 100 halved the bids' p99 of 500 (76–107 ms against 212–261 ms, the same run conditions) for a
 * similar delivery delay; 50 cut bids a little more and delayed delivery more (docs/performance.md).
 */
const ROUND_SLICE = 100;
/** A room socket at most this many events behind gets each of them in its round; further behind, the latest. */
const ROUND_MERGE_AFTER = 32;

/**
 * The rounds of live-room deliveries on this node. A live event is queued on each room socket's watcher,
 * and the sockets are written in slices of ROUND_SLICE per loop turn, so that bids are sequenced between
 * slices however many sockets watch: the event loop that runs the bid path is never taken for the whole
 * room at once. A socket gets everything queued since its last round in one write; events that arrive
 * while a round runs join it, so the busier the auction, the more each write carries (merged to the latest
 * state past ROUND_MERGE_AFTER), and the cost stays one write per socket per round.
 */
class DeliveryRounds {
  private readonly pending = new Set<Watcher>();
  private afterFlush: (() => void)[] = [];
  private scheduled = false;

  wake(watcher: Watcher): void {
    this.pending.add(watcher);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /** Runs `task` once every socket has what was queued before it (at once when nothing is). */
  whenFlushed(task: () => void): void {
    if (this.pending.size === 0 && !this.scheduled) task();
    else this.afterFlush.push(task);
  }

  private turn(): void {
    this.scheduled = false;
    let budget = ROUND_SLICE;
    for (const watcher of this.pending) {
      this.pending.delete(watcher);
      watcher.flush();
      if (--budget <= 0) break;
    }
    if (this.pending.size > 0) {
      this.scheduled = true;
      setImmediate(() => this.turn());
      return;
    }
    const tasks = this.afterFlush;
    this.afterFlush = [];
    for (const task of tasks) task();
  }
}

export const deliveryRounds = new DeliveryRounds();

/** Where a stream's events come from: the store (history) and the bus (live). */
export interface Feed {
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
  /** Written before the replayed events of a resumed stream (the live room's `resumed`); none for SSE. */
  resumed?(): Promise<string>;
}

/**
 * Something that receives a feed's live events on this node: a stream served here (Watcher), or the
 * forwarder of a fan-out worker that serves some of the feed's streams.
 */
export interface FeedListener {
  /** Highest version (or seq) it holds. */
  readonly position: number;
  offer(event: FeedEvent, frames: EventFrames): void;
  /** Keep-alive, or the end of a stream stalled since before `stalledSince` (performance.now()). */
  beat(stalledSince: number): void;
  /** Ends the stream (`shutdown`: its client is told to reconnect elsewhere, see stream-end.ts). */
  end(end?: StreamEnd): void;
}

/**
 * The transport under a Watcher: an SSE response or a WebSocket. `write` answers false when the transport
 * is full; the watcher then holds back (newest state only) until `onDrain` fires.
 */
export interface StreamSink {
  write(frame: string | Buffer): boolean;
  /** Registers the one listener called each time a full transport has room again. */
  onDrain(listener: () => void): void;
  /** Resolves when the transport has room again, or has closed. */
  drained(): Promise<void>;
  keepAlive(): void;
  end(end: StreamEnd): void;
  /** Closes without flushing (a client that stopped reading). */
  destroy(): void;
}

/** An SSE response as a sink. */
export function sseSink(res: ServerResponse): StreamSink {
  return {
    write: (frame) => res.write(frame),
    onDrain: (listener) => void res.on('drain', listener),
    drained: () =>
      new Promise((resolve) => {
        if (!res.writableNeedDrain || res.destroyed) return resolve();
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      }),
    keepAlive: () => void res.write(': keep-alive\n\n'),
    end: (end) => {
      if (end === 'shutdown') res.write(shutdownRetryField());
      res.end();
    },
    destroy: () => void res.destroy(),
  };
}

/**
 * One stream served on this node, over any sink. Not exported from the module: the hub owns its lifecycle.
 *
 * Ids reach the client in strictly increasing order: a stream first catches up (snapshot, or stored
 * history after the client's last id) while live events queue, then goes live; a version gap on an auction
 * feed (a lossy bus across nodes) is filled from the store. A stream whose transport is full is not queued
 * without bound: it keeps only the newest event and gets it when the transport drains.
 */
export class Watcher implements FeedListener {
  closed = false;
  /** Resolves once the feed's subscription is in place (set by the hub that registers the watcher). */
  ready: Promise<void> = Promise.resolve();
  /** Highest id written. */
  private lastSent = 0;
  /** While false, live events wait in `backlog` (catch-up or gap fill in progress). */
  private live = false;
  private backlog: FeedEvent[] = [];
  /** Newest event held back while the transport is full. */
  private heldBack: { version: number; frame: string | Buffer } | null = null;
  /** Room framing: frames queued for this socket's next round (see DeliveryRounds). */
  private queued: Buffer[] = [];
  /** Room framing: the latest frame of a round that found the socket full, written when it drains. */
  private heldRound: Buffer | null = null;
  private congested = false;
  /** When the transport last filled up (performance.now()), while it stays full; null when it drains. */
  congestedSince: number | null = null;

  constructor(
    private readonly sink: StreamSink,
    readonly feed: Feed,
    private readonly logger: Logger,
    private readonly pageSize: number,
    private readonly framing: Framing = 'sse',
  ) {
    sink.onDrain(() => this.onDrain());
  }

  /** Where this stream stands (the highest id it has sent). */
  get position(): number {
    return this.lastSent;
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
        if (this.feed.resumed) {
          const preamble = await this.feed.resumed();
          if (this.closed) return true;
          this.sink.write(preamble);
        }
        this.lastSent = after;
      }
      for (const event of page) this.write(frameOf(this.framing, event), event.version);
      if (page.length < this.pageSize) return true;
      cursor = page[page.length - 1]!.version;
      if (this.congested && !this.closed) await this.sink.drained();
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
        if (event.version > this.lastSent) this.write(frameOf(this.framing, event), event.version);
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
      if (event.version > this.lastSent && event.version < upTo)
        this.write(frameOf(this.framing, event), event.version);
  }

  offer(event: FeedEvent, frames: EventFrames): void {
    if (this.closed || event.version <= this.lastSent) return;
    if (!this.live) {
      this.backlog.push(event);
      return;
    }
    if (this.congested) {
      this.heldBack = { version: event.version, frame: frames.of(this.framing) };
      return;
    }
    if (this.feed.contiguous && event.version !== this.lastSent + 1) {
      // A gap: events were lost on the way (lossy bus). Refill from the store, in order.
      this.live = false;
      this.backlog.push(event);
      this.goLive().catch((error) => {
        this.logger.warn({ err: toError(error), stream: this.feed.key }, 'stream gap fill failed; closing stream');
        this.end();
      });
      return;
    }
    if (this.framing === 'room') {
      // Written by the next round, with whatever else arrives before it (see DeliveryRounds).
      this.lastSent = event.version;
      this.queued.push(frames.of('room') as Buffer);
      if (this.queued.length > ROUND_MERGE_AFTER) this.queued = [this.queued[this.queued.length - 1]!];
      deliveryRounds.wake(this);
      return;
    }
    this.write(frames.of(this.framing), event.version);
  }

  /** Room framing: writes what was queued since the last round, in one write (held back while full). */
  flush(): void {
    const queued = this.queued;
    if (queued.length === 0) return;
    this.queued = [];
    if (this.closed) return;
    const bytes = queued.length === 1 ? queued[0]! : Buffer.concat(queued);
    if (this.congested) {
      // The latest state only, once the socket drains (the merge of a socket that cannot keep up).
      this.heldRound = queued[queued.length - 1]!;
      return;
    }
    this.write(bytes, this.lastSent);
  }

  beat(stalledSince: number): void {
    if (this.congestedSince !== null && this.congestedSince < stalledSince) this.drop();
    else if (!this.closed && !this.congested) this.sink.keepAlive();
  }

  end(end: StreamEnd = 'ended'): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.end(end);
  }

  /**
   * Closes the connection without flushing: for a client that stopped reading, whose full buffer would
   * otherwise keep the socket (and its memory) until the kernel gives up.
   */
  drop(): void {
    this.closed = true;
    this.sink.destroy();
  }

  private write(frame: string | Buffer, version: number): void {
    if (this.closed) return;
    this.lastSent = version;
    if (!this.sink.write(frame) && !this.congested) {
      this.congested = true;
      this.congestedSince = performance.now();
    }
  }

  private onDrain(): void {
    this.congested = false;
    this.congestedSince = null;
    const held = this.heldBack;
    this.heldBack = null;
    const heldRound = this.heldRound;
    this.heldRound = null;
    // A newer event held back supersedes the round's (its version was counted when it was queued).
    if (held && held.version > this.lastSent) this.write(held.frame, held.version);
    else if (heldRound) this.write(heldRound, this.lastSent);
  }
}
