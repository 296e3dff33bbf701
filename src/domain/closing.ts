import { type Auction, type Settlement, outcomeOf } from './auction.ts';

export type CloseDecision = { closed: true; auction: Auction } | { closed: false; auction: Auction };

/**
 * Closes the auction if the clock says it has ended. Idempotent: an auction
 * that is already closed or cancelled, or not yet due, is returned unchanged.
 * The closer only announces what the clock already decided; bids ordered at or
 * after `endDate` are refused by `placeBid` whether or not this ran. A `sold`
 * close opens the winner's payment window, counted from the end.
 */
export function closeIfDue(auction: Auction, now: number): CloseDecision {
  if (auction.lifecycle !== 'active' || now < auction.endDate) return { closed: false, auction };
  const outcome = outcomeOf(auction);
  // The clock decided at endDate; when the closer got round to announcing it does not matter.
  const closedAt = auction.endDate;
  return {
    closed: true,
    auction: {
      ...auction,
      lifecycle: 'closed',
      outcome,
      closedAt,
      settlement:
        outcome.result === 'sold'
          ? awaitingPayment(auction, outcome.winnerId!, outcome.finalPrice!, closedAt, 0, [], [])
          : null,
      version: auction.version + 1,
    },
  };
}

export function awaitingPayment(
  auction: Auction,
  buyerId: string,
  price: number,
  from: number,
  round: number,
  passed: string[],
  lapsed: string[],
): Settlement {
  return {
    state: 'awaiting_payment',
    buyerId,
    price,
    deadline: from + auction.paymentWindowSeconds * 1000,
    round,
    passed,
    lapsed,
    paidAt: null,
  };
}
