import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { Auction, Candidate } from '../../domain/index.ts';
import { decodeCursor, encodeCursor, keysetPage, listingCursor } from '../cursor.ts';
import {
  type AuctionFacetQuery,
  type AuctionFacets,
  type AuctionListQuery,
  type BidderActivity,
  type BidListQuery,
  type BidRecord,
  type ChatMessageRecord,
  type CommitBatch,
  type CommitResult,
  type EndingSoonDelivery,
  type EndingSoonNotice,
  type IdempotencyRecord,
  type ClaimedMail,
  type OutboxRetentionResult,
  type EmailTokenRecord,
  type MailOutcome,
  type NewMail,
  type ClaimedWebhookDelivery,
  type WebhookDeliveryOutcome,
  type WebhookDeliveryRecord,
  type WebhookEvent,
  type WebhookRecord,
  type InventoryItemInput,
  type InventoryItemRecord,
  type InventoryLink,
  type InventoryLinkSettlement,
  type InventoryUpsertResult,
  type NewInventoryLink,
  type LeaderboardRow,
  type LockedReads,
  type Page,
  type QaItemRecord,
  type QaModerationFailure,
  type QuestionListQuery,
  type QuestionWithAnswer,
  type RetentionResult,
  SEARCH_MAX_TERMS,
  type SessionRecord,
  type Store,
  type StoredEvent,
  type UploadRecord,
  type UserEvent,
  type NewUserRecord,
  type UserRecord,
  type WatchInput,
  StoreUnavailableError,
  VersionConflictError,
} from '../store.ts';
import { openConnection } from './connection.ts';
import { migrate } from './migrate.ts';
import { ReaderPool } from './reader-pool.ts';
import { IndexedCatalogue } from '../indexed-catalogue.ts';
import { SqliteCatalogueSource } from './catalogue-source.ts';
import { sql } from './statements.ts';
import { SqliteInventoryReader } from './inventory.ts';
import { SqliteWebhookReader } from './webhooks.ts';
import { SqliteEmailReader } from './email.ts';
import { WriterClient } from './writer-client.ts';
import {
  type Row,
  toBid,
  toChatMessage,
  toBidderActivity,
  toCandidate,
  toIdempotencyRecord,
  toLeaderboardRow,
  toQaItem,
  toQuestionWithAnswer,
  toSession,
  toStoredEvent,
  toUser,
  toUserEvent,
} from '../rows.ts';

export interface SqliteStoreOptions {
  /** Path of the database file (a real file: the reader and the writer thread share it). */
  filename: string;
  /** Reader threads for listings and searches, started on first use. Default 1 on ≤ 2 cores, else 2. */
  readerThreads?: number;
  /** A listing not answered this long after it was asked (waiting included) is refused (503). Default 2,000 ms. */
  readBudgetMs?: number;
  /** Listings that may wait for a busy reader thread; more are refused at once (503). Default 64. */
  readMaxWaiting?: number;
  /** A search prefix of 4+ characters that more indexed words start with matches the whole word only. Default 5,000. */
  searchPrefixWordsMax?: number;
  /**
   * Answer listings and facets without search terms from the in-memory catalogue index
   * (indexed-catalogue.ts; ~230 bytes per auction). Default true; false answers everything with SQL.
   */
  catalogueIndex?: boolean;
}

/**
 * The embedded Store: better-sqlite3 in WAL mode with `synchronous=FULL`, so a
 * committed transaction survives a power cut, not just a process crash.
 *
 * Connections to one file. Point reads run synchronously on this thread (WAL:
 * they never wait for the writer, and see every committed transaction). All
 * writes go to a dedicated writer thread (writer-thread.ts) and resolve only
 * once committed: an fsync never blocks the event loop, so HTTP parsing and
 * the rules for the next batch overlap the commit of the current one.
 * Listings and searches, the reads whose cost grows with the data, run on
 * reader threads (reader-pool.ts) with read-only connections of their own.
 */
