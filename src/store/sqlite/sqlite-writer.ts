import type Database from 'better-sqlite3';
import { type Auction, dueAt } from '../../domain/index.ts';
import {
  type ChatMessageRecord,
  type CommitBatch,
  type CommitResult,
  type QaItemRecord,
  type QaModerationFailure,
  type RetentionResult,
  type SessionRecord,
  type UploadRecord,
  type UserRecord,
  IdempotencyKeyConflictError,
  VersionConflictError,
} from '../store.ts';
import type { Row } from '../rows.ts';
import { sql } from './statements.ts';

/**
 * Every write the SQLite store performs, synchronously, on one connection.
 * It runs inside the writer thread (writer-thread.ts), so that an fsync never
 * blocks the event loop that parses HTTP and runs the rules.
 */
export class SqliteWriter {
  private readonly s: Record<
    | 'insertUser'
    | 'insertSession'
    | 'deleteSession'
    | 'deleteSessionsOfUser'
    | 'deleteExpiredSessions'
    | 'deleteOldIdempotency'
    | 'insertUpload'
    | 'attachUpload'
    | 'deleteUpload'
    | 'insertAuction'
    | 'updateAuction'
    | 'insertBid'
    | 'upsertBidder'
    | 'insertEvent'
    | 'insertIdempotency'
    | 'insertUserEvent'
    | 'auctionVersion'
    | 'insertQaItem'
    | 'settleQaItem'
    | 'claimQaModeration'
    | 'recordQaModerationFailure'
    | 'insertChatMessage'
    | 'deleteEndedChat',
    Database.Statement
  >;
  private readonly commitTransaction: (batch: CommitBatch) => CommitResult;
  private readonly insertAuctionsTransaction: (auctions: readonly Auction[]) => void;

  constructor(private readonly db: Database.Database) {
    this.s = {
      insertUser: db.prepare(sql.insertUser),
      insertSession: db.prepare(sql.insertSession),
      deleteSession: db.prepare(sql.deleteSession),
      deleteSessionsOfUser: db.prepare(sql.deleteSessionsOfUser),
      deleteExpiredSessions: db.prepare(sql.deleteExpiredSessions),
      deleteOldIdempotency: db.prepare(sql.deleteOldIdempotency),
      insertUpload: db.prepare(sql.insertUpload),
      attachUpload: db.prepare(sql.attachUpload),
      deleteUpload: db.prepare(sql.deleteUpload),
      insertAuction: db.prepare(sql.insertAuction),
      updateAuction: db.prepare(sql.updateAuction),
      insertBid: db.prepare(sql.insertBid),
      upsertBidder: db.prepare(sql.upsertBidder),
      insertEvent: db.prepare(sql.insertEvent),
      insertIdempotency: db.prepare(sql.insertIdempotency),
      insertUserEvent: db.prepare(sql.insertUserEvent),
      auctionVersion: db.prepare(sql.auctionVersion).pluck(),
      insertQaItem: db.prepare(sql.insertQaItem),
      settleQaItem: db.prepare(sql.settleQaItem),
      claimQaModeration: db.prepare(sql.claimQaModeration),
      recordQaModerationFailure: db.prepare(sql.recordQaModerationFailure),
      insertChatMessage: db.prepare(sql.insertChatMessage),
      deleteEndedChat: db.prepare(sql.deleteEndedChat),
    };
    this.commitTransaction = db.transaction((batch: CommitBatch) => this.writeBatch(batch));
    this.insertAuctionsTransaction = db.transaction((auctions: readonly Auction[]) => {
      for (const auction of auctions) this.s.insertAuction.run(auctionRow(auction));
    });
  }

  insertUser(user: UserRecord): 'inserted' | 'username_taken' {
    try {
      this.s.insertUser.run(user);
      return 'inserted';
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'username_taken';
      throw error;
    }
  }

  insertSession(session: SessionRecord): void {
    this.s.insertSession.run(session);
  }

  deleteSession(tokenHash: string): void {
    this.s.deleteSession.run(tokenHash);
  }

  deleteSessionsOfUser(userId: string): void {
    this.s.deleteSessionsOfUser.run(userId);
  }

  /** Two short statements, each its own transaction: retention never holds the writer for long. */
  deleteExpired(input: { now: number; idempotencyBefore: number; limit: number }): RetentionResult {
    const sessions = this.s.deleteExpiredSessions.run({ now: input.now, limit: input.limit }).changes;
    const idempotencyKeys = this.s.deleteOldIdempotency.run({
      before: input.idempotencyBefore,
      limit: input.limit,
    }).changes;
    return { sessions, idempotencyKeys };
  }

