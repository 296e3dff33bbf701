import { type Auction, outcomeOf } from './auction.ts';

export type CloseDecision = { closed: true; auction: Auction } | { closed: false; auction: Auction };

/**
 * Closes the auction if the clock says it has ended. Idempotent: an auction
 * that is already closed or cancelled, or not yet due, is returned unchanged.
 * The closer only announces what the clock already decided; bids ordered at or
 * after `endDate` are refused by `placeBid` whether or not this ran.
 */
export function closeIfDue(auction: Auction, now: number): CloseDecision {
  if (auction.lifecycle !== 'active' || now < auction.endDate) return { closed: false, auction };
  return {
    closed: true,
    auction: {
      ...auction,
      lifecycle: 'closed',
      outcome: outcomeOf(auction),
      // The clock decided at endDate; when the closer got round to announcing it does not matter.
      closedAt: auction.endDate,
      version: auction.version + 1,
    },
  };
}
