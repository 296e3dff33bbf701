import { type Auction, minNextBid, statusAt } from './auction.ts';

/** Why a well-formed bid was refused, in the order the contract checks them. */
export type BidRejectionReason =
  'AUCTION_CANCELLED' | 'AUCTION_NOT_STARTED' | 'AUCTION_CLOSED' | 'SELF_BIDDING' | 'BID_TOO_LOW';

export interface BidAttempt {
  id: string;
  bidderId: string;
  amount: number;
}

export type BidDecision =
  | { accepted: true; auction: Auction; extended: boolean }
  | { accepted: false; reason: BidRejectionReason; auction: Auction };

/**
 * Decides one bid against the auction as it stands at `now` (the moment the
 * sequencer orders it). Returns the next state; a rejection returns the same
 * state object, untouched: rejected bids never change the auction, and so
 * never extend it.
 */
export function placeBid(auction: Auction, bid: BidAttempt, now: number): BidDecision {
  const reason = rejectionReason(auction, bid, now);
  if (reason !== null) return { accepted: false, reason, auction };

  const endDate = extendedEndDate(auction, now);
  const next: Auction = {
    ...auction,
    currentPrice: bid.amount,
    highestBid: { id: bid.id, bidderId: bid.bidderId, amount: bid.amount, createdAt: now },
    bidCount: auction.bidCount + 1,
    endDate,
    // One accepted bid and the extension it causes are one state change.
    version: auction.version + 1,
  };
  return { accepted: true, auction: next, extended: endDate !== auction.endDate };
}

function rejectionReason(auction: Auction, bid: BidAttempt, now: number): BidRejectionReason | null {
  if (auction.lifecycle === 'cancelled') return 'AUCTION_CANCELLED';
  const status = statusAt(auction, now);
  if (status === 'scheduled') return 'AUCTION_NOT_STARTED';
  if (status === 'closed') return 'AUCTION_CLOSED';
  if (bid.bidderId === auction.sellerId) return 'SELF_BIDDING';
  if (bid.amount < minNextBid(auction)) return 'BID_TOO_LOW';
  return null;
}

/**
 * Soft close: an accepted bid landing less than `windowSeconds` before the end
 * pushes the end to at least `now + extendSeconds`, never past `maxEndDate`
 * and never earlier than it already is.
 */
export function extendedEndDate(auction: Auction, now: number): number {
  const softClose = auction.softClose;
  if (softClose === null) return auction.endDate;
  if (auction.endDate - now >= softClose.windowSeconds * 1000) return auction.endDate;
  let candidate = Math.max(auction.endDate, now + softClose.extendSeconds * 1000);
  if (auction.maxEndDate !== null) candidate = Math.min(candidate, Math.max(auction.maxEndDate, auction.endDate));
  return candidate;
}
