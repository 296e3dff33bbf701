import type { Auction, Settlement } from './auction.ts';
import { awaitingPayment } from './closing.ts';

/** A bidder who could be offered the item: their own highest bid (their maximum under proxy bidding). */
export interface Candidate {
  bidderId: string;
  amount: number;
}

export type SettlementRejection = 'FORBIDDEN' | 'PAYMENT_NOT_DUE' | 'NO_OFFER_PENDING';

export type SettlementDecision =
  { changed: true; auction: Auction } | { changed: false; reason: SettlementRejection | null; auction: Auction };

const withSettlement = (auction: Auction, settlement: Settlement): Auction => ({
  ...auction,
  settlement,
  version: auction.version + 1,
});

/** The current buyer pays (no external processor: the payment is recorded). */
export function pay(auction: Auction, userId: string, now: number): SettlementDecision {
  const s = auction.settlement;
  if (!s || s.state !== 'awaiting_payment' || now >= s.deadline!)
    return { changed: false, reason: 'PAYMENT_NOT_DUE', auction };
  if (s.buyerId !== userId) return { changed: false, reason: 'FORBIDDEN', auction };
  return { changed: true, auction: withSettlement(auction, { ...s, state: 'paid', deadline: null, paidAt: now }) };
}

/** The offeree accepts the second-chance offer: their own payment window opens. */
export function acceptOffer(auction: Auction, userId: string, now: number): SettlementDecision {
  const s = auction.settlement;
  if (!s || s.state !== 'offer_pending' || now >= s.deadline!)
    return { changed: false, reason: 'NO_OFFER_PENDING', auction };
  if (s.buyerId !== userId) return { changed: false, reason: 'FORBIDDEN', auction };
  return {
    changed: true,
    auction: withSettlement(auction, awaitingPayment(auction, userId, s.price!, now, s.round, s.passed, s.lapsed)),
  };
}

/** The offeree declines: the offer moves down the list at once. */
export function declineOffer(
  auction: Auction,
  userId: string,
  now: number,
  candidates: Candidate[],
): SettlementDecision {
  const s = auction.settlement;
  if (!s || s.state !== 'offer_pending' || now >= s.deadline!)
    return { changed: false, reason: 'NO_OFFER_PENDING', auction };
  if (s.buyerId !== userId) return { changed: false, reason: 'FORBIDDEN', auction };
  return { changed: true, auction: withSettlement(auction, offerToNextSettlement(auction, s, now, candidates)) };
}

/**
 * Runs out a lapsed window: an unpaid payment or an unanswered offer passes
 * to the next distinct bidder, highest bid first (earlier bid first on ties),
 * who has not had a chance yet; nobody left means `unsold`. Idempotent before
 * the deadline.
 */
export function expireSettlement(auction: Auction, now: number, candidates: Candidate[]): SettlementDecision {
  const s = auction.settlement;
  if (!s || (s.state !== 'awaiting_payment' && s.state !== 'offer_pending') || now < s.deadline!)
    return { changed: false, reason: null, auction };
  return { changed: true, auction: withSettlement(auction, offerToNextSettlement(auction, s, now, candidates)) };
}

function offerToNextSettlement(auction: Auction, s: Settlement, now: number, candidates: Candidate[]): Settlement {
  const passed = s.buyerId === null ? s.passed : [...s.passed, s.buyerId];
  const lapsed = s.state === 'awaiting_payment' && s.buyerId !== null ? [...s.lapsed, s.buyerId] : s.lapsed;
  const next = candidates.find((c) => !passed.includes(c.bidderId) && c.bidderId !== auction.sellerId);
  if (!next)
    return {
      state: 'unsold',
      buyerId: null,
      price: null,
      deadline: null,
      round: s.round,
      passed,
      lapsed,
      paidAt: null,
    };
  return {
    state: 'offer_pending',
    buyerId: next.bidderId,
    price: next.amount,
    deadline: now + auction.offerWindowSeconds * 1000,
    round: s.round + 1,
    passed,
    lapsed,
    paidAt: null,
  };
}
