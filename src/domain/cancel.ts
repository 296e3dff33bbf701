import type { Auction } from './auction.ts';

export type CancelDecision =
  | { cancelled: true; auction: Auction }
  | { cancelled: false; reason: 'FORBIDDEN' | 'CANCEL_NOT_ALLOWED'; auction: Auction };

/** The seller may cancel while the auction has not ended and no bid has been accepted. */
export function cancelAuction(auction: Auction, userId: string, now: number): CancelDecision {
  if (userId !== auction.sellerId) return { cancelled: false, reason: 'FORBIDDEN', auction };
  if (auction.lifecycle !== 'active' || now >= auction.endDate || auction.bidCount > 0)
    return { cancelled: false, reason: 'CANCEL_NOT_ALLOWED', auction };
  return {
    cancelled: true,
    auction: { ...auction, lifecycle: 'cancelled', closedAt: now, version: auction.version + 1 },
  };
}
