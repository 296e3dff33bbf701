import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Auction } from '../domain/index.ts';
import { CatalogueIndex, type CatalogueRow, type IndexedListing } from './catalogue-index.ts';
import { startOf } from './rows.ts';
import { type AuctionFacets, NO_FILTERS, type AuctionListQuery, type AuctionFacetQuery } from './store.ts';

/**
 * What an adapter gives the catalogue index: its rows, and a feed of the rows changed since a point
 * (SQLite: `change_seq`, PostgreSQL: transaction ids; see their migrations).
 */
export interface CatalogueSource {
  /** The point of the change feed now; taken before a full load, which then catches up from it. */
  changeToken(): Promise<string>;
  /** Up to `limit` rows with a seq above `afterSeq`, in seq order. */
  rowsAfter(afterSeq: number, limit: number): Promise<CatalogueRow[]>;
  /** Every row changed since `token` (perhaps a few more), and the token to read on from. */
  changesSince(token: string): Promise<{ rows: CatalogueRow[]; token: string }>;
  /** The stored state (JSON) and version of these auctions. */
  states(seqs: readonly number[]): Promise<Map<number, { version: number; state: string }>>;
  /** The highest seq: how big a full load will be. */
  highestSeq(): Promise<number>;
}

export interface IndexedCatalogueOptions {
  /**
   * A listing that finds the index not loaded waits for the load when the store holds at most this many
   * auctions (a few hundred milliseconds); with more, it is answered by SQL until the load is done.
   */
  waitForLoadUpTo?: number;
  /** Rows per read of the full load (each read and its indexing hold the event loop; ~10 ms per 2,000). */
  loadChunk?: number;
  /** Told when a load fails (the next listing tries again after `retryAfterMs`). */
  onError?: (error: unknown) => void;
  retryAfterMs?: number;
}

export interface IndexedListingPage {
  items: Auction[];
  more: boolean;
  last: number[] | null;
}

/**
 * Keeps a CatalogueIndex in step with the store and answers listings and facets from it.
 *
 * Freshness: before each answer it reads the change feed (one indexed query, usually a few rows), and a
 * read waits for a feed read that began after it was asked, so an answer includes every change committed
 * before the request, on any node: read-your-writes, as with SQL. Concurrent requests share feed reads.
 * The page's auctions are then read by seq; if one has changed since the index saw it (a bid in between),
 * the feed is read again and the page computed again, once; after that the stored states are shown as
 * read (never a state older than the index's).
 *
 * The first listing starts the full load (in chunks, yielding to the event loop); until it ends, listings
 * are answered by the SQL path (the caller's) unless the store is small (`waitForLoadUpTo`).
 */
export class IndexedCatalogue {
  private readonly index = new CatalogueIndex();
  private loaded = false;
  private loading: Promise<void> | null = null;
  private failedAt = Number.NEGATIVE_INFINITY;
  private token = '';
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly waitForLoadUpTo: number;
  private readonly loadChunk: number;
  private readonly retryAfterMs: number;

  constructor(
    private readonly source: CatalogueSource,
    private readonly options: IndexedCatalogueOptions = {},
  ) {
    this.waitForLoadUpTo = options.waitForLoadUpTo ?? 100_000;
    this.loadChunk = options.loadChunk ?? 2_000;
    this.retryAfterMs = options.retryAfterMs ?? 30_000;
  }

  /** How many auctions the index holds, or null until it is loaded. */
  get size(): number | null {
    return this.loaded ? this.index.size : null;
  }

  /** Starts the full load in the background unless loaded or loading (a failure is reported to onError). */
  startLoading(): void {
    if (!this.loaded && this.loading === null) void this.ready(false);
  }

  /** The page of a listing, or null when the index cannot answer it now (the caller runs the SQL). */
  async list(
    query: Omit<AuctionListQuery, 'cursor'> & { after: readonly number[] | null },
  ): Promise<IndexedListingPage | null> {
    if (!CatalogueIndex.answers(query) || !(await this.ready())) return null;
    const listing: IndexedListing = {
      status: query.status,
      sellerId: query.sellerId,
      filters: query.filters ?? NO_FILTERS,
      sort: query.sort,
      limit: query.limit,
      now: query.now,
      after: query.after,
    };
    for (let attempt = 1; ; attempt++) {
      await this.fresh();
      const page = this.index.list(listing);
      const states = await this.source.states(page.seqs);
      const current = page.seqs.every((s, i) => {
        const stored = states.get(s);
        return stored !== undefined && stored.version === page.versions[i];
      });
      if (current || attempt === 2) {
        const items: Auction[] = [];
        for (const s of page.seqs) {
          const stored = states.get(s);
          if (stored === undefined) continue;
          const auction = JSON.parse(stored.state) as Auction;
          if (query.descriptionChars !== undefined)
            auction.item.description = startOf(auction.item.description, query.descriptionChars);
          items.push(auction);
        }
        return { items, more: page.more, last: page.last };
      }
    }
  }

  /** The facets of a query, or null when the index cannot answer it now. */
  async facets(query: AuctionFacetQuery): Promise<AuctionFacets | null> {
    if (!CatalogueIndex.answers(query) || !(await this.ready())) return null;
    await this.fresh();
    return this.index.facets({
      status: query.status,
      sellerId: query.sellerId,
      filters: query.filters ?? NO_FILTERS,
      now: query.now,
    });
  }

  /** Whether the index is loaded, after waiting for the load when the store is small (and `wait`). */
  private async ready(wait = true): Promise<boolean> {
    if (this.loaded) return true;
    if (this.loading === null) {
      if (Date.now() - this.failedAt < this.retryAfterMs) return false;
      this.loading = this.load().then(
        () => {
          this.loaded = true;
          this.loading = null;
        },
        (error: unknown) => {
          this.failedAt = Date.now();
          this.loading = null;
          this.options.onError?.(error);
        },
      );
    }
    const loading = this.loading;
    if (wait && loading !== null && (await this.source.highestSeq()) <= this.waitForLoadUpTo) await loading;
    return this.loaded;
  }

  private async load(): Promise<void> {
    this.token = await this.source.changeToken();
    let after = -1;
    for (;;) {
      const rows = await this.source.rowsAfter(after, this.loadChunk);
      for (const row of rows) this.index.apply(row);
      const last = rows[rows.length - 1];
      if (last === undefined || rows.length < this.loadChunk) break;
      after = last.seq;
      await yieldToLoop();
    }
    await this.catchUp();
  }

  /** Resolves after a read of the change feed that began after this call. */
  private fresh(): Promise<void> {
    if (this.running === null) return this.startCatchUp();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.startCatchUp();
      });
    return this.queued;
  }

  private startCatchUp(): Promise<void> {
    const run = this.catchUp().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async catchUp(): Promise<void> {
    const { rows, token } = await this.source.changesSince(this.token);
    for (const row of rows) this.index.apply(row);
    this.token = token;
  }
}
