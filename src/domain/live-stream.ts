import type { Auction, LiveStream } from './auction.ts';

export type LiveStreamDecision =
  { changed: true; auction: Auction } | { changed: false; reason: 'FORBIDDEN' | 'AUCTION_CLOSED' };

/**
 * The seller sets (or, with null, removes) the auction's live video while it has not ended: a seller goes
 * live when the room fills, or changes the stream after a broken encoder. It is not part of what bidders
 * bid on, so it may change after bids are accepted.
 */
export function setLiveStream(auction: Auction, userId: string, liveStream: LiveStream | null): LiveStreamDecision {
  if (userId !== auction.sellerId) return { changed: false, reason: 'FORBIDDEN' };
  if (auction.lifecycle !== 'active') return { changed: false, reason: 'AUCTION_CLOSED' };
  return { changed: true, auction: { ...auction, liveStream, version: auction.version + 1 } };
}
