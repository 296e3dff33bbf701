import { IndexedCatalogue } from '../indexed-catalogue.ts';
import { PostgresCatalogueSource } from './catalogue-source.ts';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { type Auction, type Candidate, endingSoonAt } from '../../domain/index.ts';
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
  StoreBusyError,
  StoreUnavailableError,
} from '../store.ts';
import {
  type ListingRequest,
  facetConditions,
  listingPage,
  listingStatements,
  searchDocument,
} from './auction-listing.ts';
import { attributeRows, catalogueColumns, countFacets, facetsOf } from '../catalogue-sql.ts';
import { type PoolSettings, createPool } from './connection.ts';
import { PostgresInventory } from './inventory.ts';
import { PostgresWebhooks } from './webhooks.ts';
import { PostgresEmail } from './email.ts';
import { migrate } from './migrate.ts';
import { attributeColumns, auctionColumns, columns, PostgresWriter } from './postgres-writer.ts';
import { AttemptFailure, CONNECT_TIMEOUT, type RetryPolicy, RETRYABLE, failureCode, withRetry } from './retry.ts';
import { type StatementName, sql } from './statements.ts';
import { transaction } from './transaction.ts';
import {
  type Row,
  toQaItem,
  toChatMessage,
  toQuestionWithAnswer,
  toBid,
  toBidderActivity,
  toCandidate,
  toIdempotencyRecord,
  toLeaderboardRow,
  toSession,
  toStoredEvent,
  toUser,
  toUserEvent,
} from '../rows.ts';

export interface PostgresStoreOptions extends PoolSettings {
  /** Apply pending migrations (under their advisory lock) before the store is used. Default true. */
  migrate?: boolean;
  /** `ping` fails (the node is not ready) when `SELECT 1` takes longer. Default 1,000 ms. */
  pingTimeoutMs?: number;
  /** Retries of the failures in retry.ts's table. Default: 4 attempts, 20 ms base, 400 ms cap, full jitter. */
  retry?: RetryPolicy;
  /**
   * Connections for listings and searches, a pool of their own so that however many listings run, the
   * bid path's commits and point reads never wait behind them. Default 2.
   */
  readConnections?: number;
  /**
   * A listing not answered this long after it was asked (waiting included) is refused with StoreBusyError
   * (503); the server cancels a listing statement that runs longer. Default 2,000 ms.
   */
  readBudgetMs?: number;
  /** Listings that may wait for a listing connection; more are refused at once (503). Default 64. */
  readMaxWaiting?: number;
  /**
   * Answer listings and facets without search terms from the in-memory catalogue index
   * (indexed-catalogue.ts; ~230 bytes per auction, on every node). Default true; false: SQL only.
   */
  catalogueIndex?: boolean;
}

/**
 * Rows per insertAuctions statement. The statement's parameters are 13 arrays whatever the rows, so this is
 * not about PostgreSQL's 65,535-parameter limit: it bounds one message (states are ~1 KB of JSON, an
 * item's description up to 10 KB) and the server's memory per statement on a bulk load of millions, while
 * keeping round trips few (one per 1,000 rows).
 */
const INSERT_AUCTIONS_CHUNK = 1_000;

/** One array per column of sql.insertAuctions, in its parameter order. */
function insertAuctionsValues(auctions: readonly Auction[]): unknown[][] {
  const values: unknown[][] = Array.from({ length: 19 }, () => new Array<unknown>(auctions.length));
  auctions.forEach((auction, i) => {
    const c = auctionColumns(auction);
    const k = catalogueColumns(auction);
    const row = [
      auction.id,
      auction.sellerId,
      c.lifecycle,
      auction.startDate,
      c.endDate,
      c.dueAt,
      c.listPrice,
      auction.createdAt,
      c.version,
      auction.item.name,
      auction.item.description,
      c.state,
      searchDocument(auction.item.name, auction.item.description),
      k.category,
      k.country,
      k.cityKey,
      k.currency,
      k.buyNow,
      k.bidCount,
    ];
    row.forEach((value, column) => (values[column]![i] = value));
  });
  return [
    ...values,
    ...columns(auctions.flatMap(attributeRows), attributeColumns, 5),
    auctions.map((a) => catalogueColumns(a).sampleBucket),
  ];
}

