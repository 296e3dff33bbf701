import { type Auction, outcomeOf, statusAt } from './auction.ts';
import type { AuctionView } from './auction-view.ts';

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

/** A bidder's standing as the live room tells it: four words, from the public view of the auction. */
export type LiveStanding = 'leading' | 'outbid' | 'won' | 'lost';

/**
 * The live room's standing of `bidderId` (who has bid on the auction) from its public view: the same
 * answers as `standingOf`, folded into four (a pending payment or a second-chance offer is `won`; a lapsed
 * payment, a cancellation or no sale is `lost`). From the view, not the state, because the room reads it
 * from the events it already forwards.
 */
export function liveStandingOf(view: AuctionView, bidderId: string): LiveStanding {
  if (view.status === 'cancelled') return 'lost';
  if (view.status !== 'closed') return view.highestBid?.bidderId === bidderId ? 'leading' : 'outbid';
  const s = view.settlement;
  if (s === null) return view.outcome?.winnerId === bidderId ? 'won' : 'lost';
  return s.buyerId === bidderId && s.state !== 'unsold' ? 'won' : 'lost';
}
