import type { Auction, AuctionStatus, BidFacts, Candidate } from '../domain/index.ts';

/**
 * The Store port. Every adapter (sqlite/ now, postgres/ next) implements these
 * operations with the same meaning and passes test/store.contract.ts.
 *
 * Two ways to write decided commands: `commitBatch` for a writer that owns its
 * auctions (it decides on its own copy of the states, and the store checks the
 * versions they were decided from), and `transact` for writers sharing them
 * (the store locks the rows, the caller decides on the locked states).
 */
export interface Store {
  readonly kind: string;
  /**
   * Whether other processes may commit to the same auctions (PostgreSQL with several nodes). The
   * sequencer then never decides a batch on top of one that is still committing: a version number alone
   * cannot tell the state it decided on from another node's state committed meanwhile under the same
   * number (A-B-A), so it decides only on committed states, whose versions do identify them.
   */
  readonly concurrentWriters: boolean;
  /** Cheap check that storage answers (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;

  insertUser(user: UserRecord): Promise<'inserted' | 'username_taken'>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  findUsersByIds(ids: readonly string[]): Promise<Map<string, UserRecord>>;

  insertSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: string, now: number): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of one user ("log out everywhere"). */
  deleteSessionsOfUser(userId: string): Promise<void>;
  /**
   * Retention: deletes sessions expired at `now` and idempotency records created before
   * `idempotencyBefore`, at most `limit` of each per call (callers loop: short write transactions keep
   * the bid path's commits from waiting behind a big delete). Returns how many of each went.
   */
  deleteExpired(input: { now: number; idempotencyBefore: number; limit: number }): Promise<RetentionResult>;

  /** Records an uploaded picture (before its file is written). */
  insertUpload(upload: UploadRecord): Promise<void>;
  /** How many pictures a user uploaded at or after `since` (the per-user quota). */
  countUploadsSince(userId: string, since: number): Promise<number>;
  /** Marks an upload as used by an auction; false when there is no such upload of this user. */
  attachUpload(name: string, userId: string, at: number): Promise<boolean>;
  /** Uploads no auction took that were created before `before`, oldest first. */
  unattachedUploadsBefore(before: number, limit: number): Promise<string[]>;
  deleteUploads(names: readonly string[]): Promise<void>;

  /**
   * Stores new auctions in ONE transaction: every one of them (readable, searchable, in the due-time
   * index), or, when any of them fails (an id already stored or twice in the
   * array, a seller that does not exist), none. They are inserted in array order (the insertion order that
   * listings break ties with). An empty array writes nothing. The sequencer's group commit of creates and
   * bulk loads use it; the caller bounds the size (one call is one transaction, held in memory whole).
   */
  insertAuctions(auctions: readonly Auction[]): Promise<void>;
  loadAuctions(ids: readonly string[]): Promise<Map<string, Auction>>;
  /** The committed version of each auction that exists (cheap: no state is read). */
  auctionVersions(ids: readonly string[]): Promise<Map<string, number>>;
  /**
   * Lists and searches auctions. A search is bounded by its shape (see `AuctionListQuery.terms`), so that
   * no single query is expensive; an adapter may still refuse a listing with `StoreBusyError` when it is
   * overloaded (too many listings at once), never because of what was asked.
   */
  listAuctions(query: AuctionListQuery): Promise<Page<Auction>>;

