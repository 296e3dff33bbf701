import type { Auction } from '../domain/index.ts';

export type NotificationType =
  | 'outbid'
  | 'leading'
  | 'bid_received'
  | 'auction_closed'
  | 'won'
  | 'payment_due'
  | 'payment_lapsed'
  | 'offer_received'
  | 'payment_received'
  | 'auction_unsold';

export interface Notification {
  userId: string;
  type: NotificationType;
  /** Small on purpose (it is written with every bid on a hot auction): a pointer plus what changed. */
  data: {
    auctionId: string;
    itemName: string;
    currency: string;
    currentPrice: number | null;
    version: number;
    /** Payment or offer: the amount and deadline that concern the recipient. */
    price?: number | null;
    deadline?: number | null;
    /** `auction_closed`: how it ended (`sold` is also a `sold` mail to the seller). */
    result?: string;
  };
}

/**
 * Adds one notice (not a closure inside notificationsFor: that runs for every bid, and the loader's
 * keepNames turns every named closure into a property definition each time it is created).
 */
function push(
  out: Notification[],
  base: Notification['data'],
  userId: string | null | undefined,
  type: NotificationType,
  extra?: Partial<Notification['data']>,
): void {
  if (userId) out.push({ userId, type, data: extra === undefined ? base : { ...base, ...extra } });
}

/**
 * What each user should hear about one command, derived from the auction
 * before and after it (so every command kind gets the same rules):
 * - bidders: outbid (lost the lead), leading (their proxy maximum defended the
 *   lead against a new bid), won, payment_due, payment_lapsed, offer_received;
 * - the seller: bid_received, auction_closed, payment_received, auction_unsold.
 */
export function notificationsFor(before: Auction, after: Auction, actorId: string | null): Notification[] {
  if (after.version === before.version) return [];
  const out: Notification[] = [];
  const base = {
    auctionId: after.id,
    itemName: after.item.name,
    currency: after.currency,
    currentPrice: after.currentPrice,
    version: after.version,
  };
  const oldLeader = before.highestBid?.bidderId ?? null;
  const newLeader = after.highestBid?.bidderId ?? null;
  if (after.lifecycle === 'active' && after.bidCount > before.bidCount) {
    if (oldLeader !== null && oldLeader !== newLeader) push(out, base, oldLeader, 'outbid');
    if (oldLeader !== null && oldLeader === newLeader && actorId !== newLeader) push(out, base, newLeader, 'leading');
    push(out, base, after.sellerId, 'bid_received');
  }

  if (before.lifecycle === 'active' && after.lifecycle === 'closed') {
    push(out, base, after.sellerId, 'auction_closed', { result: after.outcome?.result ?? 'no_bids' });
    const s = after.settlement;
    if (s && s.state === 'awaiting_payment')
      push(out, base, s.buyerId, 'won', { price: s.price, deadline: s.deadline });
  }

  const bs = before.settlement;
  const as = after.settlement;
  if (bs && as) {
    if (bs.state === 'awaiting_payment' && as.buyerId !== bs.buyerId) push(out, base, bs.buyerId, 'payment_lapsed');
    if (as.state === 'offer_pending' && (bs.state !== 'offer_pending' || bs.buyerId !== as.buyerId))
      push(out, base, as.buyerId, 'offer_received', { price: as.price, deadline: as.deadline });
    if (as.state === 'awaiting_payment' && bs.state === 'offer_pending')
      push(out, base, as.buyerId, 'payment_due', { price: as.price, deadline: as.deadline });
    if (as.state === 'paid' && bs.state !== 'paid')
      push(out, base, after.sellerId, 'payment_received', { price: as.price });
    if (as.state === 'unsold' && bs.state !== 'unsold') push(out, base, after.sellerId, 'auction_unsold');
  }
  return out;
}
