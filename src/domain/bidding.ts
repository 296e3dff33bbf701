import { type Auction, minNextBid, statusAt } from './auction.ts';
import { incrementAt } from './increments.ts';

/** Why a well-formed bid was refused, in the order the contract checks them. */
export type BidRejectionReason =
  'AUCTION_CANCELLED' | 'AUCTION_NOT_STARTED' | 'AUCTION_CLOSED' | 'SELF_BIDDING' | 'BID_TOO_LOW';

export interface BidAttempt {
  id: string;
  bidderId: string;
  /** Open bidding: the bid. Proxy bidding: the bidder's maximum. */
  amount: number;
  /** Id for the counter-bid the engine may place for the leader (proxy bidding only). */
  proxyBidId?: string;
}

/**
 * One visible, versioned change of price or leader. A proxy bid can cause two:
 * the engine bidding for the defending leader, and the incoming bid itself.
 */
export interface BidStep {
  bidId: string;
  bidderId: string;
  /** The visible amount of this bid (never a private maximum unless it was beaten). */
  amount: number;
  /** `proxy`: placed by the engine for a bidder up to their maximum. */
  kind: 'bid' | 'proxy';
  /** The auction right after this step. */
  auction: Auction;
}

export type BidDecision =
  | {
      accepted: true;
      /** The auction after every step. */
      auction: Auction;
      /** In version order; the incoming bid is one of them. */
      steps: BidStep[];
      /** Whether the incoming bid's own step was the one holding the lead at the end. */
      leading: boolean;
      extended: boolean;
    }
  | { accepted: false; reason: BidRejectionReason; auction: Auction };

/**
 * Decides one bid against the auction as it stands at `now` (the moment the
 * sequencer orders it). A rejection returns the same state object, untouched:
 * rejected bids never change the auction, and so never extend it.
 */
export function placeBid(auction: Auction, bid: BidAttempt, now: number): BidDecision {
  const reason = rejectionReason(auction, bid, now);
  if (reason !== null) return { accepted: false, reason, auction };
  return auction.proxyBidding ? placeProxyBid(auction, bid, now) : placeOpenBid(auction, bid, now);
}

function rejectionReason(auction: Auction, bid: BidAttempt, now: number): BidRejectionReason | null {
  if (auction.lifecycle === 'cancelled') return 'AUCTION_CANCELLED';
  const status = statusAt(auction, now);
  if (status === 'scheduled') return 'AUCTION_NOT_STARTED';
  if (status === 'closed') return 'AUCTION_CLOSED';
  if (bid.bidderId === auction.sellerId) return 'SELF_BIDDING';
  if (bid.amount < minNextBid(auction)) return 'BID_TOO_LOW';
  // minNextBid is capped at MAX_AMOUNT, so at the top it equals the price: matching the price never wins.
  if (auction.currentPrice !== null && bid.amount <= auction.currentPrice) return 'BID_TOO_LOW';
  // Proxy: a leader may only raise their own maximum.
  if (auction.proxyBidding && auction.highestBid?.bidderId === bid.bidderId && bid.amount <= auction.leaderMax!)
    return 'BID_TOO_LOW';
  return null;
}

function placeOpenBid(auction: Auction, bid: BidAttempt, now: number): BidDecision {
  const endDate = extendedEndDate(auction, now);
  const next = withStep(auction, bid.id, bid.bidderId, bid.amount, now, { endDate });
  return {
    accepted: true,
    auction: next,
    steps: [{ bidId: bid.id, bidderId: bid.bidderId, amount: bid.amount, kind: 'bid', auction: next }],
    leading: true,
    extended: endDate !== auction.endDate,
  };
}

