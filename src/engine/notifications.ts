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
  };
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
  const notify = (
    userId: string | null | undefined,
    type: NotificationType,
    extra: Partial<Notification['data']> = {},
  ) => {
    if (userId) out.push({ userId, type, data: { ...base, ...extra } });
  };

  const oldLeader = before.highestBid?.bidderId ?? null;
  const newLeader = after.highestBid?.bidderId ?? null;
  if (after.lifecycle === 'active' && after.bidCount > before.bidCount) {
    if (oldLeader !== null && oldLeader !== newLeader) notify(oldLeader, 'outbid');
    if (oldLeader !== null && oldLeader === newLeader && actorId !== newLeader) notify(newLeader, 'leading');
    notify(after.sellerId, 'bid_received');
  }

  if (before.lifecycle === 'active' && after.lifecycle === 'closed') {
    notify(after.sellerId, 'auction_closed');
    const s = after.settlement;
    if (s && s.state === 'awaiting_payment') notify(s.buyerId, 'won', { price: s.price, deadline: s.deadline });
  }

  const bs = before.settlement;
  const as = after.settlement;
  if (bs && as) {
    if (bs.state === 'awaiting_payment' && as.buyerId !== bs.buyerId) notify(bs.buyerId, 'payment_lapsed');
    if (as.state === 'offer_pending' && (bs.state !== 'offer_pending' || bs.buyerId !== as.buyerId))
      notify(as.buyerId, 'offer_received', { price: as.price, deadline: as.deadline });
    if (as.state === 'awaiting_payment' && bs.state === 'offer_pending')
      notify(as.buyerId, 'payment_due', { price: as.price, deadline: as.deadline });
    if (as.state === 'paid' && bs.state !== 'paid') notify(after.sellerId, 'payment_received', { price: as.price });
    if (as.state === 'unsold' && bs.state !== 'unsold') notify(after.sellerId, 'auction_unsold');
  }
  return out;
}