  insertUpload(upload: UploadRecord): void {
    this.s.insertUpload.run(upload);
  }

  attachUpload(name: string, userId: string, at: number): boolean {
    return this.s.attachUpload.run({ name, userId, at }).changes === 1;
  }

  deleteUploads(names: readonly string[]): void {
    this.db.transaction(() => {
      for (const name of names) this.s.deleteUpload.run(name);
    })();
  }

  /**
   * New auctions in one durable transaction, or nothing: a failing row rolls back the rows before it. The
   * search index rows are written by the auctions_fts triggers, inside the same transaction. The states are
   * serialized here, on the writer thread, off the event loop that parses requests.
   */
  insertAuctions(auctions: readonly Auction[]): void {
    this.insertAuctionsTransaction(auctions);
  }

  insertQaItem(item: QaItemRecord): 'inserted' | 'already_answered' {
    try {
      this.s.insertQaItem.run({ ...item, parked: item.parked ? 1 : 0 });
      return 'inserted';
    } catch (error) {
      // Only the one-answer-per-question index makes a second answer fail; anything else is a real error.
      const e = error as { code?: string; message?: string };
      if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' && e.message?.includes('qa_items.question_id'))
        return 'already_answered';
      throw error;
    }
  }

  settleQaItem(id: string, status: 'published' | 'rejected'): boolean {
    return this.s.settleQaItem.run({ id, status }).changes === 1;
  }

  claimQaModeration(now: number, leaseUntil: number, limit: number): Row[] {
    return this.s.claimQaModeration.all({ now, leaseUntil, limit }) as Row[];
  }

  recordQaModerationFailure(id: string, failure: QaModerationFailure): boolean {
    return this.s.recordQaModerationFailure.run({ id, ...failure, parked: failure.parked ? 1 : 0 }).changes === 1;
  }

  insertChatMessage(message: ChatMessageRecord): void {
    this.s.insertChatMessage.run(message);
  }

  deleteEndedChat(before: number, limit: number): number {
    return this.s.deleteEndedChat.run({ before, limit }).changes;
  }

  /** One durable transaction (WAL, synchronous=FULL) for the whole batch, or nothing at all. */
  commitBatch(batch: CommitBatch): CommitResult {
    return this.commitTransaction(batch);
  }

  private writeBatch(batch: CommitBatch): CommitResult {
    const s = this.s;
    for (const { auctionId, version } of batch.unchanged ?? []) {
      if (s.auctionVersion.get(auctionId) !== version) throw new VersionConflictError(auctionId);
    }
    for (const bid of batch.bids) {
      s.insertBid.run(bid);
      if (bid.status === 'accepted') s.upsertBidder.run(bid);
    }
    for (const { before, after } of batch.auctions) {
      const result = s.updateAuction.run({ ...auctionColumns(after), before });
      if (result.changes !== 1) throw new VersionConflictError(after.id);
    }
    for (const event of batch.events) s.insertEvent.run(event);
    for (const record of batch.idempotency) {
      try {
        // SQLite has no booleans: 1 or 0.
        s.insertIdempotency.run({ ...record, accepted: record.accepted ? 1 : 0 });
      } catch (error) {
        // Another request with this key committed first: the whole batch rolls back (thrown inside it).
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
          throw new IdempotencyKeyConflictError([
            { bidderId: record.bidderId, auctionId: record.auctionId, key: record.key },
          ]);
        throw error;
      }
    }
    const notificationSeqs = batch.notifications.map((n) => Number(s.insertUserEvent.run(n).lastInsertRowid));
    return { notificationSeqs };
  }
}

/** A new auction as the parameters of sql.insertAuction. */
function auctionRow(auction: Auction) {
  return {
    ...auctionColumns(auction),
    sellerId: auction.sellerId,
    startDate: auction.startDate,
    createdAt: auction.createdAt,
    itemName: auction.item.name,
    itemDescription: auction.item.description,
  };
}

export function auctionColumns(auction: Auction) {
  return {
    id: auction.id,
    lifecycle: auction.lifecycle,
    endDate: auction.endDate,
    dueAt: dueAt(auction),
    listPrice: auction.currentPrice ?? auction.startingPrice,
    version: auction.version,
    state: JSON.stringify(auction),
  };
}
