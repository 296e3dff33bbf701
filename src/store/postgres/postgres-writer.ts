import type pg from 'pg';
import { type Auction, dueAt } from '../../domain/index.ts';
import { toCandidate } from '../rows.ts';
import {
  type BidRecord,
  type CommitBatch,
  type CommitResult,
  type IdempotencyRecord,
  IdempotencyKeyConflictError,
  type LockedReads,
  VersionConflictError,
} from '../store.ts';
import type { RetryPolicy } from './retry.ts';
import { type StatementName, sql } from './statements.ts';
import { transaction } from './transaction.ts';

/**
 * commitBatch on PostgreSQL: one READ COMMITTED transaction per batch, safe with any number of nodes
 * writing the same auctions.
 *
 * 1. Lock every auction the batch writes or judged against (`SELECT … FOR UPDATE`, in id order).
 * 2. Check every `auctions[].before` and `unchanged[].version` against the locked rows; on any mismatch
 *    roll back and throw VersionConflictError (the sequencer reloads and decides again).
 * 3. Read the stored rows of the bidders the batch's accepted bids touch (merged here, see mergeBidder),
 *    then write everything in ONE statement (`writeBatch`): bids, bidders, auctions, events, idempotency
 *    records (a key another node stored first: IdempotencyKeyConflictError, nothing written) and the user
 *    events (their seq row lock is held until commit: see migration 001). Few round trips while the row
 *    locks are held: under load each one also waits for this node's event loop.
 * 4. COMMIT (synchronous_commit=on: durable when it returns).
 *
 * Failures are retried per retry.ts while nothing can have been stored (transaction.ts): a connection lost
 * while COMMIT was in flight leaves the outcome unknown, so that one is not retried (a committed batch run
 * again would be decided twice) and surfaces as StoreUnavailableError; no caller has been answered, and
 * callers retrying with their idempotency keys find the stored answer if it did commit.
 */
