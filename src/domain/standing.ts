import { type Auction, outcomeOf, statusAt } from './auction.ts';

/** Where a bidder stands on one auction, from their own point of view ("my bids"). */
export type Standing =
  'leading' | 'outbid' | 'payment_due' | 'offer_received' | 'won' | 'payment_lapsed' | 'lost' | 'cancelled';

export function standingOf(auction: Auction, bidderId: string, now: number): Standing {
  const status = statusAt(auction, now);
  if (status === 'cancelled') return 'cancelled';
  if (status !== 'closed') return auction.highestBid?.bidderId === bidderId ? 'leading' : 'outbid';
  const s = auction.settlement;
  if (s === null) {
    // Ended, not yet announced by the closer: the clock has decided all the same.
    return outcomeOf(auction).winnerId === bidderId ? 'payment_due' : 'lost';
  }
  if (s.buyerId === bidderId) {
    if (s.state === 'awaiting_payment') return 'payment_due';
    if (s.state === 'offer_pending') return 'offer_received';
    if (s.state === 'paid') return 'won';
  }
  if (s.lapsed.includes(bidderId)) return 'payment_lapsed';
  return 'lost';
}
