import type { Auction } from './auction.ts';

/** How long before an auction's end its watchers and bidders hear `ending_soon` (api.md "Watchlist"). */
export const ENDING_SOON_LEAD_MS = 15 * 60_000;

/**
 * The auction's ending-soon moment: `ENDING_SOON_LEAD_MS` before its end, or its start when it runs shorter
 * than that (whoever watches or bids on it then hears it at once). The key of the store's ending-soon index.
 */
export function endingSoonAt(auction: Pick<Auction, 'startDate' | 'endDate'>): number {
  return Math.max(auction.startDate, auction.endDate - ENDING_SOON_LEAD_MS);
}

/** Whether the auction is open at `now` and its ending-soon moment has come. */
export function isEndingSoon(auction: Auction, now: number): boolean {
  return auction.lifecycle === 'active' && now >= endingSoonAt(auction) && now < auction.endDate;
}