/** Decisions of one transact that may meet a concurrent commitBatch's conflict before one commits. */
const TRANSACT_ATTEMPTS = 20;

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  /** The writer thread is the only writer of the file. */
  readonly concurrentWriters = false;
  readonly db: Database.Database;
  private readonly statements: { [K in ReadStatement]: Database.Statement };
  private readonly writer: WriterClient;
  private readonly readers: ReaderPool;
  private readonly inventory: SqliteInventoryReader;
  private readonly webhooks: SqliteWebhookReader;
  private readonly email: SqliteEmailReader;
  private transactTurn: Promise<unknown> = Promise.resolve();
  private readonly catalogue: IndexedCatalogue | null;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(dirname(options.filename), { recursive: true });
    this.db = openConnection(options.filename);
    migrate(this.db);
    this.statements = Object.fromEntries(
      readStatements.map((name) => [name, this.db.prepare(sql[name])]),
    ) as typeof this.statements;
    this.inventory = new SqliteInventoryReader(this.db);
    this.webhooks = new SqliteWebhookReader(this.db);
    this.email = new SqliteEmailReader(this.db);
    this.writer = new WriterClient(options.filename);
    this.readers = new ReaderPool({
      filename: options.filename,
      threads: options.readerThreads,
      budgetMs: options.readBudgetMs,
      maxWaiting: options.readMaxWaiting,
      listing: { prefixWordsMax: options.searchPrefixWordsMax },
    });
    this.catalogue = (options.catalogueIndex ?? true) ? new IndexedCatalogue(new SqliteCatalogueSource(this.db)) : null;
  }

  async ping(): Promise<void> {
    this.statements.ping.get();
    if (!this.writer.healthy) throw new StoreUnavailableError('SQLite writer is gone');
  }

  async close(): Promise<void> {
    await this.readers.close();
    await this.writer.close();
    if (this.db.open) this.db.close();
  }

  insertUser(user: NewUserRecord): Promise<'inserted' | 'username_taken'> {
    return this.writer.call({ op: 'insertUser', args: [user] });
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

  insertSession(session: SessionRecord): Promise<void> {
    return this.writer.call({ op: 'insertSession', args: [session] });
  }

  async findSession(tokenHash: string, now: number): Promise<SessionRecord | null> {
    const row = this.statements.findSession.get(tokenHash, now) as Row | undefined;
    if (!row) return null;
    return toSession(row);
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.writer.call({ op: 'deleteSession', args: [tokenHash] });
  }

  deleteSessionsOfUser(userId: string): Promise<void> {
    return this.writer.call({ op: 'deleteSessionsOfUser', args: [userId] });
  }

  deleteExpired(input: { now: number; idempotencyBefore: number; limit: number }): Promise<RetentionResult> {
    return this.writer.call({ op: 'deleteExpired', args: [input] });
  }

  insertUpload(upload: UploadRecord): Promise<void> {
    return this.writer.call({ op: 'insertUpload', args: [upload] });
  }

  async countUploadsSince(userId: string, since: number): Promise<number> {
    return (this.statements.countUploadsSince.get(userId, since) as { n: number }).n;
  }

  attachUpload(name: string, userId: string, at: number): Promise<boolean> {
    return this.writer.call({ op: 'attachUpload', args: [name, userId, at] });
  }

  async unattachedUploadsBefore(before: number, limit: number): Promise<string[]> {
    return (this.statements.unattachedUploadsBefore.all(before, limit) as { name: string }[]).map((r) => r.name);
  }

  deleteUploads(names: readonly string[]): Promise<void> {
    return this.writer.call({ op: 'deleteUploads', args: [names] });
  }

  async insertAuctions(auctions: readonly Auction[]): Promise<void> {
    if (auctions.length > 0) await this.writer.call({ op: 'insertAuctions', args: [auctions] });
  }

  async loadAuctions(ids: readonly string[]): Promise<Map<string, Auction>> {
    const found = new Map<string, Auction>();
    for (const id of ids) {
      const row = this.statements.loadAuction.get(id) as { state: string } | undefined;
      if (row) found.set(id, JSON.parse(row.state) as Auction);
    }
    return found;
  }

  async auctionVersions(ids: readonly string[]): Promise<Map<string, number>> {
    const rows = this.statements.auctionVersions.all(JSON.stringify(ids)) as { id: string; version: number }[];
    return new Map(rows.map((r) => [r.id, r.version]));
  }

  async listAuctions(query: AuctionListQuery): Promise<Page<Auction>> {
    if (query.terms.length > SEARCH_MAX_TERMS)
      throw new RangeError(`at most ${SEARCH_MAX_TERMS} search terms, got ${query.terms.length}`);
    const { tag, length } = listingCursor(query);
    const after = query.cursor === null ? null : decodeCursor(tag, query.cursor, length);
    const { status, sellerId, terms, filters, sort, limit, now, descriptionChars } = query;
    const request = { status, sellerId, terms, filters, sort, limit, now, descriptionChars, after };
    const page = (await this.catalogue?.list(request)) ?? (await this.readers.listAuctions(request));
    return {
      items: page.items,
      nextCursor: page.more && page.last ? encodeCursor(tag, page.last) : null,
    };
  }

  catalogueIndex(load = false): { auctions: number | null } {
    if (load) this.catalogue?.startLoading();
    return { auctions: this.catalogue?.size ?? null };
  }

  async auctionFacets(query: AuctionFacetQuery): Promise<AuctionFacets> {
    if (query.terms.length > SEARCH_MAX_TERMS)
      throw new RangeError(`at most ${SEARCH_MAX_TERMS} search terms, got ${query.terms.length}`);
    const { status, sellerId, terms, filters, now } = query;
    const indexed = await this.catalogue?.facets({ status, sellerId, terms, filters, now });
    if (indexed) return indexed;
    return this.readers.auctionFacets({ status, sellerId, terms, filters, now });
  }

  commitBatch(batch: CommitBatch): Promise<CommitResult> {
    return this.writer.call({ op: 'commitBatch', args: [batch] });
  }

  /**
   * Store.transact on a file only this process writes: the "lock" is a queue of this store's transacts
   * (one at a time, in call order), and commitBatch's version guard catches a batch committed in between
   * by another path (the sequencer's pipelined commitBatch): then the states are read and decided again.
   */
  transact(
    auctionIds: readonly string[],
    decide: (locked: ReadonlyMap<string, Auction>, reads: LockedReads) => Promise<CommitBatch>,
  ): Promise<CommitResult> {
    const turn = this.transactTurn.then(() => this.transactAlone(auctionIds, decide));
    this.transactTurn = turn.catch(() => undefined);
    return turn;
  }

  private async transactAlone(
    auctionIds: readonly string[],
    decide: (locked: ReadonlyMap<string, Auction>, reads: LockedReads) => Promise<CommitBatch>,
  ): Promise<CommitResult> {
    const reads: LockedReads = { settlementCandidates: (id) => this.settlementCandidates(id) };
    for (let attempt = 1; ; attempt++) {
      const batch = await decide(await this.loadAuctions([...new Set(auctionIds)]), reads);
      try {
        return await this.commitBatch(batch);
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= TRANSACT_ATTEMPTS) throw error;
      }
    }
  }

  async userEventsAfter(userId: string, afterSeq: number, limit: number): Promise<UserEvent[]> {
    return (this.statements.userEventsAfter.all(userId, afterSeq, limit) as Row[]).map(toUserEvent);
  }

  async lastUserEventSeq(): Promise<number> {
    return (this.statements.lastUserEventSeq.get() as { seq: number }).seq;
  }

  async findIdempotencyRecord(bidderId: string, auctionId: string, key: string): Promise<IdempotencyRecord | null> {
    const row = this.statements.findIdempotency.get(bidderId, auctionId, key) as Row | undefined;
    if (!row) return null;
    return toIdempotencyRecord(row);
  }

  async listBids(query: BidListQuery): Promise<Page<BidRecord>> {
    // The tag ties the cursor to this auction's listing: a cursor from another auction is refused.
    const tag = `bids-${query.status}:${query.auctionId}`;
    const before = query.cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, query.cursor, 1)[0]!;
    const statement = query.status === 'all' ? this.statements.listBidsAll : this.statements.listBidsAccepted;
    const rows = statement.all({ auctionId: query.auctionId, before, limit: query.limit + 1 }) as Row[];
    return keysetPage(rows, query.limit, tag, (row) => [row.seq as number], toBid);
  }

  insertQaItem(item: QaItemRecord, webhook?: WebhookEvent, mail?: NewMail): Promise<'inserted' | 'already_answered'> {
    return this.writer.call({ op: 'insertQaItem', args: [item, webhook, mail] });
  }

  async findQaItem(id: string): Promise<QaItemRecord | null> {
    const row = this.statements.findQaItem.get(id) as Row | undefined;
    return row ? toQaItem(row) : null;
  }

  async findQuestion(auctionId: string, questionId: string): Promise<QuestionWithAnswer | null> {
    const row = this.statements.findQuestion.get({ auctionId, questionId }) as Row | undefined;
    return row ? toQuestionWithAnswer(row) : null;
  }

  async listQuestions(query: QuestionListQuery): Promise<Page<QuestionWithAnswer>> {
    // The tag ties the cursor to this auction and this view of it.
    const tag = `questions-${query.visibility}:${query.auctionId}`;
    const before = query.cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, query.cursor, 1)[0]!;
    const rows = (
      query.visibility === 'all'
        ? this.statements.listQuestionsAll.all({ auctionId: query.auctionId, before, limit: query.limit + 1 })
        : this.statements.listQuestionsPublic.all({
            auctionId: query.auctionId,
            before,
            limit: query.limit + 1,
            viewerId: query.viewerId,
          })
    ) as Row[];
    return keysetPage(rows, query.limit, tag, (row) => [row.seq as number], toQuestionWithAnswer);
  }

  settleQaItem(id: string, status: 'published' | 'rejected', webhook?: WebhookEvent, mail?: NewMail): Promise<boolean> {
    return this.writer.call({ op: 'settleQaItem', args: [id, status, webhook, mail] });
  }

  async claimQaModeration(now: number, leaseUntil: number, limit: number): Promise<QaItemRecord[]> {
    const rows = await this.writer.call<Row[]>({ op: 'claimQaModeration', args: [now, leaseUntil, limit] });
    return rows.sort((a, b) => (a.seq as number) - (b.seq as number)).map(toQaItem);
  }

  recordQaModerationFailure(id: string, failure: QaModerationFailure): Promise<boolean> {
    return this.writer.call({ op: 'recordQaModerationFailure', args: [id, failure] });
  }

  async qaModerationQueue(limit: number): Promise<QaItemRecord[]> {
    return (this.statements.qaModerationQueue.all(limit) as Row[]).map(toQaItem);
  }

  insertChatMessage(message: ChatMessageRecord): Promise<void> {
    return this.writer.call({ op: 'insertChatMessage', args: [message] });
  }

  async recentChatMessages(auctionId: string, limit: number): Promise<ChatMessageRecord[]> {
    return (this.statements.recentChatMessages.all(auctionId, limit) as Row[]).reverse().map(toChatMessage);
  }

  deleteEndedChat(before: number, limit: number): Promise<number> {
    return this.writer.call({ op: 'deleteEndedChat', args: [before, limit] });
  }

  async leaderboard(auctionId: string, limit: number): Promise<LeaderboardRow[]> {
    return (this.statements.leaderboard.all(auctionId, limit) as Row[]).map(toLeaderboardRow);
  }

  async eventsAfter(auctionId: string, afterVersion: number, limit: number): Promise<StoredEvent[]> {
    return (this.statements.eventsAfter.all(auctionId, afterVersion, limit) as Row[]).map(toStoredEvent);
  }

  async settlementCandidates(auctionId: string): Promise<Candidate[]> {
    return (this.statements.settlementCandidates.all(auctionId) as Row[]).map(toCandidate);
  }

  async bidderActivity(bidderId: string, limit: number, cursor: string | null): Promise<Page<BidderActivity>> {
    const tag = `activity:${bidderId}`;
    const [beforeAt, beforeSeq] =
      cursor === null ? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : decodeCursor(tag, cursor, 2);
    const rows = this.statements.bidderActivity.all({ bidderId, beforeAt, beforeSeq, limit: limit + 1 }) as Row[];
    return keysetPage(rows, limit, tag, (row) => [row.last_bid_at as number, row.seq as number], toBidderActivity);
  }

  async bidderActivityOn(bidderId: string, auctionId: string): Promise<BidderActivity | null> {
    const row = this.statements.bidderActivityOn.get(auctionId, bidderId) as Row | undefined;
    return row ? toBidderActivity(row) : null;
  }

  async nextDueTime(): Promise<number | null> {
    const row = this.statements.nextDueTime.get() as { due_at: number } | undefined;
    return row ? row.due_at : null;
  }

  async dueAuctionIds(now: number, limit: number): Promise<string[]> {
    return (this.statements.dueAuctionIds.all(now, limit) as { id: string }[]).map((r) => r.id);
  }

  watch(input: WatchInput): Promise<{ found: false } | { found: true; notification: UserEvent | null }> {
    return this.writer.call({ op: 'watch', args: [input] });
  }

  unwatch(userId: string, auctionId: string): Promise<void> {
    return this.writer.call({ op: 'unwatch', args: [userId, auctionId] });
  }

  async watcherCounts(auctionIds: readonly string[]): Promise<Map<string, number>> {
    if (auctionIds.length === 0) return new Map();
    const rows = this.statements.watcherCounts.all(JSON.stringify(auctionIds)) as {
      auction_id: string;
      watchers: number;
    }[];
    return new Map(rows.map((r) => [r.auction_id, r.watchers]));
  }

  async listWatchlist(userId: string, limit: number, cursor: string | null): Promise<Page<Auction>> {
    const tag = `watchlist:${userId}`;
    const [afterEnd, afterSeq] = cursor === null ? [Number.MIN_SAFE_INTEGER, 0] : decodeCursor(tag, cursor, 2);
    const rows = this.statements.listWatchlist.all({ userId, afterEnd, afterSeq, limit: limit + 1 }) as Row[];
    return keysetPage(
      rows,
      limit,
      tag,
      (row) => [row.end_date as number, row.seq as number],
      (row) => JSON.parse(row.state as string) as Auction,
    );
  }

  async nextEndingSoonTime(): Promise<number | null> {
    const row = this.statements.nextEndingSoonTime.get() as { due_at: number } | undefined;
    return row ? row.due_at : null;
  }

  async dueEndingSoon(now: number, limit: number): Promise<Auction[]> {
    return (this.statements.dueEndingSoon.all(now, limit) as { state: string }[]).map(
      (r) => JSON.parse(r.state) as Auction,
    );
  }

  deliverEndingSoon(now: number, notices: readonly EndingSoonNotice[], limit: number): Promise<EndingSoonDelivery> {
    if (notices.length === 0) return Promise.resolve({ notifications: [], settled: 0 });
    return this.writer.call({ op: 'deliverEndingSoon', args: [now, notices, limit] });
  }

  upsertInventoryItems(
    sellerId: string,
    items: readonly InventoryItemInput[],
    now: number,
    dueAt: number,
  ): Promise<InventoryUpsertResult[]> {
    if (items.length === 0) return Promise.resolve([]);
    return this.writer.call({ op: 'upsertInventoryItems', args: [sellerId, items, now, dueAt] });
  }

  async findInventoryItems(
    sellerId: string,
    externalIds: readonly string[],
  ): Promise<Map<string, InventoryItemRecord>> {
    return this.inventory.findItems(sellerId, externalIds);
  }

  async listInventoryItems(sellerId: string, limit: number, cursor: string | null): Promise<Page<InventoryItemRecord>> {
    return this.inventory.listItems(sellerId, limit, cursor);
  }

  deleteInventoryItem(
    sellerId: string,
    externalId: string,
    now: number,
    dueAt: number,
  ): Promise<InventoryItemRecord | null> {
    return this.writer.call({ op: 'deleteInventoryItem', args: [sellerId, externalId, now, dueAt] });
  }

  linkInventoryAuction(link: NewInventoryLink, dueAt: number): Promise<boolean> {
    return this.writer.call({ op: 'linkInventoryAuction', args: [link, dueAt] });
  }

  async inventoryLinksOf(sellerId: string, externalIds: readonly string[]): Promise<InventoryLink[]> {
    return this.inventory.linksOf(sellerId, externalIds);
  }

  claimInventoryLinks(now: number, leaseUntil: number, limit: number): Promise<InventoryLink[]> {
    return this.writer.call({ op: 'claimInventoryLinks', args: [now, leaseUntil, limit] });
  }

  async settleInventoryLinks(settled: readonly InventoryLinkSettlement[]): Promise<void> {
    if (settled.length > 0) await this.writer.call({ op: 'settleInventoryLinks', args: [settled] });
  }

  insertWebhook(webhook: WebhookRecord, max: number): Promise<boolean> {
    return this.writer.call({ op: 'insertWebhook', args: [webhook, max] });
  }

  async listWebhooks(ownerId: string): Promise<WebhookRecord[]> {
    return this.webhooks.list(ownerId);
  }

  async findWebhook(ownerId: string, id: string): Promise<WebhookRecord | null> {
    return this.webhooks.find(ownerId, id);
  }

  deleteWebhook(ownerId: string, id: string): Promise<boolean> {
    return this.writer.call({ op: 'deleteWebhook', args: [ownerId, id] });
  }

  async listWebhookDeliveries(
    webhookId: string,
    limit: number,
    cursor: string | null,
  ): Promise<Page<WebhookDeliveryRecord>> {
    return this.webhooks.deliveries(webhookId, limit, cursor);
  }

  retryWebhookDelivery(
    webhookId: string,
    deliveryId: string,
    now: number,
  ): Promise<'retried' | 'not_failed' | 'not_found'> {
    return this.writer.call({ op: 'retryWebhookDelivery', args: [webhookId, deliveryId, now] });
  }

  claimWebhookDeliveries(now: number, leaseUntil: number, limit: number): Promise<ClaimedWebhookDelivery[]> {
    return this.writer.call({ op: 'claimWebhookDeliveries', args: [now, leaseUntil, limit] });
  }

  async settleWebhookDeliveries(outcomes: readonly WebhookDeliveryOutcome[]): Promise<void> {
    if (outcomes.length > 0) await this.writer.call({ op: 'settleWebhookDeliveries', args: [outcomes] });
  }

  insertEmailToken(token: EmailTokenRecord, mail: NewMail): Promise<void> {
    return this.writer.call({ op: 'insertEmailToken', args: [token, mail] });
  }

  verifyEmail(
    tokenHash: string,
    now: number,
    mailKey: string,
  ): Promise<{ outcome: 'verified'; user: UserRecord } | { outcome: 'invalid' | 'taken' }> {
    return this.writer.call({ op: 'verifyEmail', args: [tokenHash, now, mailKey] });
  }

  resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
  ): Promise<{ outcome: 'reset'; userId: string } | { outcome: 'invalid' }> {
    return this.writer.call({ op: 'resetPassword', args: [tokenHash, passwordHash, now] });
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    return this.email.findUserByEmail(email);
  }

  setMailOff(userId: string, off: readonly string[]): Promise<boolean> {
    return this.writer.call({ op: 'setMailOff', args: [userId, off] });
  }

  claimMails(now: number, leaseUntil: number, limit: number, outbidWindowMs: number): Promise<ClaimedMail[]> {
    return this.writer.call({ op: 'claimMails', args: [now, leaseUntil, limit, outbidWindowMs] });
  }

  deleteSettledOutbox(input: { now: number; settledBefore: number; limit: number }): Promise<OutboxRetentionResult> {
    return this.writer.call({ op: 'deleteSettledOutbox', args: [input] });
  }

  async settleMails(outcomes: readonly MailOutcome[]): Promise<void> {
    if (outcomes.length > 0) await this.writer.call({ op: 'settleMails', args: [outcomes] });
  }
}

const readStatements = [
  'ping',
  'findUserByUsername',
  'findUserById',
  'findSession',
  'loadAuction',
  'findIdempotency',
  'listBidsAll',
  'listBidsAccepted',
  'leaderboard',
  'eventsAfter',
  'settlementCandidates',
  'bidderActivity',
  'bidderActivityOn',
  'userEventsAfter',
  'lastUserEventSeq',
  'nextDueTime',
  'dueAuctionIds',
  'countUploadsSince',
  'auctionVersions',
  'unattachedUploadsBefore',
  'findQaItem',
  'findQuestion',
  'listQuestionsAll',
  'listQuestionsPublic',
  'qaModerationQueue',
  'recentChatMessages',
  'watcherCounts',
  'listWatchlist',
  'nextEndingSoonTime',
  'dueEndingSoon',
] as const satisfies readonly (keyof typeof sql)[];
type ReadStatement = (typeof readStatements)[number];
