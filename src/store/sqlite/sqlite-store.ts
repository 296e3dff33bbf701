import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Auction } from '../../domain/index.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import {
  type AuctionListQuery,
  type BidListQuery,
  type BidRecord,
  type CommitBatch,
  type IdempotencyRecord,
  type LeaderboardRow,
  type Page,
  type SessionRecord,
  type Store,
  type StoredEvent,
  type UserRecord,
  VersionConflictError,
} from '../store.ts';
import { migrate } from './migrate.ts';
import { auctionListing, sql } from './statements.ts';

export interface SqliteStoreOptions {
  /** Path of the database file; `:memory:` only for throwaway tests of non-durable behaviour. */
  filename: string;
}

type Row = Record<string, unknown>;

/**
 * The embedded Store: better-sqlite3 in WAL mode with `synchronous=FULL`, so a
 * committed transaction survives a power cut, not just a process crash.
 * better-sqlite3 is synchronous; the port is async so that network adapters
 * implement the same interface. This adapter is the only writer of its file.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  private readonly statements: { [K in keyof typeof sql]: Database.Statement };
  private readonly listingStatements = new Map<string, Database.Statement>();
  private readonly commitTransaction: (batch: CommitBatch) => void;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.statements = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, this.db.prepare(text)]),
    ) as typeof this.statements;
    this.commitTransaction = this.db.transaction((batch: CommitBatch) => this.writeBatch(batch));
  }

  async ping(): Promise<void> {
    this.statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async insertUser(user: UserRecord): Promise<'inserted' | 'username_taken'> {
    try {
      this.statements.insertUser.run(user);
      return 'inserted';
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'username_taken';
      throw error;
    }
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = this.statements.findUserByUsername.get(username) as Row | undefined;
    return row ? toUser(row) : null;
  }

  async findUsersByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    const users = new Map<string, UserRecord>();
    for (const id of new Set(ids)) {
      const row = this.statements.findUserById.get(id) as Row | undefined;
      if (row) users.set(id, toUser(row));
    }
    return users;
  }

  async insertSession(session: SessionRecord): Promise<void> {
    this.statements.insertSession.run(session);
  }

  async findSession(tokenHash: string, now: number): Promise<SessionRecord | null> {
    const row = this.statements.findSession.get(tokenHash, now) as Row | undefined;
    if (!row) return null;
    return {
      tokenHash: row.token_hash as string,
      userId: row.user_id as string,
      createdAt: row.created_at as number,
      expiresAt: row.expires_at as number,
    };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.statements.deleteSession.run(tokenHash);
  }

  async insertAuction(auction: Auction): Promise<void> {
    this.statements.insertAuction.run({
      ...auctionColumns(auction),
      sellerId: auction.sellerId,
      startDate: auction.startDate,
      createdAt: auction.createdAt,
      itemName: auction.item.name,
      itemDescription: auction.item.description,
    });
  }

  async loadAuctions(ids: readonly string[]): Promise<Map<string, Auction>> {
    const found = new Map<string, Auction>();
    for (const id of ids) {
      const row = this.statements.loadAuction.get(id) as { state: string } | undefined;
      if (row) found.set(id, JSON.parse(row.state) as Auction);
    }
    return found;
  }

  async listAuctions(query: AuctionListQuery): Promise<Page<Auction>> {
    const sort = auctionListing.sort[query.sort];
    const where: string[] = [];
    const params: Record<string, unknown> = { now: query.now, limit: query.limit + 1 };
    if (query.status) where.push(auctionListing.status[query.status]);
    if (query.sellerId !== null) {
      where.push(auctionListing.seller);
      params.sellerId = query.sellerId;
    }
    if (query.terms.length > 0) {
      where.push(auctionListing.text);
      // Each term is letters/digits only (the caller guarantees it); quoting makes it a literal prefix token.
      params.match = query.terms.map((t) => `"${t}"*`).join(' ');
    }
    if (query.cursor !== null) {
      const [value, seq] = decodeCursor(query.sort, query.cursor, 2) as [number, number];
      const cmp = sort.direction === 'ASC' ? '>' : '<';
      where.push(`(${sort.column} ${cmp} @cursorValue OR (${sort.column} = @cursorValue AND seq ${cmp} @cursorSeq))`);
      params.cursorValue = value;
      params.cursorSeq = seq;
    }
    const text =
      `SELECT seq, ${sort.column} AS sort_value, state FROM auctions` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY ${sort.column} ${sort.direction}, seq ${sort.direction} LIMIT @limit`;
    let statement = this.listingStatements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.listingStatements.set(text, statement);
    }
    const rows = statement.all(params) as { seq: number; sort_value: number; state: string }[];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(r.state) as Auction),
      nextCursor: more && last ? encodeCursor(query.sort, [last.sort_value, last.seq]) : null,
    };
  }

  async commitBatch(batch: CommitBatch): Promise<void> {
    this.commitTransaction(batch);
  }

  private writeBatch(batch: CommitBatch): void {
    const s = this.statements;
    for (const bid of batch.bids) {
      s.insertBid.run(bid);
      if (bid.status === 'accepted') s.upsertBidder.run(bid);
    }
    for (const { before, after } of batch.auctions) {
      const result = s.updateAuction.run({ ...auctionColumns(after), before });
      if (result.changes !== 1) throw new VersionConflictError(after.id);
    }
    for (const event of batch.events) s.insertEvent.run(event);
    for (const record of batch.idempotency) s.insertIdempotency.run(record);
  }

  async findIdempotencyRecord(bidderId: string, auctionId: string, key: string): Promise<IdempotencyRecord | null> {
    const row = this.statements.findIdempotency.get(bidderId, auctionId, key) as Row | undefined;
    if (!row) return null;
    return {
      bidderId: row.bidder_id as string,
      auctionId: row.auction_id as string,
      key: row.key as string,
      requestHash: row.request_hash as string,
      statusCode: row.status_code as number,
      bidId: row.bid_id as string,
      response: row.response as string,
      createdAt: row.created_at as number,
    };
  }

  async listBids(query: BidListQuery): Promise<Page<BidRecord>> {
    // The tag ties the cursor to this auction's listing: a cursor from another auction is refused.
    const tag = `bids-${query.status}:${query.auctionId}`;
    const before = query.cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, query.cursor, 1)[0]!;
    const statement = query.status === 'all' ? this.statements.listBidsAll : this.statements.listBidsAccepted;
    const rows = statement.all({ auctionId: query.auctionId, before, limit: query.limit + 1 }) as Row[];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map(toBid), nextCursor: more && last ? encodeCursor(tag, [last.seq as number]) : null };
  }

  async leaderboard(auctionId: string, limit: number): Promise<LeaderboardRow[]> {
    return (this.statements.leaderboard.all(auctionId, limit) as Row[]).map((r) => ({
      bidderId: r.bidder_id as string,
      displayName: r.display_name as string,
      amount: r.max_amount as number,
      bidAt: r.bid_at as number,
    }));
  }

  async eventsAfter(auctionId: string, afterVersion: number, limit: number): Promise<StoredEvent[]> {
    return (this.statements.eventsAfter.all(auctionId, afterVersion, limit) as Row[]).map((r) => ({
      auctionId: r.auction_id as string,
      version: r.version as number,
      type: r.type as StoredEvent['type'],
      data: r.data as string,
      createdAt: r.created_at as number,
    }));
  }

  async nextDueTime(): Promise<number | null> {
    const row = this.statements.nextDueTime.get() as { end_date: number } | undefined;
    return row ? row.end_date : null;
  }

  async dueAuctionIds(now: number, limit: number): Promise<string[]> {
    return (this.statements.dueAuctionIds.all(now, limit) as { id: string }[]).map((r) => r.id);
  }
}

function auctionColumns(auction: Auction) {
  return {
    id: auction.id,
    lifecycle: auction.lifecycle,
    endDate: auction.endDate,
    listPrice: auction.currentPrice ?? auction.startingPrice,
    version: auction.version,
    state: JSON.stringify(auction),
  };
}

function toUser(row: Row): UserRecord {
  return {
    id: row.id as string,
    username: row.username as string,
    displayName: row.display_name as string,
    passwordHash: row.password_hash as string,
    createdAt: row.created_at as number,
  };
}

function toBid(row: Row): BidRecord {
  return {
    id: row.id as string,
    auctionId: row.auction_id as string,
    bidderId: row.bidder_id as string,
    amount: row.amount as number,
    status: row.status as BidRecord['status'],
    reason: (row.reason as BidRecord['reason']) ?? null,
    createdAt: row.created_at as number,
    auctionVersion: row.auction_version as number,
  };
}
