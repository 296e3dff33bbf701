import type Database from 'better-sqlite3';
import { type Auction, buyNowOffered, dueAt, endingSoonAt } from '../../domain/index.ts';
import { attributeRows, catalogueColumns } from '../catalogue-sql.ts';
import {
  type ChatMessageRecord,
  type CommitBatch,
  type CommitResult,
  type EndingSoonDelivery,
  type EndingSoonNotice,
  type QaItemRecord,
  type QaModerationFailure,
  type RetentionResult,
  type SessionRecord,
  type Store,
  type UploadRecord,
  type UserEvent,
  type NewUserRecord,
  type WatchInput,
  type WebhookEvent,
  type NewMail,
  IdempotencyKeyConflictError,
  VersionConflictError,
} from '../store.ts';
import type { Row } from '../rows.ts';
import { sql } from './statements.ts';
import type { SqliteWebhookWriter } from './webhooks.ts';
import type { SqliteEmailWriter } from './email.ts';

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
    | 'updateAuctionCatalogue'
    | 'deleteAttributes'
    | 'insertAttribute'
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
  /** The watchlist's and the ending-soon index's statements (see `watchStatements`). */
  private readonly w: Record<(typeof watchStatements)[number], Database.Statement>;
  private readonly commitTransaction: (batch: CommitBatch) => CommitResult;
  private readonly qaInsertTransaction: (item: QaItemRecord, webhook?: WebhookEvent, mail?: NewMail) => void;
  private readonly qaSettleTransaction: (
    id: string,
    status: 'published' | 'rejected',
    webhook?: WebhookEvent,
    mail?: NewMail,
  ) => boolean;
  /** BEGIN IMMEDIATE (see `watch` and `deliverEndingSoon`). */
  private readonly watchTransaction: (input: WatchInput) => WatchResult;
  private readonly deliverTransaction: SqliteWriter['writeDelivery'];
  private readonly insertAuctionsTransaction: (auctions: readonly Auction[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly webhooks: SqliteWebhookWriter,
    private readonly email: SqliteEmailWriter,
  ) {
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
      updateAuctionCatalogue: db.prepare(sql.updateAuctionCatalogue),
      deleteAttributes: db.prepare(sql.deleteAttributes),
      insertAttribute: db.prepare(sql.insertAttribute),
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
    this.w = Object.fromEntries(watchStatements.map((name) => [name, db.prepare(sql[name])])) as typeof this.w;
    this.w.endingSoonDueAt.pluck();
    this.w.endingSoonRecipients.pluck();
    this.commitTransaction = db.transaction((batch: CommitBatch) => this.writeBatch(batch));
    // A question's publication and its webhook deliveries commit together (the outbox).
    this.qaInsertTransaction = db.transaction((item: QaItemRecord, webhook?: WebhookEvent, mail?: NewMail) => {
      this.s.insertQaItem.run({ ...item, parked: item.parked ? 1 : 0 });
      if (webhook) this.webhooks.writeEvents([webhook]);
      if (mail) this.email.writeMail(mail);
    });
    this.qaSettleTransaction = db.transaction(
      (id: string, status: 'published' | 'rejected', webhook?: WebhookEvent, mail?: NewMail) => {
        const changed = this.s.settleQaItem.run({ id, status }).changes === 1;
        if (changed && webhook) this.webhooks.writeEvents([webhook]);
        if (changed && mail) this.email.writeMail(mail);
        return changed;
      },
    );
    this.watchTransaction = db.transaction((input: WatchInput) => this.writeWatch(input)).immediate;
    this.deliverTransaction = db.transaction((now: number, notices: readonly EndingSoonNotice[], limit: number) =>
      this.writeDelivery(now, notices, limit),
    ).immediate;
    this.insertAuctionsTransaction = db.transaction((auctions: readonly Auction[]) => {
      for (const auction of auctions) {
        this.s.insertAuction.run(auctionRow(auction));
        if (auction.lifecycle === 'active') this.w.insertEndingSoonDue.run(auction.id, endingSoonAt(auction));
        for (const row of attributeRows(auction)) this.s.insertAttribute.run(row);
      }
    });
  }

  insertUser(user: NewUserRecord): 'inserted' | 'username_taken' {
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

  insertQaItem(item: QaItemRecord, webhook?: WebhookEvent, mail?: NewMail): 'inserted' | 'already_answered' {
    try {
      this.qaInsertTransaction(item, webhook, mail);
      return 'inserted';
    } catch (error) {
      // Only the one-answer-per-question index makes a second answer fail; anything else is a real error.
      const e = error as { code?: string; message?: string };
      if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' && e.message?.includes('qa_items.question_id'))
        return 'already_answered';
      throw error;
    }
  }

  settleQaItem(id: string, status: 'published' | 'rejected', webhook?: WebhookEvent, mail?: NewMail): boolean {
    return this.qaSettleTransaction(id, status, webhook, mail);
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

  /** The catalogue columns and attribute rows of a changed item (inside the batch's transaction). */
  private reindexCatalogue(auction: Auction): void {
    const { category, country, cityKey } = catalogueColumns(auction);
    this.s.updateAuctionCatalogue.run({
      id: auction.id,
      category,
      country,
      cityKey,
      itemName: auction.item.name,
      itemDescription: auction.item.description,
    });
    this.s.deleteAttributes.run(auction.id);
    for (const row of attributeRows(auction)) this.s.insertAttribute.run(row);
  }

  /**
   * Store.watch: the watch, the count, and ending_soon at once when the auction is past its moment. BEGIN
   * IMMEDIATE, as deliverEndingSoon: what it reads (the moment) is judged under the write lock.
   */
  watch(input: WatchInput): WatchResult {
    return this.watchTransaction(input);
  }

  private writeWatch(input: WatchInput): WatchResult {
    const w = this.w;
    const auction = w.auctionWindow.get(input.auctionId) as AuctionWindow | undefined;
    if (!auction) return { found: false as const };
    if (w.insertWatch.run(input).changes === 1) w.addWatcher.run(input.auctionId);
    const open = auction.lifecycle === 'active' && auction.start_date <= input.at && input.at < auction.end_date;
    const notification = open
      ? this.sendEndingSoonIfPast({
          auctionId: input.auctionId,
          userId: input.userId,
          data: input.notice,
          createdAt: input.at,
        })
      : null;
    return { found: true as const, notification };
  }

  unwatch(userId: string, auctionId: string): void {
    this.db.transaction(() => {
      if (this.w.deleteWatch.run(userId, auctionId).changes === 1) this.w.removeWatcher.run(auctionId);
    })();
  }

  /**
   * Store.deliverEndingSoon. BEGIN IMMEDIATE: the write lock is taken before the moment is read, so no other
   * writer (another store on the same file) can take the same moment before this transaction ends
   * (PostgreSQL needs row locks for the same).
   */
  deliverEndingSoon(now: number, notices: readonly EndingSoonNotice[], limit: number): EndingSoonDelivery {
    return this.deliverTransaction(now, notices, limit);
  }

  private writeDelivery(now: number, notices: readonly EndingSoonNotice[], limit: number): EndingSoonDelivery {
    const w = this.w;
    const notifications: UserEvent[] = [];
    let settled = 0;
    for (const { auctionId, data } of notices) {
      const dueAt = w.endingSoonDueAt.get(auctionId) as number | undefined;
      if (dueAt === undefined || dueAt > now) continue;
      const auction = w.auctionWindow.get(auctionId) as AuctionWindow | undefined;
      if (!auction || auction.lifecycle !== 'active' || now >= auction.end_date) {
        w.deleteEndingSoonDue.run(auctionId);
        settled++;
        continue;
      }
      const moment = endingSoonAt({ startDate: auction.start_date, endDate: auction.end_date });
      if (moment > now) {
        w.upsertEndingSoonDue.run({ auctionId, dueAt: moment });
        settled++;
        continue;
      }
      const budget = limit - notifications.length;
      if (budget <= 0) break;
      const recipients = w.endingSoonRecipients.all({ auctionId, limit: budget }) as string[];
      for (const userId of recipients) {
        w.insertEndingSoonSent.run({ auctionId, userId, createdAt: now });
        notifications.push(this.insertEndingSoon({ userId, data, createdAt: now }));
      }
      // A full budget may have left recipients out: the moment stays due, and they get it next call.
      if (recipients.length === budget) break;
      w.deleteEndingSoonDue.run(auctionId);
      settled++;
    }
    return { notifications, settled };
  }

  /**
   * ending_soon to one user about an auction past its moment (no longer in the index), unless they had it:
   * the notification written, or null. Runs inside the caller's transaction.
   */
  private sendEndingSoonIfPast(notice: NonNullable<CommitBatch['endingSoon']>[number]): UserEvent | null {
    if (this.w.endingSoonDueAt.get(notice.auctionId) !== undefined) return null;
    if (this.w.insertEndingSoonSent.run(notice).changes === 0) return null;
    return this.insertEndingSoon(notice);
  }

  private insertEndingSoon(n: { userId: string; data: string; createdAt: number }): UserEvent {
    const row = { userId: n.userId, type: 'ending_soon', data: n.data, createdAt: n.createdAt };
    return { seq: Number(this.s.insertUserEvent.run(row).lastInsertRowid), ...row };
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
    for (const { before, after, catalogueChanged } of batch.auctions) {
      const result = s.updateAuction.run({ ...auctionColumns(after), before });
      if (result.changes !== 1) throw new VersionConflictError(after.id);
      if (catalogueChanged) this.reindexCatalogue(after);
    }
    for (const event of batch.events) s.insertEvent.run(event);
    if (batch.webhookEvents !== undefined) this.webhooks.writeEvents(batch.webhookEvents);
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
    for (const due of batch.endingSoonDue ?? []) this.w.upsertEndingSoonDue.run(due);
    if (batch.endingSoon === undefined || batch.endingSoon.length === 0) return { notificationSeqs };
    const endingSoon: UserEvent[] = [];
    for (const notice of batch.endingSoon) {
      const written = this.sendEndingSoonIfPast(notice);
      if (written) endingSoon.push(written);
    }
    return { notificationSeqs, endingSoon };
  }
}

/** The statements of the watchlist and the ending-soon index (migration 008). */
const watchStatements = [
  'auctionWindow',
  'insertWatch',
  'deleteWatch',
  'addWatcher',
  'removeWatcher',
  'insertEndingSoonDue',
  'upsertEndingSoonDue',
  'deleteEndingSoonDue',
  'endingSoonDueAt',
  'endingSoonRecipients',
  'insertEndingSoonSent',
] as const satisfies readonly (keyof typeof sql)[];

type WatchResult = Awaited<ReturnType<Store['watch']>>;

/** The columns "open" and the ending-soon window are judged on. */
interface AuctionWindow {
  lifecycle: string;
  start_date: number;
  end_date: number;
}

/** A new auction as the parameters of sql.insertAuction. */
function auctionRow(auction: Auction) {
  const { category, country, cityKey, currency, sampleBucket } = catalogueColumns(auction);
  return {
    ...auctionColumns(auction),
    category,
    country,
    cityKey,
    currency,
    sampleBucket,
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
    buyNow: buyNowOffered(auction) ? 1 : 0,
    bidCount: auction.bidCount,
  };
}