/**
 * Whether PostgreSQL can hold `text`: its text type cannot contain U+0000, and a parameter with one is
 * refused outright (22021). Nothing stored contains one, so a lookup by such a key (an id from a URL path,
 * a username at log-in) finds nothing, as on SQLite, instead of failing the request with 500 or 503.
 */
function storable(text: string): boolean {
  return !text.includes('\u0000');
}

/**
 * The Store on PostgreSQL, for any number of stateless nodes sharing one database. Every operation has
 * the meaning the SQLite adapter gives it and passes the same contract suite (test/store.contract.ts).
 *
 * Reads and idempotent writes run as single statements on the pool; inserts and commitBatch (one
 * locking transaction per batch, postgres-writer.ts) run as transactions. All are retried per retry.ts
 * while that is safe (transaction.ts). An unreachable server, or retries run out, is
 * StoreUnavailableError (503 STORE_UNAVAILABLE); nothing is answered that is not committed.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  /** Any number of nodes write. */
  readonly concurrentWriters = true;
  private readonly writer: PostgresWriter;
  private readonly inventory: PostgresInventory;
  private readonly webhooks: PostgresWebhooks;
  private readonly email: PostgresEmail;
  private readonly retry: RetryPolicy;
  private readonly pingTimeoutMs: number;
  private readonly readBudgetMs: number;
  private readonly readMaxWaiting: number;
  private readonly readConnections: number;
  /** Listings and searches only (see `readConnections`). */
  private readonly listingPool: pg.Pool;
  private closed = false;
  private readonly catalogue: IndexedCatalogue | null;

  private constructor(
    readonly pool: pg.Pool,
    options: PostgresStoreOptions,
  ) {
    this.retry = options.retry ?? {};
    this.pingTimeoutMs = options.pingTimeoutMs ?? 1_000;
    this.readBudgetMs = options.readBudgetMs ?? 2_000;
    this.readMaxWaiting = options.readMaxWaiting ?? 64;
    this.readConnections = options.readConnections ?? 2;
    this.writer = new PostgresWriter(pool, this.retry);
    this.inventory = new PostgresInventory(pool, this.retry);
    this.webhooks = new PostgresWebhooks(pool, this.retry);
    this.email = new PostgresEmail(pool, this.retry);
    this.listingPool = createPool({
      ...options,
      max: this.readConnections,
      connectionTimeoutMs: this.readBudgetMs,
      statementTimeoutMs: this.readBudgetMs,
    });
    this.catalogue =
      (options.catalogueIndex ?? true)
        ? new IndexedCatalogue(
            new PostgresCatalogueSource((text, values) =>
              withRetry('catalogueIndex', this.retry, true, () => this.once({ text, values })),
            ),
          )
        : null;
  }

  /** Connects (and migrates, unless `migrate: false`). Fails with StoreUnavailableError when the server is unreachable. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    if (options.migrate ?? true) {
      try {
        await withRetry('migrate', options.retry ?? {}, true, () => migrate(options.url));
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        throw new Error(`PostgreSQL migrations failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
    }
    return new PostgresStore(createPool(options), options);
  }

  /** `SELECT 1` on a pooled connection, within `pingTimeoutMs`, not retried: /readyz wants the truth now. */
  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`PostgreSQL did not answer within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
    });
    const query = (async () => {
      const client = await this.pool.connect();
      try {
        await client.query({ name: 'ping', text: sql.ping });
        client.release();
      } catch (error) {
        client.release(true);
        throw error;
      }
    })();
    try {
      await Promise.race([query, timeout]);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`PostgreSQL is unavailable: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
      query.catch(() => {});
    }
  }

  /** Ends the pools: waits for checked-out connections to come back, then closes them all. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.pool.end(), this.listingPool.end()]);
  }

  async insertUser(user: NewUserRecord): Promise<'inserted' | 'username_taken'> {
    try {
      await this.insert('insertUser', [user.id, user.username, user.displayName, user.passwordHash, user.createdAt]);
      return 'inserted';
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === '23505' && constraint === 'users_username_key') return 'username_taken';
      throw error;
    }
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    if (!storable(username)) return null;
    const row = (await this.run('findUserByUsername', [username])).rows[0];
    return row ? toUser(row) : null;
  }

  async findUsersByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    const users = new Map<string, UserRecord>();
    const keys = [...new Set(ids)].filter(storable);
    if (keys.length === 0) return users;
    for (const row of (await this.run('findUsersByIds', [keys])).rows) users.set(row.id as string, toUser(row));
    return users;
  }

  async insertSession(session: SessionRecord): Promise<void> {
    await this.insert('insertSession', [session.tokenHash, session.userId, session.createdAt, session.expiresAt]);
  }

  async findSession(tokenHash: string, now: number): Promise<SessionRecord | null> {
    const row = (await this.run('findSession', [tokenHash, now])).rows[0];
    if (!row) return null;
    return toSession(row);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.run('deleteSession', [tokenHash]);
  }

  async deleteSessionsOfUser(userId: string): Promise<void> {
    await this.run('deleteSessionsOfUser', [userId]);
  }

  /** Two short statements, each its own transaction: retention never holds locks for long. */
  async deleteExpired(input: { now: number; idempotencyBefore: number; limit: number }): Promise<RetentionResult> {
    const sessions = (await this.run('deleteExpiredSessions', [input.now, input.limit])).rowCount ?? 0;
    const idempotencyKeys =
      (await this.run('deleteOldIdempotency', [input.idempotencyBefore, input.limit])).rowCount ?? 0;
    return { sessions, idempotencyKeys };
  }

  async insertUpload(upload: UploadRecord): Promise<void> {
    await this.insert('insertUpload', [upload.name, upload.userId, upload.bytes, upload.createdAt]);
  }

  async countUploadsSince(userId: string, since: number): Promise<number> {
    return (await this.run('countUploadsSince', [userId, since])).rows[0]!.n as number;
  }

  async attachUpload(name: string, userId: string, at: number): Promise<boolean> {
    // Idempotent (COALESCE keeps the first time), so a retry answers the same.
    return (await this.run('attachUpload', [name, userId, at])).rowCount === 1;
  }

  async unattachedUploadsBefore(before: number, limit: number): Promise<string[]> {
    return (await this.run('unattachedUploadsBefore', [before, limit])).rows.map((r) => r.name as string);
  }

  async deleteUploads(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.run('deleteUploads', [[...names]]);
  }

  /** The auctions and their search words, in one transaction, one statement per INSERT_AUCTIONS_CHUNK rows. */
  async insertAuctions(auctions: readonly Auction[]): Promise<void> {
    if (auctions.length === 0) return;
    await transaction(this.pool, 'insertAuctions', this.retry, async (client) => {
      // Each chunk's columns are built just before it is sent (a retried attempt builds them again), so that a
      // bulk load holds one chunk's serialized states at a time, not all of them.
      for (let i = 0; i < auctions.length; i += INSERT_AUCTIONS_CHUNK) {
        const chunk = auctions.slice(i, i + INSERT_AUCTIONS_CHUNK);
        const values = insertAuctionsValues(chunk);
        await client.query({ name: 'insertAuctions', text: sql.insertAuctions, values });
        // Every active auction's ending-soon moment enters the index with it (see Store's "Watchlist").
        const active = chunk.filter((a) => a.lifecycle === 'active');
        if (active.length > 0)
          await client.query({
            name: 'insertEndingSoonDue',
            text: sql.insertEndingSoonDue,
            values: [active.map((a) => a.id), active.map(endingSoonAt)],
          });
      }
    });
  }

  async loadAuctions(ids: readonly string[]): Promise<Map<string, Auction>> {
    const found = new Map<string, Auction>();
    const keys = [...new Set(ids)].filter(storable);
    if (keys.length === 0) return found;
    for (const row of (await this.run('loadAuctions', [keys])).rows)
      found.set(row.auction_id as string, JSON.parse(row.state as string) as Auction);
    return found;
  }

  async auctionVersions(ids: readonly string[]): Promise<Map<string, number>> {
    const keys = [...new Set(ids)].filter(storable);
    if (keys.length === 0) return new Map();
    const rows = (await this.run('auctionVersions', [keys])).rows;
    return new Map(rows.map((r) => [r.auction_id as string, r.version as number]));
  }

  /**
   * Listings and searches run on their own small pool, within the read budget: a listing that waited or
   * ran past it is refused with StoreBusyError (the server cancels the statement at the same budget), and
   * beyond `readMaxWaiting` listings waiting for a connection, one is refused at once. A search's cost is
   * bounded by its shape (at most five terms, short terms whole words only, a GIN index), so a 503 here
   * means too many listings at once, not an expensive input.
   */
  async listAuctions(query: AuctionListQuery): Promise<Page<Auction>> {
    if (query.terms.length > SEARCH_MAX_TERMS)
      throw new RangeError(`at most ${SEARCH_MAX_TERMS} search terms, got ${query.terms.length}`);
    const { tag, length } = listingCursor(query);
    const after = query.cursor === null ? null : decodeCursor(tag, query.cursor, length);
    if (!this.storableQuery(query)) return { items: [], nextCursor: null };
    const { cursor: _cursor, ...rest } = query;
    const request: ListingRequest = { ...rest, after };
    const indexed = await this.catalogue?.list(request);
    if (indexed)
      return {
        items: indexed.items,
        nextCursor: indexed.more && indexed.last ? encodeCursor(tag, indexed.last) : null,
      };
    const rows: { seq: number; sort_value: number; state: string; group: number }[] = [];
    const statements = listingStatements(request, () => request.limit + 1 - rows.length);
    if (statements === null) return { items: [], nextCursor: null };
    const deadline = this.admitRead();
    for (const next of statements) {
      const statement = next();
      const result = await this.withinBudget(
        withRetry('listAuctions', { ...this.retry, deadline }, true, () => this.once(statement, this.listingPool)),
      );
      for (const row of result.rows as { seq: number; sort_value: number; state: string }[])
        rows.push({ ...row, group: statement.group });
      if (rows.length > request.limit) break;
    }
    const page = listingPage(request, rows);
    return { items: page.items, nextCursor: page.more && page.last ? encodeCursor(tag, page.last) : null };
  }

  catalogueIndex(load = false): { auctions: number | null } {
    if (load) this.catalogue?.startLoading();
    return { auctions: this.catalogue?.size ?? null };
  }

  async auctionFacets(query: AuctionFacetQuery): Promise<AuctionFacets> {
    const none = facetsOf({ total: 0, price: undefined, categories: [], attributes: [], scale: 1 });
    if (!this.storableQuery(query)) return none;
    const indexed = await this.catalogue?.facets(query);
    if (indexed) return indexed;
    const conditions = facetConditions(query);
    if (conditions === null) return none;
    const deadline = this.admitRead();
    const { where, values } = conditions;
    return countFacets(
      where,
      'auction_id',
      'postgres',
      async (text) =>
        (
          await this.withinBudget(
            withRetry('auctionFacets', { ...this.retry, deadline }, true, () =>
              this.once({ text, values }, this.listingPool),
            ),
          )
        ).rows as Record<string, unknown>[],
    );
  }

  /** PostgreSQL text cannot hold U+0000: a filter value with one matches nothing, as on SQLite. */
  private storableQuery(query: AuctionFacetQuery): boolean {
    const f = query.filters;
    const texts = [
      query.sellerId ?? '',
      ...(f ? [...f.categories, ...f.currencies, ...f.countries, ...f.cities, f.bidderId ?? ''] : []),
      ...(f?.attributes.flatMap((a) => [a.key, ...a.values]) ?? []),
    ];
    return texts.every(storable);
  }

  /** Admits one listing or facet read (refused when too many wait already) and returns its deadline. */
  private admitRead(): number {
    if (this.closed) throw new StoreUnavailableError('the store is closed');
    const pool = this.listingPool;
    const allBusy = pool.idleCount === 0 && pool.totalCount >= this.readConnections;
    if (allBusy && pool.waitingCount >= this.readMaxWaiting)
      throw new StoreBusyError(`${pool.waitingCount} listings are waiting already`);
    return performance.now() + this.readBudgetMs;
  }

  /** Answers within the read budget or refuses with StoreBusyError; a busy server's refusals become StoreBusyError too. */
  private async withinBudget<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreBusyError(`the listing was not answered within ${this.readBudgetMs} ms`)),
        this.readBudgetMs,
      );
    });
    try {
      return await Promise.race([work, budget]);
    } catch (error) {
      // Cancelled at statement_timeout, or no listing connection came free in time.
      const code = failureCode(error instanceof StoreUnavailableError ? error.cause : error);
      if (code === '57014' || code === CONNECT_TIMEOUT) throw new StoreBusyError(`the listing ran out of its budget`);
      throw error;
    } finally {
      clearTimeout(timer);
      work.catch(() => {});
    }
  }

  commitBatch(batch: CommitBatch): Promise<CommitResult> {
    return this.writer.commitBatch(batch);
  }

  transact(
    auctionIds: readonly string[],
    decide: (locked: ReadonlyMap<string, Auction>, reads: LockedReads) => Promise<CommitBatch>,
  ): Promise<CommitResult> {
    // An id that cannot be stored names no auction: decide sees it absent, as it sees any unknown id.
    return this.writer.transact(auctionIds.filter(storable), decide);
  }

  async userEventsAfter(userId: string, afterSeq: number, limit: number): Promise<UserEvent[]> {
    return (await this.run('userEventsAfter', [userId, afterSeq, limit])).rows.map(toUserEvent);
  }

  async lastUserEventSeq(): Promise<number> {
    return (await this.run('lastUserEventSeq', [])).rows[0]!.seq as number;
  }

  async findIdempotencyRecord(bidderId: string, auctionId: string, key: string): Promise<IdempotencyRecord | null> {
    if (![bidderId, auctionId, key].every(storable)) return null;
    const row = (await this.run('findIdempotency', [bidderId, auctionId, key])).rows[0];
    if (!row) return null;
    return toIdempotencyRecord(row);
  }

  async listBids(query: BidListQuery): Promise<Page<BidRecord>> {
    // The tag ties the cursor to this auction's listing: a cursor from another auction is refused.
    const tag = `bids-${query.status}:${query.auctionId}`;
    const before = query.cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, query.cursor, 1)[0]!;
    if (!storable(query.auctionId)) return { items: [], nextCursor: null };
    const statement = query.status === 'all' ? 'listBidsAll' : 'listBidsAccepted';
    const rows = (await this.run(statement, [query.auctionId, before, query.limit + 1])).rows;
    return keysetPage(rows, query.limit, tag, (row) => [row.seq as number], toBid);
  }

  async insertQaItem(
    item: QaItemRecord,
    webhook?: WebhookEvent,
    mail?: NewMail,
  ): Promise<'inserted' | 'already_answered'> {
    try {
      await this.insertWith(webhook, mail, 'insertQaItem', [
        item.id,
        item.kind,
        item.auctionId,
        item.questionId,
        item.authorId,
        item.text,
        item.status,
        item.createdAt,
        item.attempts,
        item.lastError,
        item.nextAttemptAt,
        item.parked,
      ]);
      return 'inserted';
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === '23505' && constraint === 'qa_items_one_answer') return 'already_answered';
      throw error;
    }
  }

  async findQaItem(id: string): Promise<QaItemRecord | null> {
    if (!storable(id)) return null;
    const row = (await this.run('findQaItem', [id])).rows[0];
    return row ? toQaItem(row) : null;
  }

  async findQuestion(auctionId: string, questionId: string): Promise<QuestionWithAnswer | null> {
    if (!storable(auctionId) || !storable(questionId)) return null;
    const row = (await this.run('findQuestion', [auctionId, questionId])).rows[0];
    return row ? toQuestionWithAnswer(row) : null;
  }

  async listQuestions(query: QuestionListQuery): Promise<Page<QuestionWithAnswer>> {
    // The tag ties the cursor to this auction and this view of it.
    const tag = `questions-${query.visibility}:${query.auctionId}`;
    const before = query.cursor === null ? Number.MAX_SAFE_INTEGER : decodeCursor(tag, query.cursor, 1)[0]!;
    if (!storable(query.auctionId)) return { items: [], nextCursor: null };
    const viewerId = query.viewerId !== null && storable(query.viewerId) ? query.viewerId : null;
    const rows = (
      query.visibility === 'all'
        ? await this.run('listQuestionsAll', [query.auctionId, before, query.limit + 1])
        : await this.run('listQuestionsPublic', [query.auctionId, before, query.limit + 1, viewerId])
    ).rows;
    return keysetPage(rows, query.limit, tag, (row) => [row.seq as number], toQuestionWithAnswer);
  }

  async settleQaItem(
    id: string,
    status: 'published' | 'rejected',
    webhook?: WebhookEvent,
    mail?: NewMail,
  ): Promise<boolean> {
    if (!storable(id)) return false;
    // Not repeated after an unknown outcome (as an insert): a repeat would report "already decided".
    return (await this.insertWith(webhook, mail, 'settleQaItem', [id, status])).rowCount === 1;
  }

  async claimQaModeration(now: number, leaseUntil: number, limit: number): Promise<QaItemRecord[]> {
    const rows = (await this.insert('claimQaModeration', [now, leaseUntil, limit])).rows;
    return rows.sort((a, b) => (a.seq as number) - (b.seq as number)).map(toQaItem);
  }

  async recordQaModerationFailure(id: string, failure: QaModerationFailure): Promise<boolean> {
    if (!storable(id)) return false;
    // Guarded by the previous count: harmless to repeat.
    const lastError = failure.lastError.replaceAll('\u0000', ''); // text cannot hold U+0000 (see storable)
    const values = [id, failure.attempts, lastError, failure.nextAttemptAt, failure.parked];
    return (await this.run('recordQaModerationFailure', values)).rowCount === 1;
  }

  async qaModerationQueue(limit: number): Promise<QaItemRecord[]> {
    return (await this.run('qaModerationQueue', [limit])).rows.map(toQaItem);
  }

  async insertChatMessage(message: ChatMessageRecord): Promise<void> {
    await this.insert('insertChatMessage', [
      message.id,
      message.auctionId,
      message.userId,
      message.displayName,
      message.text,
      message.sentAt,
    ]);
  }

  async recentChatMessages(auctionId: string, limit: number): Promise<ChatMessageRecord[]> {
    if (!storable(auctionId)) return [];
    return (await this.run('recentChatMessages', [auctionId, limit])).rows.reverse().map(toChatMessage);
  }

  async deleteEndedChat(before: number, limit: number): Promise<number> {
    // A delete is harmless to repeat: what a lost answer deleted is simply not found again.
    return (await this.run('deleteEndedChat', [before, limit])).rowCount ?? 0;
  }

  async leaderboard(auctionId: string, limit: number): Promise<LeaderboardRow[]> {
    if (!storable(auctionId)) return [];
    return (await this.run('leaderboard', [auctionId, limit])).rows.map(toLeaderboardRow);
  }

  async eventsAfter(auctionId: string, afterVersion: number, limit: number): Promise<StoredEvent[]> {
    if (!storable(auctionId)) return [];
    return (await this.run('eventsAfter', [auctionId, afterVersion, limit])).rows.map(toStoredEvent);
  }

  async settlementCandidates(auctionId: string): Promise<Candidate[]> {
    if (!storable(auctionId)) return [];
    return (await this.run('settlementCandidates', [auctionId])).rows.map(toCandidate);
  }

  async bidderActivity(bidderId: string, limit: number, cursor: string | null): Promise<Page<BidderActivity>> {
    const tag = `activity:${bidderId}`;
    const [beforeAt, beforeSeq] =
      cursor === null ? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : decodeCursor(tag, cursor, 2);
    const rows = (await this.run('bidderActivity', [bidderId, beforeAt, beforeSeq, limit + 1])).rows;
    return keysetPage(rows, limit, tag, (row) => [row.last_bid_at as number, row.seq as number], toBidderActivity);
  }

  async bidderActivityOn(bidderId: string, auctionId: string): Promise<BidderActivity | null> {
    if (!storable(bidderId) || !storable(auctionId)) return null;
    const row = (await this.run('bidderActivityOn', [auctionId, bidderId])).rows[0];
    return row ? toBidderActivity(row) : null;
  }

  async nextDueTime(): Promise<number | null> {
    const row = (await this.run('nextDueTime', [])).rows[0];
    return row ? (row.due_at as number) : null;
  }

  async dueAuctionIds(now: number, limit: number): Promise<string[]> {
    return (await this.run('dueAuctionIds', [now, limit])).rows.map((r) => r.auction_id as string);
  }

  watch(input: WatchInput): Promise<{ found: false } | { found: true; notification: UserEvent | null }> {
    if (![input.userId, input.auctionId].every(storable)) return Promise.resolve({ found: false });
    return this.writer.watch(input);
  }

  async unwatch(userId: string, auctionId: string): Promise<void> {
    if ([userId, auctionId].every(storable)) await this.writer.unwatch(userId, auctionId);
  }

  async watcherCounts(auctionIds: readonly string[]): Promise<Map<string, number>> {
    const keys = [...new Set(auctionIds)].filter(storable);
    if (keys.length === 0) return new Map();
    const rows = (await this.run('watcherCounts', [keys])).rows;
    return new Map(rows.map((r) => [r.auction_id as string, r.watchers as number]));
  }

  async listWatchlist(userId: string, limit: number, cursor: string | null): Promise<Page<Auction>> {
    const tag = `watchlist:${userId}`;
    const [afterEnd, afterSeq] = cursor === null ? [Number.MIN_SAFE_INTEGER, 0] : decodeCursor(tag, cursor, 2);
    if (!storable(userId)) return { items: [], nextCursor: null };
    const rows = (await this.run('listWatchlist', [userId, afterEnd, afterSeq, limit + 1])).rows;
    return keysetPage(
      rows,
      limit,
      tag,
      (row) => [row.end_date as number, row.seq as number],
      (row) => JSON.parse(row.state as string) as Auction,
    );
  }

  async nextEndingSoonTime(): Promise<number | null> {
    const row = (await this.run('nextEndingSoonTime', [])).rows[0];
    return row ? (row.due_at as number) : null;
  }

  async dueEndingSoon(now: number, limit: number): Promise<Auction[]> {
    return (await this.run('dueEndingSoon', [now, limit])).rows.map((r) => JSON.parse(r.state as string) as Auction);
  }

  deliverEndingSoon(now: number, notices: readonly EndingSoonNotice[], limit: number): Promise<EndingSoonDelivery> {
    if (notices.length === 0) return Promise.resolve({ notifications: [], settled: 0 });
    return this.writer.deliverEndingSoon(now, notices, limit);
  }

  upsertInventoryItems(
    sellerId: string,
    items: readonly InventoryItemInput[],
    now: number,
    dueAt: number,
  ): Promise<InventoryUpsertResult[]> {
    return this.inventory.upsertItems(sellerId, items, now, dueAt);
  }

  findInventoryItems(sellerId: string, externalIds: readonly string[]): Promise<Map<string, InventoryItemRecord>> {
    return this.inventory.findItems(sellerId, externalIds.filter(storable));
  }

  listInventoryItems(sellerId: string, limit: number, cursor: string | null): Promise<Page<InventoryItemRecord>> {
    return this.inventory.listItems(sellerId, limit, cursor);
  }

  async deleteInventoryItem(
    sellerId: string,
    externalId: string,
    now: number,
    dueAt: number,
  ): Promise<InventoryItemRecord | null> {
    if (!storable(externalId)) return null;
    return this.inventory.deleteItem(sellerId, externalId, now, dueAt);
  }

  async linkInventoryAuction(link: NewInventoryLink, dueAt: number): Promise<boolean> {
    if (!storable(link.externalId)) return false;
    return this.inventory.linkAuction(link, dueAt);
  }

  inventoryLinksOf(sellerId: string, externalIds: readonly string[]): Promise<InventoryLink[]> {
    return this.inventory.linksOf(sellerId, externalIds.filter(storable));
  }

  claimInventoryLinks(now: number, leaseUntil: number, limit: number): Promise<InventoryLink[]> {
    return this.inventory.claimLinks(now, leaseUntil, limit);
  }

  settleInventoryLinks(settled: readonly InventoryLinkSettlement[]): Promise<void> {
    return this.inventory.settleLinks(settled);
  }

  insertWebhook(webhook: WebhookRecord, max: number): Promise<boolean> {
    return this.webhooks.insertWebhook(webhook, max);
  }

  listWebhooks(ownerId: string): Promise<WebhookRecord[]> {
    return storable(ownerId) ? this.webhooks.listWebhooks(ownerId) : Promise.resolve([]);
  }

  findWebhook(ownerId: string, id: string): Promise<WebhookRecord | null> {
    return storable(ownerId) && storable(id) ? this.webhooks.findWebhook(ownerId, id) : Promise.resolve(null);
  }

  deleteWebhook(ownerId: string, id: string): Promise<boolean> {
    return storable(ownerId) && storable(id) ? this.webhooks.deleteWebhook(ownerId, id) : Promise.resolve(false);
  }

  listWebhookDeliveries(webhookId: string, limit: number, cursor: string | null): Promise<Page<WebhookDeliveryRecord>> {
    return this.webhooks.listDeliveries(webhookId, limit, cursor);
  }

  retryWebhookDelivery(
    webhookId: string,
    deliveryId: string,
    now: number,
  ): Promise<'retried' | 'not_failed' | 'not_found'> {
    if (!storable(webhookId) || !storable(deliveryId)) return Promise.resolve('not_found');
    return this.webhooks.retryDelivery(webhookId, deliveryId, now);
  }

  claimWebhookDeliveries(now: number, leaseUntil: number, limit: number): Promise<ClaimedWebhookDelivery[]> {
    return this.webhooks.claim(now, leaseUntil, limit);
  }

  settleWebhookDeliveries(outcomes: readonly WebhookDeliveryOutcome[]): Promise<void> {
    return this.webhooks.settle(outcomes);
  }

  insertEmailToken(token: EmailTokenRecord, mail: NewMail): Promise<void> {
    return this.email.insertToken(token, mail);
  }

  verifyEmail(
    tokenHash: string,
    now: number,
    mailKey: string,
  ): Promise<{ outcome: 'verified'; user: UserRecord } | { outcome: 'invalid' | 'taken' }> {
    if (!storable(tokenHash)) return Promise.resolve({ outcome: 'invalid' });
    return this.email.verifyEmail(tokenHash, now, mailKey);
  }

  resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
  ): Promise<{ outcome: 'reset'; userId: string } | { outcome: 'invalid' }> {
    if (!storable(tokenHash)) return Promise.resolve({ outcome: 'invalid' });
    return this.email.resetPassword(tokenHash, passwordHash, now);
  }

  findUserByEmail(email: string): Promise<UserRecord | null> {
    return storable(email) ? this.email.findUserByEmail(email) : Promise.resolve(null);
  }

  setMailOff(userId: string, off: readonly string[]): Promise<boolean> {
    return storable(userId) ? this.email.setMailOff(userId, off) : Promise.resolve(false);
  }

  claimMails(now: number, leaseUntil: number, limit: number, outbidWindowMs: number): Promise<ClaimedMail[]> {
    return this.email.claim(now, leaseUntil, limit, outbidWindowMs);
  }

  deleteSettledOutbox(input: { now: number; settledBefore: number; limit: number }): Promise<OutboxRetentionResult> {
    return this.email.deleteSettled(input);
  }

  settleMails(outcomes: readonly MailOutcome[]): Promise<void> {
    return this.email.settle(outcomes);
  }

  /** A read, or a write that is harmless to repeat (a delete, an idempotent update): retried on any retryable failure. */
  private run(name: StatementName, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return withRetry(name, this.retry, true, () => this.once({ name, text: sql[name], values }));
  }

  /**
   * An insert (not harmless to repeat): one statement in its own BEGIN … COMMIT, so that a connection
   * that turns out dead (after a server restart, say) fails before COMMIT and the insert is retried on a
   * fresh one; only a failure while COMMIT is in flight is not (see transaction.ts).
   */
  private insert(name: StatementName, values: unknown[]): Promise<pg.QueryResult<Row>> {
    return transaction(this.pool, name, this.retry, (client) => client.query<Row>({ name, text: sql[name], values }));
  }

  /** `insert`, and when it changed a row, the webhook deliveries and the mail in the same transaction. */
  private insertWith(
    webhook: WebhookEvent | undefined,
    mail: NewMail | undefined,
    name: StatementName,
    values: unknown[],
  ) {
    if (webhook === undefined && mail === undefined) return this.insert(name, values);
    return transaction(this.pool, name, this.retry, async (client) => {
      const result = await client.query<Row>({ name, text: sql[name], values });
      if (result.rowCount === 1 && webhook) await this.webhooks.writeEvents(client, [webhook]);
      if (result.rowCount === 1 && mail) await this.email.writeMail(client, mail);
      return result;
    });
  }

  private async once(
    statement: { name?: StatementName; text: string; values: unknown[] },
    pool = this.pool,
  ): Promise<pg.QueryResult<Row>> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      // Nothing was sent: always safe to try again.
      throw new AttemptFailure(error, true);
    }
    try {
      const result = await client.query<Row>(statement);
      client.release();
      return result;
    } catch (error) {
      const code = failureCode(error);
      // A connection that failed is discarded, not handed to the next caller.
      client.release(code !== null && RETRYABLE.get(code) === 'connection');
      throw error;
    }
  }
}
