import type pg from 'pg';
import { type Auction, buyNowOffered, dueAt, endingSoonAt } from '../../domain/index.ts';
import { type AttributeRow, attributeRows, catalogueColumns } from '../catalogue-sql.ts';
import { searchDocument } from './auction-listing.ts';
import { toCandidate } from '../rows.ts';
import {
  type BidRecord,
  type CommitBatch,
  type CommitResult,
  type EndingSoonDelivery,
  type EndingSoonNotice,
  type IdempotencyRecord,
  IdempotencyKeyConflictError,
  type LockedReads,
  type UserEvent,
  type WatchInput,
  type WebhookEvent,
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

    // 3. Ending-soon moments an extension moved, and the bidders' ending_soon notices that are due (see
    //    CommitBatch.endingSoon): written with the batch's notifications, whose seq bump stays last.
    if (batch.endingSoonDue !== undefined && batch.endingSoonDue.length > 0)
      await q('upsertEndingSoonDue', [
        batch.endingSoonDue.map((d) => d.auctionId),
        batch.endingSoonDue.map((d) => d.dueAt),
      ]);
    const endingSoon = (await endingSoonPast(client, batch.endingSoon ?? [])).map((n) => ({
      userId: n.userId,
      type: 'ending_soon',
      data: n.data,
      createdAt: n.createdAt,
    }));
    const notifications = endingSoon.length > 0 ? [...batch.notifications, ...endingSoon] : batch.notifications;

    // 4. Write: the stored rows of the bidders this batch touches, then everything in one statement.
    const bidders = batch.bids.length > 0 ? await this.mergedBidders(client, batch.bids) : [];
    const written = await q<{ updated: number; keys: [string, string, string][]; seqs: (number | string)[] }>(
      'writeBatch',
      [
        ...columns(batch.bids, bidColumns, 10),
        ...columns(bidders, bidderColumns, 7),
        ...columns(batch.auctions, auctionUpdateColumns, 8),
        ...columns(batch.events, eventColumns, 5),
        ...columns(batch.idempotency, idempotencyColumns, 8),
        ...columns(notifications, notificationColumns, 4),
        ...columns(batch.auctions, auctionCountColumns, 2),
        ...columns(batch.webhookEvents ?? [], webhookEventColumns, 7),
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
    const recatalogued = batch.auctions.filter((a) => a.catalogueChanged).map((a) => a.after);
    if (recatalogued.length > 0) await reindexCatalogue(q, recatalogued);
    // Seqs are (old last seq) + 1..n in the batch's order.
    const notificationSeqs = seqs.map(Number);
    if (endingSoon.length === 0) return { notificationSeqs };
    const own = batch.notifications.length;
    return {
      notificationSeqs: notificationSeqs.slice(0, own),
      endingSoon: endingSoon.map((n, i) => ({ ...n, seq: notificationSeqs[own + i]! })),
    };
  }

  /** Store.watch: the watch and its count, then ending_soon at once when the auction is past its moment. */
  watch(input: WatchInput): Promise<{ found: false } | { found: true; notification: UserEvent | null }> {
    return transaction(this.pool, 'watch', this.retry, async (client) => {
      const q = statementOn(client);
      const auction = (await q<AuctionWindow>('auctionWindow', [input.auctionId])).rows[0];
      if (!auction) return { found: false as const };
      await q('insertWatch', [input.userId, input.auctionId, input.at]);
      const open = auction.lifecycle === 'active' && auction.start_date <= input.at && input.at < auction.end_date;
      if (!open) return { found: true as const, notification: null };
      const past = await endingSoonPast(client, [
        { auctionId: input.auctionId, userId: input.userId, data: input.notice, createdAt: input.at },
      ]);
      const [notification] = await insertUserEvents(client, past);
      return { found: true as const, notification: notification ?? null };
    });
  }

  /** Store.unwatch: one statement (the watch, and the count only if there was one): harmless to repeat. */
  async unwatch(userId: string, auctionId: string): Promise<void> {
    await transaction(this.pool, 'unwatch', this.retry, (client) =>
      client.query({ name: 'deleteWatch', text: sql.deleteWatch, values: [userId, auctionId] }),
    );
  }

  /**
   * Store.deliverEndingSoon: takes the due moments under their row locks (another node's are skipped), judges
   * each on the auction's stored end, records the recipients and writes their notifications, then commits.
   * A transaction that fails wrote nothing: its moments are still due and the next round delivers them.
   */
  deliverEndingSoon(now: number, notices: readonly EndingSoonNotice[], limit: number): Promise<EndingSoonDelivery> {
    return transaction(this.pool, 'deliverEndingSoon', this.retry, async (client) => {
      const q = statementOn(client);
      const ids = notices.map((n) => n.auctionId);
      const claimed = new Map(
        (await q<AuctionWindow & { auction_id: string }>('claimEndingSoon', [ids, now])).rows.map((r) => [
          r.auction_id,
          r,
        ]),
      );
      const finished: string[] = [];
      const moved: { auctionId: string; dueAt: number }[] = [];
      const sends: EndingSoonSend[] = [];
      for (const { auctionId, data } of notices) {
        const auction = claimed.get(auctionId);
        if (!auction) continue;
        if (auction.lifecycle !== 'active' || now >= auction.end_date) {
          finished.push(auctionId);
          continue;
        }
        const moment = endingSoonAt({ startDate: auction.start_date, endDate: auction.end_date });
        if (moment > now) {
          moved.push({ auctionId, dueAt: moment });
          continue;
        }
        const budget = limit - sends.length;
        if (budget <= 0) break;
        const recipients = (await q<{ user_id: string }>('endingSoonRecipients', [auctionId, budget])).rows;
        for (const { user_id: userId } of recipients) sends.push({ auctionId, userId, data, createdAt: now });
        // A full budget may have left recipients out: the moment stays due, and they get it next round.
        if (recipients.length === budget) break;
        finished.push(auctionId);
      }
      if (finished.length > 0) await q('deleteEndingSoonDue', [finished]);
      if (moved.length > 0) await q('upsertEndingSoonDue', [moved.map((m) => m.auctionId), moved.map((m) => m.dueAt)]);
      // The moments are held FOR UPDATE: no watch or bid can record one of these pairs meanwhile.
      const recorded = await recordSent(client, 'insertEndingSoonSent', sends);
      return { notifications: await insertUserEvents(client, recorded), settled: finished.length + moved.length };
    });
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

/** An item or catalogue change: columns, search words and attribute rows (see sql.reindexCatalogue). */
async function reindexCatalogue(
  q: (name: StatementName, values: unknown[]) => Promise<unknown>,
  auctions: readonly Auction[],
): Promise<void> {
  const catalogue = (a: Auction) => {
    const c = catalogueColumns(a);
    return [
      a.id,
      c.category,
      c.country,
      c.cityKey,
      a.item.name,
      a.item.description,
      searchDocument(a.item.name, a.item.description),
    ];
  };
  await q('reindexCatalogue', columns(auctions, catalogue, 7));
  await q('deleteAttributes', [auctions.map((a) => a.id)]);
  const rows = auctions.flatMap(attributeRows);
  if (rows.length > 0) await q('insertAttributes', columns(rows, attributeColumns, 5));
}

export const attributeColumns = (r: AttributeRow) => [r.auctionId, r.key, r.textValue, r.numValue, r.value];

/** Rows to one array per column (`width` columns, also when there is no row), in the order of the statement's `unnest`. */
export function columns<T>(rows: readonly T[], pick: (row: T) => unknown[], width: number): unknown[][] {
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
/** The bid path's catalogue columns, last in writeBatch's parameters ($43, $44). */
const auctionCountColumns = ({ after }: CommitBatch['auctions'][number]) => [
  buyNowOffered(after) ? 1 : 0,
  after.bidCount,
];
const webhookEventColumns = (e: WebhookEvent) => [
  e.eventId,
  e.sellerId,
  e.type,
  e.auctionId,
  e.version,
  e.data,
  e.createdAt,
];
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

// ---- the watchlist's and the ending-soon index's writes (run inside the callers' transactions) ----

/** One named statement of statements.ts on the transaction's connection. */
function statementOn(client: pg.PoolClient) {
  return <R extends pg.QueryResultRow>(name: StatementName, values: unknown[]) =>
    client.query<R>({ name, text: sql[name], values });
}

/** The columns "open" and the ending-soon window are judged on (null: the auction row is gone). */
interface AuctionWindow {
  lifecycle: string | null;
  start_date: number;
  end_date: number;
}

/** One ending_soon notification to write, once its (auction, user) pair is recorded as sent. */
type EndingSoonSend = NonNullable<CommitBatch['endingSoon']>[number];

/**
 * The notices whose auction is past its ending-soon moment (no longer in the index; the moments still there
 * are held FOR SHARE until commit) and whose user had none: recorded as sent here, to be written as
 * notifications by the caller, last. One round trip (sql.sendEndingSoonPast).
 */
function endingSoonPast(client: pg.PoolClient, notices: readonly EndingSoonSend[]): Promise<EndingSoonSend[]> {
  return recordSent(client, 'sendEndingSoonPast', notices);
}

/**
 * Records (auction, user) pairs as sent with `statement` (insertEndingSoonSent, or sendEndingSoonPast);
 * returns the sends whose pair it recorded, once each, in order.
 */
async function recordSent(
  client: pg.PoolClient,
  statement: 'insertEndingSoonSent' | 'sendEndingSoonPast',
  sends: readonly EndingSoonSend[],
): Promise<EndingSoonSend[]> {
  if (sends.length === 0) return [];
  const unique = new Map(sends.map((n) => [keyOf(n.auctionId, n.userId), n]));
  const rows = [...unique.values()];
  const recorded = await statementOn(client)<{ auction_id: string; user_id: string }>(statement, [
    rows.map((n) => n.auctionId),
    rows.map((n) => n.userId),
    rows.map((n) => n.createdAt),
  ]);
  const fresh = new Set(recorded.rows.map((r) => keyOf(r.auction_id, r.user_id)));
  return rows.filter((n) => fresh.has(keyOf(n.auctionId, n.userId)));
}

/** Writes ending_soon notifications, in order; the seq bump makes this the transaction's last statement. */
async function insertUserEvents(client: pg.PoolClient, sends: readonly EndingSoonSend[]): Promise<UserEvent[]> {
  if (sends.length === 0) return [];
  const written = await statementOn(client)<{
    seq: number | string;
    user_id: string;
    type: string;
    data: string;
    created_at: number;
  }>('insertUserEvents', [
    sends.map((n) => n.userId),
    sends.map(() => 'ending_soon'),
    sends.map((n) => n.data),
    sends.map((n) => n.createdAt),
  ]);
  return written.rows
    .map((r) => ({
      seq: Number(r.seq),
      userId: r.user_id,
      type: r.type,
      data: r.data,
      createdAt: Number(r.created_at),
    }))
    .sort((a, b) => a.seq - b.seq);
}