/**
 * Proxy bidding (the eBay model). `X` is the incoming maximum, `M` the
 * leader's maximum, the increment is taken at the price it is added to:
 * - no leader yet: the bidder leads at the starting price;
 * - the leader raises their own maximum: the price does not move;
 * - X > M: the newcomer leads at min(X, M + increment);
 * - X = M: the earlier maximum keeps the lead, at M;
 * - X < M: the leader keeps the lead at min(M, X + increment).
 * A maximum that meets the reserve lifts the price to at least the reserve.
 * Every visible move is a step (its own version); one incoming bid extends
 * the auction at most once, on its last step, and only if the price or the
 * leader changed.
 */
/** A price lifted to the reserve once the maximum behind it meets the reserve. */
function atLeastReserve(price: number, max: number, reserve: number | null): number {
  return reserve !== null && max >= reserve ? Math.max(price, reserve) : price;
}

function placeProxyBid(auction: Auction, bid: BidAttempt, now: number): BidDecision {
  const x = bid.amount;
  const leader = auction.highestBid?.bidderId ?? null;
  const m = auction.leaderMax;
  const price = auction.currentPrice;
  const reserve = auction.reservePrice;
  const plan: { bidId: string; bidderId: string; amount: number; kind: 'bid' | 'proxy' }[] = [];
  let newLeaderMax: number;
  let leading: boolean;

  if (leader === null || m === null || price === null) {
    plan.push({
      bidId: bid.id,
      bidderId: bid.bidderId,
      amount: atLeastReserve(auction.startingPrice, x, reserve),
      kind: 'bid',
    });
    newLeaderMax = x;
    leading = true;
  } else if (leader === bid.bidderId) {
    plan.push({ bidId: bid.id, bidderId: bid.bidderId, amount: atLeastReserve(price, x, reserve), kind: 'bid' });
    newLeaderMax = x;
    leading = true;
  } else if (x > m) {
    // The defending leader's maximum is shown as their last bid before the newcomer takes over.
    if (m > price) plan.push({ bidId: proxyId(bid), bidderId: leader, amount: m, kind: 'proxy' });
    plan.push({
      bidId: bid.id,
      bidderId: bid.bidderId,
      amount: atLeastReserve(Math.min(x, m + incrementAt(auction, m)), x, reserve),
      kind: 'bid',
    });
    newLeaderMax = x;
    leading = true;
  } else {
    // x <= m: the incoming bid is placed and at once answered for the leader (ties: earlier maximum wins).
    const defended = x === m ? m : Math.min(m, x + incrementAt(auction, x));
    plan.push({ bidId: bid.id, bidderId: bid.bidderId, amount: x, kind: 'bid' });
    plan.push({ bidId: proxyId(bid), bidderId: leader, amount: Math.max(defended, price), kind: 'proxy' });
    newLeaderMax = m;
    leading = false;
  }

  const last = plan[plan.length - 1]!;
  const moved = last.amount !== price || last.bidderId !== leader;
  const endDate = moved ? extendedEndDate(auction, now) : auction.endDate;
  let state = auction;
  const steps: BidStep[] = plan.map((step, i) => {
    const final = i === plan.length - 1;
    state = withStep(state, step.bidId, step.bidderId, step.amount, now, {
      leaderMax: final ? newLeaderMax : state.leaderMax,
      endDate: final ? endDate : state.endDate,
    });
    return { ...step, auction: state };
  });
  return { accepted: true, auction: state, steps, leading, extended: endDate !== auction.endDate };
}

function proxyId(bid: BidAttempt): string {
  if (!bid.proxyBidId) throw new Error('proxy bidding needs a proxyBidId for the counter-bid');
  return bid.proxyBidId;
}

function withStep(
  auction: Auction,
  bidId: string,
  bidderId: string,
  amount: number,
  now: number,
  changes: Partial<Auction>,
): Auction {
  return {
    ...auction,
    ...changes,
    currentPrice: amount,
    highestBid: { id: bidId, bidderId, amount, createdAt: now },
    bidCount: auction.bidCount + 1,
    // One accepted bid (or proxy step) and the extension it causes are one state change.
    version: auction.version + 1,
  };
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