  /**
   * Writes a whole batch of decided commands in one durable transaction, after checking that every
   * auction it changed or judged against is still at the version the batch was decided from (else
   * VersionConflictError, nothing written). For a writer that decides on its own copy of the states: the
   * embedded store's only writer, which decides the next batch while the previous one commits. Batches
   * from one caller commit in the order they were handed over.
   */
  commitBatch(batch: CommitBatch): Promise<CommitResult>;
  /**
   * Decides and writes one batch under its auctions' locks, for writers that share the auctions with
   * other processes: locks `auctionIds` (always in one order, so two transacts cannot deadlock), reads
   * their committed states, calls `decide` with them (ids that do not exist are absent), writes the batch
   * it returns exactly as `commitBatch` does and commits once.
   *
   * ORDERING: transacts on one auction are serialized by its lock. One that starts after another's commit
   * returned decides on that commit's state or a later one; one caller's transacts take their locks in the
   * order they were called. `decide` must be pure apart from `reads` (which run inside the transaction): it
   * may run again when the transaction is retried, and only its last batch is written.
   * Throws IdempotencyKeyConflictError like commitBatch (nothing written).
   */
  transact(
    auctionIds: readonly string[],
    decide: (locked: ReadonlyMap<string, Auction>, reads: LockedReads) => Promise<CommitBatch>,
  ): Promise<CommitResult>;
  /** A user's notifications with seq > `afterSeq`, ascending, at most `limit`. */
  userEventsAfter(userId: string, afterSeq: number, limit: number): Promise<UserEvent[]>;
  /** The highest notification seq there is (0 when none). */
  lastUserEventSeq(): Promise<number>;
  findIdempotencyRecord(bidderId: string, auctionId: string, key: string): Promise<IdempotencyRecord | null>;
  listBids(query: BidListQuery): Promise<Page<BidRecord>>;
  leaderboard(auctionId: string, limit: number): Promise<LeaderboardRow[]>;
  /** Stored events with version > `afterVersion`, ascending, at most `limit`. */
  eventsAfter(auctionId: string, afterVersion: number, limit: number): Promise<StoredEvent[]>;
  /** Distinct bidders by their own highest bid (their maximum under proxy bidding), highest first, earlier first on ties. */
  settlementCandidates(auctionId: string): Promise<Candidate[]>;
  /** The auctions a user bid on, most recent activity first, with their best bid and maximum. */
  bidderActivity(bidderId: string, limit: number, cursor: string | null): Promise<Page<BidderActivity>>;
  /** One user's activity on one auction (as in `bidderActivity`), or null when they have no accepted bid there. */
  bidderActivityOn(bidderId: string, auctionId: string): Promise<BidderActivity | null>;

  /** Earliest due time (an active auction's end, a pending settlement's deadline): the due-time index. */
  nextDueTime(): Promise<number | null>;
  /**
   * Ids of auctions whose due time is `<= now`, earliest first. An adapter with concurrent writers may
   * leave out auctions another writer is changing at that moment (they are still due next time).
   */
  dueAuctionIds(now: number, limit: number): Promise<string[]>;

  // Questions and answers, and their moderation queue (see QaItemRecord).
  /** Stores a question or an answer; a second answer to one question is `already_answered`, nothing stored. */
  insertQaItem(item: QaItemRecord): Promise<'inserted' | 'already_answered'>;
  /** One question or answer by id, or null. */
  findQaItem(id: string): Promise<QaItemRecord | null>;
  /** One question with its answer (if any, in any status), or null when there is no such question. */
  findQuestion(auctionId: string, questionId: string): Promise<QuestionWithAnswer | null>;
  /** An auction's questions, newest first, each with its answer; which ones depends on who asks (QuestionListQuery). */
  listQuestions(query: QuestionListQuery): Promise<Page<QuestionWithAnswer>>;
  /**
   * Ends an item's moderation with a verdict: its status becomes `status`, and it leaves the queue (and the
   * dead letter). Only an item still `pending_review` changes: false when it was already decided (a late
   * answer from the service never overrides a moderator, nor the other way round).
   */
  settleQaItem(id: string, status: 'published' | 'rejected'): Promise<boolean>;
  /**
   * Takes up to `limit` queued items whose next attempt is due at `now` (the longest due first), returned
   * oldest first, and moves their next attempt to `leaseUntil`: until then no other caller (another node) takes them, and if this caller
   * dies they come back by themselves. Parked items are never taken.
   */
  claimQaModeration(now: number, leaseUntil: number, limit: number): Promise<QaItemRecord[]>;
  /**
   * Records a failed attempt at the external service: `attempts` (the new count, exactly one more than
   * stored: a repeated call changes nothing), the failure, and either the next attempt or the dead letter
   * (`nextAttemptAt` null and `parked`). False when the item was decided meanwhile or the count moved.
   */
  recordQaModerationFailure(id: string, failure: QaModerationFailure): Promise<boolean>;
  /** Items waiting for a verdict (queued or parked), oldest first: the moderators' queue. */
  qaModerationQueue(limit: number): Promise<QaItemRecord[]>;

