import type { Auction, Candidate, InventoryContent } from '../domain/index.ts';
import type {
  BidderActivity,
  BidRecord,
  ChatMessageRecord,
  IdempotencyRecord,
  InventoryItemRecord,
  InventoryLink,
  LeaderboardRow,
  QaItemRecord,
  SessionRecord,
  StoredEvent,
  UserEvent,
  UserRecord,
  ClaimedMail,
  ClaimedWebhookDelivery,
  WebhookDeliveryRecord,
  WebhookDeliveryStatus,
  WebhookRecord,
} from './store.ts';

/**
 * Rows as every adapter's driver returns them (snake_case columns, numbers as numbers), turned into the
 * port's records. The adapters name their columns alike on purpose, so that one set of mappers serves all.
 */
export type Row = Record<string, unknown>;

export function toUser(row: Row): UserRecord {
  return {
    id: row.id as string,
    username: row.username as string,
    displayName: row.display_name as string,
    passwordHash: row.password_hash as string,
    createdAt: Number(row.created_at),
    email: (row.email as string | null | undefined) ?? null,
    mailOff: mailOffOf(row.mail_off),
    mailKey: (row.mail_key as string | null | undefined) ?? null,
  };
}

/** JSON text on SQLite, text[] on PostgreSQL; absent in rows read without it. */
function mailOffOf(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string') return JSON.parse(value) as string[];
  return [];
}

export function toClaimedMail(row: Row): ClaimedMail {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    kind: row.kind as string,
    auctionId: (row.auction_id as string | null) ?? null,
    to: row.to as string,
    displayName: row.display_name as string,
    mailKey: (row.mail_key as string | null) ?? null,
    data: row.data as string,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    leaseUntil: Number(row.lease_until),
  };
}

export function toSession(row: Row): SessionRecord {
  return {
    tokenHash: row.token_hash as string,
    userId: row.user_id as string,
    createdAt: row.created_at as number,
    expiresAt: row.expires_at as number,
  };
}

export function toBid(row: Row): BidRecord {
  return {
    id: row.id as string,
    auctionId: row.auction_id as string,
    bidderId: row.bidder_id as string,
    amount: row.amount as number,
    kind: row.kind as BidRecord['kind'],
    maxAmount: (row.max_amount as number | null) ?? null,
    status: row.status as BidRecord['status'],
    reason: (row.reason as BidRecord['reason']) ?? null,
    createdAt: row.created_at as number,
    auctionVersion: row.auction_version as number,
  };
}

export function toBidderActivity(row: Row): BidderActivity {
  return {
    auction: JSON.parse(row.state as string) as Auction,
    highestBid: row.max_amount as number,
    maximum: (row.max_bid as number | null) ?? null,
    lastBidAt: row.last_bid_at as number,
  };
}

export function toStoredEvent(row: Row): StoredEvent {
  return {
    auctionId: row.auction_id as string,
    version: row.version as number,
    type: row.type as StoredEvent['type'],
    data: row.data as string,
    createdAt: row.created_at as number,
  };
}

export function toUserEvent(row: Row): UserEvent {
  return {
    seq: row.seq as number,
    userId: row.user_id as string,
    type: row.type as string,
    data: row.data as string,
    createdAt: row.created_at as number,
  };
}

export function toIdempotencyRecord(row: Row): IdempotencyRecord {
  return {
    bidderId: row.bidder_id as string,
    auctionId: row.auction_id as string,
    key: row.key as string,
    requestHash: row.request_hash as string,
    accepted: Boolean(row.accepted),
    bidId: row.bid_id as string,
    response: row.response as string,
    createdAt: row.created_at as number,
  };
}

export function toLeaderboardRow(row: Row): LeaderboardRow {
  return {
    bidderId: row.bidder_id as string,
    displayName: row.display_name as string,
    amount: row.max_amount as number,
    bidAt: row.bid_at as number,
  };
}

export function toCandidate(row: Row): Candidate {
  return { bidderId: row.bidder_id as string, amount: row.amount as number };
}