export class PostgresWriter {
  /**
   * This node's batches take their row locks in the order commitBatch was called, as the SQLite writer
   * thread runs them: the sequencer decides batch n+1 on top of batch n while n is still committing
   * (pipelining), and n+1 must queue behind n's locks rather than overtake them and fail its version check.
   */
  private lockTurn: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    private readonly retry: RetryPolicy,
  ) {}

  commitBatch(batch: CommitBatch): Promise<CommitResult> {
    return this.inLockTurn((locked) =>
      transaction(this.pool, 'commitBatch', this.retry, (client) => this.write(client, batch, new Map(), locked)),
    );
  }

  /**
   * Store.transact: lock the auctions and read their states in one statement, decide on them, write, commit.
   * Nothing is decided on a state that is not committed, so this node may start its next transact while
   * one is committing (it queues behind the row locks and then reads what that one committed).
   */
  transact(
    auctionIds: readonly string[],
    decide: (locked: ReadonlyMap<string, Auction>, reads: LockedReads) => Promise<CommitBatch>,
  ): Promise<CommitResult> {
    return this.inLockTurn((locked) =>
      transaction(this.pool, 'transact', this.retry, async (client) => {
        const states = new Map<string, Auction>();
        const versions = new Map<string, number>();
        const ids = [...new Set(auctionIds)];
        if (ids.length > 0) {
          const rows = await client.query<{ auction_id: string; state: string }>({
            name: 'lockAuctionStates',
            text: sql.lockAuctionStates,
            values: [ids],
          });
          for (const row of rows.rows) {
            const state = JSON.parse(row.state) as Auction;
            states.set(row.auction_id, state);
            versions.set(row.auction_id, state.version);
          }
        }
        locked();
        const reads: LockedReads = {
          settlementCandidates: async (auctionId) =>
            (
              await client.query({ name: 'settlementCandidates', text: sql.settlementCandidates, values: [auctionId] })
            ).rows.map(toCandidate),
        };
        const batch = await decide(states, reads);
        return this.write(client, batch, versions, () => {});
      }),
    );
  }

  /**
   * Runs `work` once this node's previous commitBatch or transact has taken its row locks: `work` calls
   * `locked()` as soon as it holds them (or failed), which lets the next one go.
   */
  private async inLockTurn<T>(work: (locked: () => void) => Promise<T>): Promise<T> {
    const previous = this.lockTurn;
    let locked!: () => void;
    this.lockTurn = new Promise<void>((resolve) => (locked = resolve));
    try {
      await previous;
      return await work(locked);
    } finally {
      locked();
    }
  }

  /**
   * Writes a decided batch. `held` holds the versions of the auctions this transaction has already locked
   * (transact); any other auction the batch touches is locked here.
   */
  private async write(
    client: pg.PoolClient,
    batch: CommitBatch,
    held: ReadonlyMap<string, number>,
    locked: () => void,
  ): Promise<CommitResult> {
    const q = <R extends pg.QueryResultRow>(name: StatementName, values: unknown[]) =>
      client.query<R>({ name, text: sql[name], values });
    const unchanged = batch.unchanged ?? [];

    // 1. Lock. Every auction whose rows this batch writes is locked, not only those it changes, so that
    //    each auction's bids, bidders and events are only ever written by the holder of its row lock.
    const ids = new Set<string>();
    for (const { after } of batch.auctions) ids.add(after.id);
    for (const { auctionId } of unchanged) ids.add(auctionId);
    for (const x of [...batch.bids, ...batch.events, ...batch.idempotency]) ids.add(x.auctionId);
    const versions = new Map(held);
    const toLock = [...ids].filter((id) => !held.has(id));
    if (toLock.length > 0) {
      const rows = (await q<{ auction_id: string; version: number }>('lockAuctions', [toLock])).rows;
      for (const row of rows) versions.set(row.auction_id, row.version);
    }
    locked();

    // 2. Check, under the locks: the batch was decided from exactly these versions.
    for (const { auctionId, version } of unchanged)
      if (versions.get(auctionId) !== version) throw new VersionConflictError(auctionId);
    for (const { before, after } of batch.auctions)
      if (versions.get(after.id) !== before) throw new VersionConflictError(after.id);

    // 3. Write: the stored rows of the bidders this batch touches, then everything in one statement.
    const bidders = batch.bids.length > 0 ? await this.mergedBidders(client, batch.bids) : [];
    const written = await q<{ updated: number; keys: [string, string, string][]; seqs: (number | string)[] }>(
      'writeBatch',
      [
        ...columns(batch.bids, bidColumns, 10),
        ...columns(bidders, bidderColumns, 7),
        ...columns(batch.auctions, auctionUpdateColumns, 8),
        ...columns(batch.events, eventColumns, 5),
        ...columns(batch.idempotency, idempotencyColumns, 8),
        ...columns(batch.notifications, notificationColumns, 4),
      ],
    );
    const { updated, keys, seqs } = written.rows[0]!;
    // Cannot differ after the check above, short of the same auction twice in one batch.
    if (updated !== batch.auctions.length) throw new VersionConflictError(batch.auctions[0]?.after.id ?? '');
    if (batch.idempotency.length > 0) {
      const stored = new Set(keys.map(([bidderId, auctionId, key]) => keyOf(bidderId, auctionId, key)));
      const duplicates: { bidderId: string; auctionId: string; key: string }[] = [];
      for (const record of batch.idempotency) {
        const k = keyOf(record.bidderId, record.auctionId, record.key);
        // A key twice in one batch is stored once; its second record conflicts like another node's.
        if (!stored.delete(k)) duplicates.push(keyFields(record));
      }
      // Another request with that key committed first: write nothing (the transaction rolls back); the
      // sequencer answers that command with the stored answer and decides the others again.
      if (duplicates.length > 0) throw new IdempotencyKeyConflictError(duplicates);
    }
    // Seqs are (old last seq) + 1..n in the batch's order.
    const notificationSeqs = seqs.map(Number);
    return { notificationSeqs };
  }

  /**
   * Each touched bidder's row after this batch's accepted bids, folded in batch order onto the stored row,
   * exactly as the SQLite adapter's per-bid upsert does (see `mergeBidder`). One statement reads them and
   * one writes them back; the auctions' row locks keep them from changing in between.
   */
  private async mergedBidders(client: pg.PoolClient, bids: readonly BidRecord[]): Promise<BidderRow[]> {
    const accepted = bids.filter((b) => b.status === 'accepted');
    if (accepted.length === 0) return [];
    const merged = new Map<string, BidderRow>();
    const pairs = new Map<string, BidRecord>();
    for (const bid of accepted) pairs.set(keyOf(bid.auctionId, bid.bidderId), bid);
    const keys = [...pairs.values()];
    const stored = await client.query<StoredBidderRow>({
      name: 'findBidders',
      text: sql.findBidders,
      values: [keys.map((b) => b.auctionId), keys.map((b) => b.bidderId)],
    });
    for (const row of stored.rows)
      merged.set(keyOf(row.auction_id, row.bidder_id), {
        auctionId: row.auction_id,
        bidderId: row.bidder_id,
        maxAmount: row.max_amount,
        maxBid: row.max_bid,
        bidAt: row.bid_at,
        lastBidAt: row.last_bid_at,
        ownBestVersion: row.own_best_version,
      });
    for (const bid of accepted) {
      const k = keyOf(bid.auctionId, bid.bidderId);
      merged.set(k, mergeBidder(merged.get(k), bid));
    }
    return [...merged.values()];
  }
}

