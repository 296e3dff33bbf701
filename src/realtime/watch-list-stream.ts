import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Auction } from '../domain/index.ts';
import { type AuctionView, summarizeDescription } from '../domain/index.ts';
import type { StoredEvent } from '../store/index.ts';
import { type StreamEnd, shutdownRetryField } from './stream-end.ts';

/** Receives one auction's bus events, with their frame already formatted (once for every stream). */
export type WatchListListener = (event: StoredEvent, frame: string) => void;

export interface WatchListStreamOptions {
  res: ServerResponse;
  /** The auctions to watch, without duplicates. Unknown ones are skipped. */
  auctionIds: readonly string[];
  /** Subscribes to one auction's events; resolves once subscribed, with the unsubscribe function. */
  subscribe(auctionId: string, listener: WatchListListener): Promise<() => void>;
  /** The auction's latest committed state (the sequencer's), or null when there is no such auction. */
  loadAuction(auctionId: string): Promise<Auction | null>;
  /** A snapshot's data for a state (summaries: no full description), serialized once for every stream. */
  snapshotData(state: Auction, now: number): string;
  now(): number;
}

/**
 * A watch-list frame: the event's stored data under its type, with the auction's description cut to a
 * summary as in the snapshots (a list page shows cards; one event sent to a thousand lists must not carry
 * ten kilobytes of description each time), and no `id:` (see WatchListStream). Built once per event.
 */
export function watchListFrame(event: StoredEvent): string {
  const data = JSON.parse(event.data) as { auction?: AuctionView & { item: { descriptionTruncated?: boolean } } };
  const item = data.auction?.item;
  if (item) {
    const { text, truncated } = summarizeDescription(item.description);
    data.auction!.item = { ...item, description: text, descriptionTruncated: truncated };
  }
  return `event: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * One `GET /api/v1/events?auctions=…` connection: the live state of up to
 * 100 auctions at once, for list pages.
 *
 * It sends one `snapshot` per known auction, then every bus event of those
 * auctions. There is no order across auctions, so frames carry no `id:` and
 * a reconnecting client simply gets fresh snapshots. Each event's data holds
 * the whole public auction, so only the newest state of an auction matters:
 *
 * INVARIANT: per auction, versions written only grow. An event whose version
 * is not above the last one sent for its auction (already in the snapshot,
 * or redelivered late by the bus) is dropped.
 *
 * While snapshots load, and while the socket is full, the stream keeps only
 * the newest unsent event per auction (at most one per watched auction, never
 * an unbounded queue) and writes them when it can: states merge under load,
 * the latest always arrives.
 */
export class WatchListStream {
  closed = false;
  /** Highest version written, per known auction. Unknown auctions never get an entry. */
  private readonly sent = new Map<string, number>();
  /** The newest unwritten event per auction (snapshots loading, or socket full). */
  private readonly pending = new Map<string, { event: StoredEvent; frame: string }>();
  private readonly unsubscribes = new Map<string, () => void>();
  private live = false;
  private congested = false;
  /** When the socket last filled up (performance.now()), while it stays full; null when it drains. */
  congestedSince: number | null = null;

  constructor(private readonly options: WatchListStreamOptions) {
    options.res.on('drain', () => {
      this.congested = false;
      this.congestedSince = null;
      this.flush();
    });
  }

  /** Subscribes, writes the snapshots, then goes live. The caller has written the headers. */
  async start(): Promise<void> {
    const { auctionIds, subscribe, loadAuction, snapshotData, now } = this.options;
    // Subscribe before reading the states: what is published meanwhile waits in `pending`, and the
    // version check drops whatever the snapshot already contains.
    const unsubscribes = await Promise.all(
      auctionIds.map((id) => subscribe(id, (event, frame) => this.offer(event, frame))),
    );
    auctionIds.forEach((id, i) => this.unsubscribes.set(id, unsubscribes[i]!));
    if (this.closed) {
      // The client left while we subscribed: dispose() ran before these existed.
      for (const unsubscribe of unsubscribes) unsubscribe();
      this.unsubscribes.clear();
      return;
    }
    const states = await Promise.all(auctionIds.map((id) => loadAuction(id)));
    if (this.closed) return;
    const at = now();
    for (let i = 0; i < auctionIds.length; i++) {
      const id = auctionIds[i]!;
      const state = states[i];
      if (!state) {
        this.unsubscribes.get(id)?.();
        this.unsubscribes.delete(id);
        continue;
      }
      // Every snapshot is written even on a full socket: at most one per watched auction.
      const data = snapshotData(state, at);
      this.write(id, state.version, `event: snapshot\ndata: ${data}\n\n`);
    }
    this.live = true;
    this.flush();
  }

  /** Keep-alive comment, skipped while the socket is full (the connection is clearly not idle). */
  comment(text: string): void {
    if (!this.closed && !this.congested) this.options.res.write(`: ${text}\n\n`);
  }

  /** Ends the response (`shutdown`: with a reconnect hint, see stream-end.ts). */
  end(end: StreamEnd = 'ended'): void {
    if (this.closed) return;
    this.dispose();
    if (end === 'shutdown') this.options.res.write(shutdownRetryField());
    this.options.res.end();
  }

  /** Closes the connection without flushing (a client that stopped reading: its buffer would never drain). */
  drop(): void {
    if (!this.closed) this.dispose();
    this.options.res.destroy();
  }

  /** Stops listening (the client went away, or end()). */
  dispose(): void {
    this.closed = true;
    for (const unsubscribe of this.unsubscribes.values()) unsubscribe();
    this.unsubscribes.clear();
    this.pending.clear();
  }

  private offer(event: StoredEvent, frame: string): void {
    if (this.closed) return;
    const sent = this.sent.get(event.auctionId);
    if (sent !== undefined && event.version <= sent) return;
    if (!this.live || this.congested) {
      const held = this.pending.get(event.auctionId);
      if (!held || held.event.version < event.version) this.pending.set(event.auctionId, { event, frame });
      return;
    }
    if (sent === undefined) return; // not a known auction of this stream
    this.write(event.auctionId, event.version, frame);
  }

  /** Writes the held events until the socket is full again; the rest wait for the next drain. */
  private flush(): void {
    if (!this.live) return;
    for (const [auctionId, { event, frame }] of this.pending) {
      if (this.closed || this.congested) return;
      this.pending.delete(auctionId);
      const sent = this.sent.get(auctionId);
      if (sent !== undefined && event.version > sent) this.write(auctionId, event.version, frame);
    }
  }

  private write(auctionId: string, version: number, frame: string): void {
    if (this.closed) return;
    this.sent.set(auctionId, version);
    if (!this.options.res.write(frame) && !this.congested) {
      this.congested = true;
      this.congestedSince = performance.now();
    }
  }
}
