import { type Auction, type BidFacts, auctionView, endingSoonAt, isEndingSoon } from '../domain/index.ts';
import type { CommitBatch } from '../store/index.ts';

/**
 * The data of an `ending_soon` notification (api.md "Watchlist"): the auction as anyone may see it at `now`
 * (never the reserve, and no `watcherCount`: like events, notifications carry state, and watching is none).
 * `type` as in every other notification's data.
 */
export function endingSoonNotice(auction: Auction, now: number): string {
  return JSON.stringify({ type: 'ending_soon', auction: auctionView(auction, now, null) });
}

/**
 * What a decided batch means for ending_soon (see CommitBatch.endingSoon and endingSoonDue):
 * - every bidder with an accepted bid on an auction that is inside its ending-soon window after the batch is
 *   a candidate for hearing it now (the store sends it only past the moment's delivery, and once);
 * - a moment that moved (an extension, an edited end) is entered at its new time when either time is
 *   still to come. Both in the past (the usual soft-close extension in the last seconds) changes nothing:
 *   the moment's delivery is done or due already, and later bidders are candidates here.
 * Pure: the same decision gives the same rows.
 */
export function endingSoonOfBatch(
  auctions: ReadonlyMap<string, { before: Auction; after: Auction }>,
  bids: readonly BidFacts[],
  now: number,
): Pick<CommitBatch, 'endingSoon' | 'endingSoonDue'> {
  const endingSoon: NonNullable<CommitBatch['endingSoon']> = [];
  const notices = new Map<string, string>();
  const seen = new Set<string>();
  for (const bid of bids) {
    if (bid.status !== 'accepted') continue;
    const after = auctions.get(bid.auctionId)?.after;
    if (!after || !isEndingSoon(after, now)) continue;
    const key = `${bid.auctionId}\u0000${bid.bidderId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let data = notices.get(after.id);
    if (data === undefined) notices.set(after.id, (data = endingSoonNotice(after, now)));
    endingSoon.push({ auctionId: after.id, userId: bid.bidderId, data, createdAt: now });
  }
  const endingSoonDue: NonNullable<CommitBatch['endingSoonDue']> = [];
  for (const { before, after } of auctions.values()) {
    if (after.lifecycle !== 'active' || after.version === before.version) continue;
    const was = endingSoonAt(before);
    const is = endingSoonAt(after);
    if (is !== was && (is > now || was > now)) endingSoonDue.push({ auctionId: after.id, dueAt: is });
  }
  return {
    ...(endingSoon.length > 0 ? { endingSoon } : {}),
    ...(endingSoonDue.length > 0 ? { endingSoonDue } : {}),
  };
}