interface BidderRow {
  auctionId: string;
  bidderId: string;
  maxAmount: number;
  maxBid: number | null;
  bidAt: number;
  lastBidAt: number;
  ownBestVersion: number;
}

interface StoredBidderRow {
  auction_id: string;
  bidder_id: string;
  max_amount: number;
  max_bid: number | null;
  bid_at: number;
  last_bid_at: number;
  own_best_version: number;
}

/**
 * One accepted bid onto a bidder's row: their best visible bid (and when they reached it), their highest
 * maximum, the version at which their own best last rose, their latest activity. The same rules as the
 * SQLite adapter's `upsertBidder`, each comparing with the row as it was before this bid.
 */
export function mergeBidder(row: BidderRow | undefined, bid: BidRecord): BidderRow {
  const fresh: BidderRow = {
    auctionId: bid.auctionId,
    bidderId: bid.bidderId,
    maxAmount: bid.amount,
    maxBid: bid.maxAmount,
    bidAt: bid.createdAt,
    lastBidAt: bid.createdAt,
    ownBestVersion: bid.auctionVersion,
  };
  if (!row) return fresh;
  return {
    auctionId: row.auctionId,
    bidderId: row.bidderId,
    ownBestVersion:
      (fresh.maxBid ?? fresh.maxAmount) > (row.maxBid ?? row.maxAmount) ? fresh.ownBestVersion : row.ownBestVersion,
    bidAt: fresh.maxAmount > row.maxAmount ? fresh.bidAt : row.bidAt,
    maxAmount: Math.max(row.maxAmount, fresh.maxAmount),
    maxBid: fresh.maxBid === null ? row.maxBid : Math.max(row.maxBid ?? 0, fresh.maxBid),
    lastBidAt: fresh.lastBidAt,
  };
}

/** The auction's queryable columns, as insertAuctions and updateAuctions write them. */
export function auctionColumns(auction: Auction) {
  return {
    lifecycle: auction.lifecycle,
    endDate: auction.endDate,
    dueAt: dueAt(auction),
    listPrice: auction.currentPrice ?? auction.startingPrice,
    version: auction.version,
    state: JSON.stringify(auction),
  };
}

/** Rows to one array per column (`width` columns, also when there is no row), in the order of the statement's `unnest`. */
function columns<T>(rows: readonly T[], pick: (row: T) => unknown[], width: number): unknown[][] {
  const picked = rows.map(pick);
  return Array.from({ length: width }, (_, i) => picked.map((r) => r[i]));
}

const bidColumns = (b: BidRecord) => [
  b.auctionId,
  b.id,
  b.bidderId,
  b.amount,
  b.kind,
  b.maxAmount,
  b.status,
  b.reason,
  b.createdAt,
  b.auctionVersion,
];
const bidderColumns = (b: BidderRow) => [
  b.auctionId,
  b.bidderId,
  b.maxAmount,
  b.maxBid,
  b.bidAt,
  b.lastBidAt,
  b.ownBestVersion,
];
const auctionUpdateColumns = ({ before, after }: CommitBatch['auctions'][number]) => {
  const c = auctionColumns(after);
  return [after.id, before, c.lifecycle, c.endDate, c.dueAt, c.listPrice, c.version, c.state];
};
const eventColumns = (e: CommitBatch['events'][number]) => [e.auctionId, e.version, e.type, e.data, e.createdAt];
const idempotencyColumns = (r: IdempotencyRecord) => [
  r.bidderId,
  r.auctionId,
  r.key,
  r.requestHash,
  r.accepted,
  r.bidId,
  r.response,
  r.createdAt,
];
const notificationColumns = (n: CommitBatch['notifications'][number]) => [n.userId, n.type, n.data, n.createdAt];

const keyOf = (...parts: string[]) => parts.join('\u0000');
const keyFields = (r: IdempotencyRecord) => ({ bidderId: r.bidderId, auctionId: r.auctionId, key: r.key });
