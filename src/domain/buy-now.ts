import { type Auction, buyNowAvailable } from './auction.ts';
import { awaitingPayment } from './closing.ts';

export type BuyNowDecision =
  | { bought: true; auction: Auction }
  | { bought: false; reason: 'AUCTION_NOT_FOUND' | 'SELF_BIDDING' | 'BUY_NOW_UNAVAILABLE'; auction: Auction };

/**
 * Buy-now closes the auction at once as `sold` at `buyNowPrice`, recorded as
 * an accepted bid (so the history explains the outcome and the price agrees
 * with the stored bids), and opens the buyer's payment window. Ordered by the
 * sequencer like any bid: of a buy-now and a bid racing, exactly one wins.
 */
export function buyNow(auction: Auction, buyer: { bidId: string; buyerId: string }, now: number): BuyNowDecision {
  if (buyer.buyerId === auction.sellerId) return { bought: false, reason: 'SELF_BIDDING', auction };
  if (!buyNowAvailable(auction, now)) return { bought: false, reason: 'BUY_NOW_UNAVAILABLE', auction };
  const price = auction.buyNowPrice!;
  return {
    bought: true,
    auction: {
      ...auction,
      lifecycle: 'closed',
      currentPrice: price,
      highestBid: { id: buyer.bidId, bidderId: buyer.buyerId, amount: price, createdAt: now },
      bidCount: auction.bidCount + 1,
      leaderMax: auction.proxyBidding ? price : auction.leaderMax,
      outcome: { result: 'sold', winnerId: buyer.buyerId, finalPrice: price },
      closedAt: now,
      settlement: awaitingPayment(auction, buyer.buyerId, price, now, 0, [], []),
      version: auction.version + 1,
    },
  };
}