export function toQaItem(row: Row): QaItemRecord {
  return {
    id: row.id as string,
    kind: row.kind as QaItemRecord['kind'],
    auctionId: row.auction_id as string,
    questionId: (row.question_id as string | null) ?? null,
    authorId: row.author_id as string,
    text: row.text as string,
    status: row.status as QaItemRecord['status'],
    createdAt: row.created_at as number,
    attempts: row.attempts as number,
    lastError: (row.last_error as string | null) ?? null,
    nextAttemptAt: (row.next_attempt_at as number | null) ?? null,
    // SQLite has no booleans (0/1); PostgreSQL's arrive as booleans.
    parked: row.parked === true || row.parked === 1,
  };
}

/** A joined row of a question (`q_` columns unprefixed) and its answer (`a_` columns), as both adapters select it. */
export function toQuestionWithAnswer(row: Row): { question: QaItemRecord; answer: QaItemRecord | null } {
  const answer: Row = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith('a_')) answer[key.slice(2)] = value;
  return { question: toQaItem(row), answer: answer.id == null ? null : toQaItem(answer) };
}

export function toChatMessage(row: Row): ChatMessageRecord {
  return {
    id: row.id as string,
    auctionId: row.auction_id as string,
    userId: row.user_id as string,
    displayName: row.display_name as string,
    text: row.text as string,
    sentAt: row.sent_at as number,
  };
}

/** An inventory item row (`content` is the canonical JSON the adapters store). */
export function toInventoryItem(row: Row): InventoryItemRecord {
  return {
    sellerId: row.seller_id as string,
    externalId: row.external_id as string,
    content: JSON.parse(row.content as string) as InventoryContent,
    revision: row.revision as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    deletedAt: (row.deleted_at as number | null) ?? null,
  };
}

export function toInventoryLink(row: Row): InventoryLink {
  return {
    sellerId: row.seller_id as string,
    externalId: row.external_id as string,
    auctionId: row.auction_id as string,
    shownRevision: row.shown_revision as number,
    itemRevision: row.item_revision as number,
    nextAttemptAt: row.next_attempt_at as number,
    createdAt: row.created_at as number,
  };
}

/** The first `units` UTF-16 code units of `text`, one more where the cut would split a surrogate pair. */
export function startOf(text: string, units: number): string {
  if (text.length <= units) return text;
  return text.slice(0, /[\ud800-\udbff]/.test(text[units - 1] ?? '') ? units + 1 : units);
}

/** `events` is a JSON array on SQLite, a text[] on PostgreSQL. */
export function toWebhook(row: Row): WebhookRecord {
  return {
    id: row.id as string,
    ownerId: row.owner_id as string,
    url: row.url as string,
    events: typeof row.events === 'string' ? (JSON.parse(row.events) as string[]) : (row.events as string[]),
    secret: row.secret as string,
    createdAt: Number(row.created_at),
  };
}

const numberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export function toWebhookDelivery(row: Row): WebhookDeliveryRecord {
  return {
    id: row.id as string,
    webhookId: row.webhook_id as string,
    eventId: row.event_id as string,
    type: row.type as string,
    auctionId: row.auction_id as string,
    version: Number(row.version),
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: Number(row.created_at),
    // A pending delivery's next try; the time a delivered or failed one had is of no use to anyone.
    nextAttemptAt: row.status === 'pending' ? numberOrNull(row.next_attempt_at) : null,
    lastAttemptAt: numberOrNull(row.last_attempt_at),
    deliveredAt: numberOrNull(row.delivered_at),
    manual: row.manual === 1 || row.manual === true,
  };
}

/** A claimed row joined to its webhook (url, secret) and its event's data. */
export function toClaimedWebhookDelivery(row: Row): ClaimedWebhookDelivery {
  return {
    ...toWebhookDelivery(row),
    url: row.url as string,
    secret: row.secret as string,
    data: row.event_data as string,
    leaseUntil: Number(row.lease_until),
  };
}