  // The live room's chat.
  insertChatMessage(message: ChatMessageRecord): Promise<void>;
  /** The auction's last `limit` messages, oldest first (the live room's snapshot). */
  recentChatMessages(auctionId: string, limit: number): Promise<ChatMessageRecord[]>;
  /**
   * Retention: deletes the messages of auctions that are no longer active and whose end (`endDate`) is before
   * `before`, at most `limit` per call (callers loop). Returns how many went.
   */
  deleteEndedChat(before: number, limit: number): Promise<number>;
}

export interface ChatMessageRecord {
  id: string;
  auctionId: string;
  userId: string;
  /** The sender's display name when the message was sent. */
  displayName: string;
  /** As moderated (personal data replaced). */
  text: string;
  sentAt: number;
}

export type QaStatus = 'published' | 'pending_review' | 'rejected';

/**
 * A question or an answer: a text that is moderated before anyone but its author (and, for questions, the
 * seller) sees it. The moderation queue lives on the same row: an item waits in it while its status is
 * `pending_review` and the external service has not given a verdict.
 */
export interface QaItemRecord {
  id: string;
  kind: 'question' | 'answer';
  auctionId: string;
  /** An answer's question; null for a question. */
  questionId: string | null;
  authorId: string;
  /** As screened by the built-in rules (personal data already replaced): never personal data in clear. */
  text: string;
  status: QaStatus;
  createdAt: number;
  /** Failed attempts at the external moderation service so far. */
  attempts: number;
  lastError: string | null;
  /** When the external service is to be asked (again); null when not queued. */
  nextAttemptAt: number | null;
  /** The dead letter: the service failed too often; the item waits for a moderator's decision. */
  parked: boolean;
}

/** A failed attempt at the external service, as `recordQaModerationFailure` stores it. */
export type QaModerationFailure = Pick<QaItemRecord, 'attempts' | 'nextAttemptAt' | 'parked'> & { lastError: string };

export interface QuestionWithAnswer {
  question: QaItemRecord;
  answer: QaItemRecord | null;
}

export interface QuestionListQuery {
  auctionId: string;
  /**
   * `all`: every question (the seller's view); otherwise the published ones plus, when `viewerId` is set,
   * that user's own in any status. Answers come in any status: the caller shows each to whom it may.
   */
  visibility: 'all' | 'public';
  viewerId: string | null;
  limit: number;
  cursor: string | null;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: number;
}

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface UploadRecord {
  /** The stored file's name (server-chosen). */
  name: string;
  userId: string;
  bytes: number;
  createdAt: number;
}

export interface RetentionResult {
  sessions: number;
  idempotencyKeys: number;
}

/** A stored bid: the domain's facts about it (see `BidFacts` for each field). */
export type BidRecord = BidFacts;

export interface StoredEvent {
  auctionId: string;
  version: number;
  type: 'bid' | 'closed' | 'cancelled' | 'extended' | 'settlement' | 'item_updated';
  /** The event's data as serialized JSON, exactly as sent to watchers. */
  data: string;
  createdAt: number;
}

export interface IdempotencyRecord {
  bidderId: string;
  auctionId: string;
  key: string;
  /** Fingerprint of the request body; a different body under the same key is refused. */
  requestHash: string;
  /** Whether the first answer accepted the bid (else it refused it). */
  accepted: boolean;
  bidId: string;
  /** The response body as first answered (JSON). */
  response: string;
  createdAt: number;
}

