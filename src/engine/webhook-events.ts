import { type Auction, auctionView } from '../domain/index.ts';
import type { StoredEvent, WebhookEvent } from '../store/index.ts';

/** Every event type a webhook can subscribe to (docs/webhooks.md). */
export const WEBHOOK_EVENT_TYPES = [
  'bid.accepted',
  'auction.closed',
  'auction.cancelled',
  'auction.extended',
  'settlement.changed',
  'question.published',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The stored events that are reported as they are (their data is the payload's `data`). */
const REPORTED: Partial<Record<StoredEvent['type'], WebhookEventType>> = {
  bid: 'bid.accepted',
  closed: 'auction.closed',
  cancelled: 'auction.cancelled',
};

/**
 * An event's id: the same for every attempt and every webhook it goes to, and the same if the batch is
 * decided again (a version conflict), so that a receiver can drop what it has seen. `what`: the version
 * (a question's id for `question.published`).
 */
export function webhookEventId(auctionId: string, what: number | string, type: WebhookEventType): string {
  return `${auctionId}.${what}.${type}`;
}

/**
 * What one command's change reports to the seller's webhooks (pure): accepted bids, a close, a cancellation
 * with the stored event's data (no copy is written: `data` null); an extension of the end by a bid (the
 * bid's event data, which shows the new end); a change of the settlement, with the settlement as the
 * SELLER sees it (the price of a second-chance offer, which the public view hides). Amounts are the public
 * ones: never a bidder's maximum, never the reserve.
 */
export function webhookEventsOf(
  before: Auction,
  after: Auction,
  events: readonly StoredEvent[],
  now: number,
): WebhookEvent[] {
  if (after === before) return [];
  const out: WebhookEvent[] = [];
  const add = (type: WebhookEventType, version: number, data: string | null) =>
    out.push({
      eventId: webhookEventId(after.id, version, type),
      auctionId: after.id,
      sellerId: after.sellerId,
      version,
      type,
      data,
      createdAt: now,
    });
  let lastBid: StoredEvent | null = null;
  for (const event of events) {
    const type = REPORTED[event.type];
    if (type !== undefined) add(type, event.version, null);
    if (event.type === 'bid') lastBid = event;
  }
  if (lastBid !== null && after.endDate > before.endDate && after.lifecycle === 'active')
    add('auction.extended', lastBid.version, null);
  if (after.settlement !== null && JSON.stringify(after.settlement) !== JSON.stringify(before.settlement)) {
    const seen = auctionView(after, now, after.sellerId);
    add(
      'settlement.changed',
      after.version,
      JSON.stringify({ auction: auctionView(after, now, null), settlement: seen.settlement }),
    );
  }
  return out;
}
