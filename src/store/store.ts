import type { Auction, AuctionStatus, BidFacts, Candidate, InventoryContent } from '../domain/index.ts';

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

  insertUser(user: NewUserRecord): Promise<'inserted' | 'username_taken'>;
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
  /**
   * Retention of the outboxes and links: deletes link tokens expired at `now`, and mails and webhook
   * deliveries that were settled (sent, skipped, delivered, failed: never a pending one) and queued before
   * `settledBefore`, at most `limit` of each per call. Returns how many of each went.
   */
  deleteSettledOutbox(input: { now: number; settledBefore: number; limit: number }): Promise<OutboxRetentionResult>;

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
   * Counts over the auctions a listing with the same status, seller, terms and filters would return:
   * the total, the most frequent categories and attribute values (up to FACET_VALUES_MAX each, most
   * frequent first, ties by value), and the lowest and highest list price. Exact when the total is at most
   * FACETS_EXACT_MAX; above that the counts may be estimated from a sample (`exact: false`). Refused with
   * StoreBusyError like a listing when overloaded.
   */
  auctionFacets(query: AuctionFacetQuery): Promise<AuctionFacets>;
  /**
   * The in-memory catalogue index that answers listings and facets without search terms (see
   * indexed-catalogue.ts), if the adapter keeps one: `load` starts its full load in the background unless
   * it is loaded or loading (the first listing would); `auctions` is how many it holds once loaded, else
   * null (also without an index). Answers are the same with or without it; only their cost differs.
   */
  catalogueIndex(load?: boolean): { auctions: number | null };

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
  insertQaItem(item: QaItemRecord, webhook?: WebhookEvent, mail?: NewMail): Promise<'inserted' | 'already_answered'>;
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
  settleQaItem(id: string, status: 'published' | 'rejected', webhook?: WebhookEvent, mail?: NewMail): Promise<boolean>;
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

  // Watchlist, and the ending_soon notices of watchers and bidders (api.md "Watchlist"). An auction's
  // ending-soon moment (domain `endingSoonAt`) is kept in an index of its own, entered by insertAuctions for
  // every active auction: the closer wakes for the earliest one (`nextEndingSoonTime`) as for the due times.
  // Each user hears ending_soon about an auction at most once, ever: every adapter records who had it, in the
  // same transaction as the notification, and never writes a second one.
  /**
   * Puts the auction on the user's watchlist; idempotent (watching again changes nothing, not even the
   * watcher count). `{ found: false }` when there is no such auction (nothing stored).
   *
   * In the same transaction, when the auction is open at `at` (active, started, not ended) and its
   * ending-soon moment is no longer in the index (`deliverEndingSoon` handed it out), the user is sent
   * `notice` as an `ending_soon` notification unless they had one for this auction; it comes back as
   * `notification` (else null), for the caller to publish.
   */
  watch(input: WatchInput): Promise<{ found: false } | { found: true; notification: UserEvent | null }>;
  /** Takes the auction off the user's watchlist; idempotent (not watching, or no such auction, is no error). */
  unwatch(userId: string, auctionId: string): Promise<void>;
  /** How many users watch each of these auctions; an auction nobody watches (or that does not exist) is absent. */
  watcherCounts(auctionIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * The auctions a user watches (any status), soonest `endDate` first, insertion order on ties; keyset
   * pages (a cursor from another user's watchlist is InvalidCursorError).
   */
  listWatchlist(userId: string, limit: number, cursor: string | null): Promise<Page<Auction>>;
  /** The earliest ending-soon moment in the index (handed out or not yet), or null when there is none. */
  nextEndingSoonTime(): Promise<number | null>;
  /**
   * The committed states of the auctions whose ending-soon moment is `<= now`, earliest first, at most
   * `limit`: what the caller renders the notices of before `deliverEndingSoon`. A read: another node may
   * hand the same moments out first (then deliverEndingSoon skips them).
   */
  dueEndingSoon(now: number, limit: number): Promise<Auction[]>;
  /**
   * Hands out due ending-soon moments, in ONE transaction, exactly once across calls, restarts and nodes.
   * For each notice's auction, in order, whose moment is still in the index and `<= now` (one another caller
   * holds or took is skipped), judged on the auction's stored end (it may have moved since the notice was
   * rendered):
   * - not active any more, or ended at `now`: the moment leaves the index, nobody is told;
   * - its moment, computed again from the stored end, is now later than `now` (an extension): the moment
   *   moves there, nobody is told yet;
   * - else every watcher and every bidder with an accepted bid who has not had ending_soon about it gets the
   *   notice's `data` as an `ending_soon` notification (created at `now`), and the moment leaves the index.
   * At most `limit` notifications are written per call: an auction whose recipients do not all fit keeps its
   * moment (still due) and the rest get theirs from a later call. Returns the notifications written (in seq
   * order, for the caller to publish) and how many moments left the index or moved.
   */
  deliverEndingSoon(now: number, notices: readonly EndingSoonNotice[], limit: number): Promise<EndingSoonDelivery>;

  // Inventory (api.md "Inventory sync", docs/inventory.md): each seller's items under the seller's own ids
  // (two sellers' ids never meet), and a link from each item to every auction that sells it. A link records
  // the item revision its auction shows; a link whose item has a newer revision is PENDING: the durable list
  // of auctions still to be brought up to date (or cancelled, once the item is deleted), kept in a due-time
  // index of its own so that a sweep reads only what is pending. A deleted item stays as a tombstone.
  /**
   * Creates or replaces items of one seller in ONE transaction, in array order (an externalId given twice
   * applies twice, the later on top of the earlier). Each entry is:
   * - `created` when the seller has no such item, or only its tombstone: revision 1 (a tombstone's revision
   *   + 1), createdAt = updatedAt = `now`;
   * - `unchanged` when its content text (domain `inventoryContentText`) is the stored one: NOTHING is written
   *   (same revision, same updatedAt);
   * - `updated` otherwise: revision + 1, updatedAt = `now`.
   * Every link of a created-over-tombstone or updated item takes the new revision as its item revision and
   * `dueAt` as its next attempt: it is pending. Returns one result per entry, in order, each with the item
   * as stored after that entry. The caller bounds the array (one transaction, held in memory whole).
   */
  upsertInventoryItems(
    sellerId: string,
    items: readonly InventoryItemInput[],
    now: number,
    dueAt: number,
  ): Promise<InventoryUpsertResult[]>;
  /** One seller's items by externalId, tombstones included (`deletedAt` set); ids it has no item of are absent. */
  findInventoryItems(sellerId: string, externalIds: readonly string[]): Promise<Map<string, InventoryItemRecord>>;
  /**
   * One seller's items that are not deleted, in creation order, keyset pages (a cursor from another seller's
   * listing is InvalidCursorError).
   */
  listInventoryItems(sellerId: string, limit: number, cursor: string | null): Promise<Page<InventoryItemRecord>>;
  /**
   * Deletes an item, in one transaction: it becomes a tombstone (`deletedAt` = `now`, revision + 1, content
   * kept) and every link of it is pending (next attempt `dueAt`), for its auction to be cancelled. Returns
   * the tombstone, or null (nothing written) when the seller has no such item or it is deleted already.
   */
  deleteInventoryItem(
    sellerId: string,
    externalId: string,
    now: number,
    dueAt: number,
  ): Promise<InventoryItemRecord | null>;
  /**
   * Links an auction to the item it is about to sell, BEFORE the auction is stored, so that no auction of an
   * item ever lacks its link (a link whose auction never comes to be is settled `over` later). The link
   * shows `shownRevision` and takes the item's current revision: when the item moved on since the caller
   * read it, the link is pending at once (next attempt `dueAt`). False, nothing written, when the seller has
   * no such item or only its tombstone. Linking the same auction again changes nothing (true).
   */
  linkInventoryAuction(link: NewInventoryLink, dueAt: number): Promise<boolean>;
  /** Every link of these items of one seller (their auctions that are not known to be over), pending or not. */
  inventoryLinksOf(sellerId: string, externalIds: readonly string[]): Promise<InventoryLink[]>;
  /**
   * Takes up to `limit` pending links whose next attempt is due at `now` (the longest due first) and moves
   * their next attempt to `leaseUntil`: until then no other caller (another node) takes them, and if this
   * caller dies they come back by themselves. Settled (not pending) links are never read.
   */
  claimInventoryLinks(now: number, leaseUntil: number, limit: number): Promise<InventoryLink[]>;
  /**
   * Records what became of links, in one transaction: `over` deletes the link (its auction ended, was
   * cancelled, or never came to be); else its shown revision becomes `shownRevision` unless it is already
   * higher (never lowered). A link whose item moved on further meanwhile stays pending. Unknown links are
   * skipped.
   */
  settleInventoryLinks(settled: readonly InventoryLinkSettlement[]): Promise<void>;

  // Webhooks (docs/webhooks.md): a seller's subscriptions, and the OUTBOX of their deliveries. A delivery
  // row is written in the same transaction as the change it reports (CommitBatch.webhookEvents,
  // insertQaItem/settleQaItem's `webhook`): one per subscribed webhook of the auction's seller. It is
  // PENDING until delivered or failed; per (webhook, auction) only the oldest pending one is handed out, so
  // the receiver sees an auction's events in the order they were written (which is version order).
  /** Stores a webhook unless its owner has `max` already (then false, nothing written). */
  insertWebhook(webhook: WebhookRecord, max: number): Promise<boolean>;
  /** One owner's webhooks, oldest first. */
  listWebhooks(ownerId: string): Promise<WebhookRecord[]>;
  /** The owner's webhook, or null (another owner's is absent too). */
  findWebhook(ownerId: string, id: string): Promise<WebhookRecord | null>;
  /** Deletes the owner's webhook and its deliveries (pending ones are never sent); false when there was none. */
  deleteWebhook(ownerId: string, id: string): Promise<boolean>;
  /** A webhook's deliveries, newest first, keyset pages (a cursor of another webhook's is InvalidCursorError). */
  listWebhookDeliveries(webhookId: string, limit: number, cursor: string | null): Promise<Page<WebhookDeliveryRecord>>;
  /**
   * Sends a failed delivery again: it becomes pending, due at `now`, `manual` (it neither waits for nor holds
   * back the auction's other deliveries). `not_failed` (nothing written) when it is pending or delivered.
   */
  retryWebhookDelivery(
    webhookId: string,
    deliveryId: string,
    now: number,
  ): Promise<'retried' | 'not_failed' | 'not_found'>;
  /**
   * Takes up to `limit` pending deliveries due at `now` (the longest due first) that are the oldest pending
   * one of their (webhook, auction) (or `manual`), adds one to their attempts and leases them until
   * `leaseUntil`: no other caller (another node) takes them meanwhile, and if this caller dies they come back
   * by themselves. Each comes with its webhook's url and secret and the event's data.
   */
  claimWebhookDeliveries(now: number, leaseUntil: number, limit: number): Promise<ClaimedWebhookDelivery[]>;
  /**
   * Records attempts' outcomes, in one transaction. Only a delivery still pending under the same lease
   * (`leaseUntil` as claimed) changes: a caller whose lease ran out (another node took it over) changes nothing.
   */
  settleWebhookDeliveries(outcomes: readonly WebhookDeliveryOutcome[]): Promise<void>;

  // Email (docs/email.md): verified addresses, one-time links, notification settings and the MAIL OUTBOX.
  // Notification mails are queued by the store itself, in the transaction that stores the notification
  // (outbid, won, offer_received and payment_due as payment_due, auction_closed when sold as sold,
  // ending_soon), for users with a verified address who have not turned that kind off; other mails are
  // queued explicitly (insertEmailToken, insertQaItem/settleQaItem's `mail`).
  /** Stores a link token (its hash) and queues its mail, in one transaction. */
  insertEmailToken(token: EmailTokenRecord, mail: NewMail): Promise<void>;
  /**
   * Uses a verification token (unknown, used, expired or another purpose: `invalid`): the token's address
   * becomes the user's verified address, and the token is used. `taken` (token used up, nothing else
   * changed) when another user verified that address first. `mailKey` becomes the user's unsubscribe key if
   * they have none.
   */
  verifyEmail(
    tokenHash: string,
    now: number,
    mailKey: string,
  ): Promise<{ outcome: 'verified'; user: UserRecord } | { outcome: 'invalid' | 'taken' }>;
  /**
   * Uses a password-reset token (`invalid` as verifyEmail): the user's password hash becomes `passwordHash`
   * and every session of the user ends, in one transaction.
   */
  resetPassword(
    tokenHash: string,
    passwordHash: string,
    now: number,
  ): Promise<{ outcome: 'reset'; userId: string } | { outcome: 'invalid' }>;
  /** The user whose verified address this is (lower-cased), or null. */
  findUserByEmail(email: string): Promise<UserRecord | null>;
  /** Sets the notification kinds a user turned off (`mailOff`); false when there is no such user. */
  setMailOff(userId: string, off: readonly string[]): Promise<boolean>;
  /**
   * Takes up to `limit` pending mails due at `now`, longest due first, adds one to their attempts and leases
   * them until `leaseUntil` (as claimWebhookDeliveries). Mails that are no longer to be sent are settled
   * `skipped` instead: the user has no verified address (and the mail has no address of its own) or turned
   * the kind off, or an `outbid` mail of the same user and auction was sent (or is being sent) less than
   * `outbidWindowMs` before.
   */
  claimMails(now: number, leaseUntil: number, limit: number, outbidWindowMs: number): Promise<ClaimedMail[]>;
  /** Records attempts' outcomes (only under the same lease, as settleWebhookDeliveries); a sent mail's data is wiped. */
  settleMails(outcomes: readonly MailOutcome[]): Promise<void>;
}

/** A one-time link: verification of an address, or a password reset. Only its SHA-256 is stored. */
export interface EmailTokenRecord {
  tokenHash: string;
  purpose: 'verify_email' | 'reset_password';
  userId: string;
  /** The address it was sent to (lower-cased): the one a verification makes the user's. */
  email: string;
  createdAt: number;
  expiresAt: number;
}

/** A mail to queue. `toAddress` null: the user's verified address when it is sent. */
export interface NewMail {
  userId: string;
  kind: string;
  auctionId: string | null;
  toAddress: string | null;
  /** JSON: what the mail says (rendered when it is sent). */
  data: string;
  createdAt: number;
}

/** A mail as claimed for an attempt, with what is needed to send it. */
export interface ClaimedMail {
  id: string;
  userId: string;
  kind: string;
  auctionId: string | null;
  /** The address it goes to. */
  to: string;
  displayName: string;
  /** The user's unsubscribe key (null before any verification: such a mail carries no unsubscribe link). */
  mailKey: string | null;
  data: string;
  attempts: number;
  createdAt: number;
  leaseUntil: number;
}

export type MailOutcome =
  | { id: string; leaseUntil: number; at: number; outcome: 'sent' }
  | { id: string; leaseUntil: number; at: number; outcome: 'retry'; error: string; nextAttemptAt: number }
  | { id: string; leaseUntil: number; at: number; outcome: 'failed'; error: string };

/** A webhook subscription (docs/webhooks.md). */
export interface WebhookRecord {
  id: string;
  ownerId: string;
  url: string;
  /** The event types it receives (WEBHOOK_EVENT_TYPES), in the order given. */
  events: string[];
  /** The HMAC key of its signatures (shown to its owner once, at creation). */
  secret: string;
  createdAt: number;
}

/**
 * An event to report to the webhooks of `sellerId` that subscribe to `type`, written with the change.
 * `data` is the payload's `data` as JSON; null means "the stored event's data" (auction_events at
 * (auctionId, version)), which saves writing the same text twice on the bid path.
 */
export interface WebhookEvent {
  eventId: string;
  auctionId: string;
  sellerId: string;
  version: number;
  type: string;
  data: string | null;
  createdAt: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  type: string;
  auctionId: string;
  version: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  deliveredAt: number | null;
  /** Sent again by its owner (POST …/retry): out of the auction's order. */
  manual: boolean;
}

/** A delivery as claimed for an attempt: what to send, where, signed with what. */
export interface ClaimedWebhookDelivery extends WebhookDeliveryRecord {
  url: string;
  secret: string;
  /** The event's `data`, JSON. */
  data: string;
  /** The lease as claimed: settling is guarded by it. */
  leaseUntil: number;
}

export type WebhookDeliveryOutcome =
  | { id: string; leaseUntil: number; at: number; outcome: 'delivered' }
  | { id: string; leaseUntil: number; at: number; outcome: 'retry'; error: string; nextAttemptAt: number }
  | { id: string; leaseUntil: number; at: number; outcome: 'failed'; error: string };

/** `Store.watch`'s input. */
export interface WatchInput {
  userId: string;
  auctionId: string;
  /** When the user asked (the clock's reading): the watch's time, and the instant "open" is judged at. */
  at: number;
  /** The `ending_soon` notification's data (serialized JSON), sent only if the auction is ending soon already. */
  notice: string;
}

/** One auction's ending_soon notice, as rendered by the caller from its state (see `Store.dueEndingSoon`). */
export interface EndingSoonNotice {
  auctionId: string;
  /** Serialized JSON, as sent to every recipient. */
  data: string;
}

export interface EndingSoonDelivery {
  notifications: UserEvent[];
  /** Moments that left the index or moved later: with `notifications`, whether the call made progress. */
  settled: number;
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
  /** The verified address (lower-cased), or null. */
  email: string | null;
  /** The notification kinds the user turned off. */
  mailOff: string[];
  /** The key of the user's unsubscribe links (set at the first verification), or null. */
  mailKey: string | null;
}

/** A user as signed up: no address, every notification on. */
export type NewUserRecord = Omit<UserRecord, 'email' | 'mailOff' | 'mailKey'>;

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

export interface OutboxRetentionResult {
  emailTokens: number;
  mails: number;
  webhookDeliveries: number;
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
  /**
   * New auction states with the version each was decided from. `catalogueChanged`: the item, category,
   * attributes or location changed (the store then re-indexes them; a bid never sets it).
   */
  auctions: { before: number; after: Auction; catalogueChanged?: boolean }[];
  events: StoredEvent[];
  idempotency: IdempotencyRecord[];
  /** Auctions the batch judged commands against without changing them: their stored version must match. */
  unchanged?: { auctionId: string; version: number }[];
  /** Per-user notifications; their seqs come back in `CommitResult`, in the same order. */
  notifications: { userId: string; type: string; data: string; createdAt: number }[];
  /**
   * `ending_soon` notices for bidders whose accepted bid came inside the auction's ending-soon window. Each is
   * written (and comes back in `CommitResult.endingSoon`) only when the auction's ending-soon moment is no
   * longer in the index (else the moment's delivery will include the bidder) and the user has not had one
   * for that auction; otherwise it is dropped. Never a reason for the batch to fail.
   */
  endingSoon?: { auctionId: string; userId: string; data: string; createdAt: number }[];
  /** Ending-soon moments an extension moved to a later, future time: entered in the index (or moved there). */
  endingSoonDue?: {
    auctionId: string;
    dueAt: number;
  }[]; /** Events for the webhooks of the auctions' sellers: one delivery per subscribed webhook (see Store). */
  webhookEvents?: WebhookEvent[];
}

/** What `Store.transact`'s decide may read, consistent with the locked states. */
export interface LockedReads {
  settlementCandidates(auctionId: string): Promise<Candidate[]>;
}

export interface CommitResult {
  notificationSeqs: number[];
  /** The `CommitBatch.endingSoon` notices that were written, in seq order (absent or empty when none). */
  endingSoon?: UserEvent[];
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

/**
 * `ending_soon` with a status: soonest end first. Without one it lists three groups: open auctions (soonest
 * end first), then scheduled ones (soonest end first), then ended ones, closed or cancelled (most recently
 * ended first). `bids_desc`: most bids first.
 */
export type AuctionSort = 'ending_soon' | 'newest' | 'price_asc' | 'price_desc' | 'bids_desc';

/**
 * The catalogue filters of a listing: all must hold (AND); a list of values means any of them (OR). An
 * empty list or null filters nothing.
 */
export interface CatalogueFilters {
  categories: string[];
  attributes: AttributeFilter[];
  currencies: string[];
  /** On the list price: the current price, or the starting price before the first bid. Inclusive. */
  minPrice: number | null;
  maxPrice: number | null;
  /** ISO 3166-1 alpha-2 codes. */
  countries: string[];
  /** Compared case-insensitively. */
  cities: string[];
  /** The end is strictly after / strictly before this time. */
  endsAfter: number | null;
  endsBefore: number | null;
  /** Only auctions where buy-now is available at `now` (open, and the rules of buyNowAvailable hold). */
  hasBuyNow: boolean;
  /** Only auctions this user has an accepted bid on. */
  bidderId: string | null;
}

/**
 * One attribute's filter. `values`: the attribute equals one of them: a string value ignoring case, a
 * number value when the filter value reads as that number, a boolean when it is `true` or `false`.
 * `min`/`max`: a number value within them (inclusive). Both may be given; with neither, the auction has the
 * attribute.
 */
export interface AttributeFilter {
  key: string;
  values: string[];
  min: number | null;
  max: number | null;
}

export const NO_FILTERS: CatalogueFilters = Object.freeze({
  categories: [],
  attributes: [],
  currencies: [],
  minPrice: null,
  maxPrice: null,
  countries: [],
  cities: [],
  endsAfter: null,
  endsBefore: null,
  hasBuyNow: false,
  bidderId: null,
}) as CatalogueFilters;

/** Facet counts are exact up to this many matching auctions. */
export const FACETS_EXACT_MAX = 10_000;
/** Values listed per category list and per attribute. */
export const FACET_VALUES_MAX = 20;

export type AuctionFacetQuery = Pick<AuctionListQuery, 'status' | 'sellerId' | 'terms' | 'now' | 'filters'>;

export interface FacetCount<V> {
  value: V;
  count: number;
}

export interface AuctionFacets {
  total: number;
  categories: FacetCount<string>[];
  /**
   * Per attribute key: its most frequent values. Strings that differ only in case are one value, shown in
   * one of its spellings (the lowest in code point order); a boolean and a string spelled like it are two.
   */
  attributes: Record<string, FacetCount<string | number | boolean>[]>;
  /** The lowest and highest list price among the matches; null when there are none. */
  price: { min: number; max: number } | null;
  exact: boolean;
}

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
  /** Default: none. */
  filters?: CatalogueFilters;
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

/** One entry of `upsertInventoryItems`: the seller's id of the item and what it says. */
export interface InventoryItemInput {
  externalId: string;
  content: InventoryContent;
}

/** An inventory item as stored (`content` as `inventoryContent` normalizes it). */
export interface InventoryItemRecord {
  sellerId: string;
  externalId: string;
  content: InventoryContent;
  /** 1 when created, +1 on every change (and on deletion). */
  revision: number;
  createdAt: number;
  updatedAt: number;
  /** Set on a tombstone: the item was deleted then. */
  deletedAt: number | null;
}

export interface InventoryUpsertResult {
  outcome: 'created' | 'updated' | 'unchanged';
  item: InventoryItemRecord;
}

/** What `linkInventoryAuction` is given. */
export interface NewInventoryLink {
  sellerId: string;
  externalId: string;
  auctionId: string;
  /** The item revision the new auction shows. */
  shownRevision: number;
  createdAt: number;
}

/** An item → auction link; pending while `itemRevision > shownRevision`. */
export interface InventoryLink extends NewInventoryLink {
  /** The item's revision as of its last change (or deletion). */
  itemRevision: number;
  nextAttemptAt: number;
}

/** What became of a link (see `settleInventoryLinks`). */
export interface InventoryLinkSettlement {
  sellerId: string;
  externalId: string;
  auctionId: string;
  /** The revision the auction shows now (ignored when `over`). */
  shownRevision: number;
  over: boolean;
}