export interface CommitBatch {
  bids: BidRecord[];
  /** New auction states with the version each was decided from. */
  auctions: { before: number; after: Auction }[];
  events: StoredEvent[];
  idempotency: IdempotencyRecord[];
  /** Auctions the batch judged commands against without changing them: their stored version must match. */
  unchanged?: { auctionId: string; version: number }[];
  /** Per-user notifications; their seqs come back in `CommitResult`, in the same order. */
  notifications: { userId: string; type: string; data: string; createdAt: number }[];
}

/** What `Store.transact`'s decide may read, consistent with the locked states. */
export interface LockedReads {
  settlementCandidates(auctionId: string): Promise<Candidate[]>;
}

export interface CommitResult {
  notificationSeqs: number[];
}

export interface UserEvent {
  seq: number;
  userId: string;
  type: string;
  /** Serialized JSON, as sent. */
  data: string;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type AuctionSort = 'ending_soon' | 'newest' | 'price_asc' | 'price_desc';

/** A search has at most this many terms; more is a caller's bug (the HTTP layer answers 400 first). */
export const SEARCH_MAX_TERMS = 5;
/**
 * A term this long or longer (in characters) matches every word that starts with it; a shorter one only
 * the whole word. One or two letters would otherwise stand for thousands of words, and expanding them is
 * what made a search cost hundreds of milliseconds.
 */
export const SEARCH_PREFIX_MIN_LENGTH = 3;

export interface AuctionListQuery {
  status: AuctionStatus | null;
  sellerId: string | null;
  /**
   * Free text, already reduced to search terms by the caller (letters and digits), at most
   * `SEARCH_MAX_TERMS`. Every term must match a word of the item's name or description, case- and
   * accent-insensitively: by prefix from `SEARCH_PREFIX_MIN_LENGTH` characters on, else as a whole word.
   * An adapter may also match a prefix shared by a great many indexed words as a whole word only.
   */
  terms: string[];
  sort: AuctionSort;
  limit: number;
  cursor: string | null;
  /** Status is computed against this clock reading. */
  now: number;
  /**
   * When set, each item's `item.description` is only its first `descriptionChars` UTF-16 code units (one
   * more where the cut would split a surrogate pair); the rest of each item is the stored state. For lists
   * that show a summary: a page of 100 auctions otherwise carries up to 1 MB of descriptions around
   * (measured: copying them from a reader thread costs ~1 ms of the event loop per page). Default: whole.
   */
  descriptionChars?: number;
}

export interface BidListQuery {
  auctionId: string;
  status: 'accepted' | 'all';
  limit: number;
  cursor: string | null;
}

export interface BidderActivity {
  auction: Auction;
  /** The bidder's highest accepted (visible) bid. */
  highestBid: number;
  /** PRIVATE: their highest maximum (proxy bidding), else null. */
  maximum: number | null;
  lastBidAt: number;
}

export interface LeaderboardRow {
  bidderId: string;
  displayName: string;
  amount: number;
  bidAt: number;
}

/** The stored state changed under us: another writer committed first. Retry the batch. */
export class VersionConflictError extends Error {
  constructor(readonly auctionId: string) {
    super(`auction ${auctionId} changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

/**
 * A batch carries an idempotency record whose (bidder, auction, key) is already stored: another request
 * with that key committed first (on another node, or in an earlier batch). Nothing of the batch was
 * written; the sequencer answers that command with the stored answer and decides the rest again.
 */
export class IdempotencyKeyConflictError extends Error {
  constructor(readonly keys: { bidderId: string; auctionId: string; key: string }[]) {
    super(`idempotency key already stored: ${keys.map((k) => k.key).join(', ')}`);
    this.name = 'IdempotencyKeyConflictError';
  }
}

/** The store cannot take writes (its writer is gone, the disk refuses). The HTTP layer answers 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The store has more reads in hand than it can answer in time: a listing waited or ran past its budget, or
 * too many were waiting already. Nothing is wrong with the request; the HTTP layer answers 503 with
 * Retry-After.
 */
export class StoreBusyError extends StoreUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

/** A cursor that this store did not issue. The HTTP layer answers 400. */
export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}
