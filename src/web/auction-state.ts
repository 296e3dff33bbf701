import type { Auction } from './api.ts';
import { formatMoney } from './money.ts';

/**
 * What the page shows for an auction at a given server instant. The server's
 * `status` is its verdict when it answered; between answers the page applies
 * the same clock rule (an auction past its end is never open) so that the
 * countdown reaching zero and the status agree, until the `closed` event
 * brings the outcome.
 */
export type DisplayStatus = 'scheduled' | 'open' | 'ending' | 'closed' | 'cancelled';

export function displayStatus(auction: Auction, now: number): DisplayStatus {
  if (auction.status === 'cancelled' || auction.status === 'closed') return auction.status;
  if (now >= Date.parse(auction.endDate)) return 'ending';
  if (auction.status === 'scheduled' && now < Date.parse(auction.startDate)) return 'scheduled';
  return 'open';
}

export function statusLabel(auction: Auction, status: DisplayStatus): string {
  switch (status) {
    case 'scheduled':
      return 'Starts soon';
    case 'open':
      return 'Live';
    case 'ending':
      return 'Closing…';
    case 'cancelled':
      return 'Cancelled';
    case 'closed': {
      const result = auction.outcome?.result;
      if (result === 'sold') return 'Closed · Sold';
      if (result === 'reserve_not_met') return 'Closed · Reserve not met';
      return 'Closed · No bids';
    }
  }
}

/** The price line: the current price, or the starting price before the first bid. */
export function priceOf(auction: Auction): { label: string; text: string } {
  if (auction.status === 'closed' && auction.outcome?.result === 'sold' && auction.outcome.finalPrice !== null)
    return { label: 'Sold for', text: formatMoney(auction.outcome.finalPrice, auction.currency) };
  if (auction.currentPrice !== null)
    return { label: 'Current bid', text: formatMoney(auction.currentPrice, auction.currency) };
  return { label: 'Starting price', text: formatMoney(auction.startingPrice, auction.currency) };
}

/**
 * Keeps the newer of two views of one auction: versions only grow. `watcherCount` is no state (it comes with
 * reads, never with events): an event's view keeps the count last read, and a fresher read replaces it.
 */
export function newer(current: Auction | null, incoming: Auction): Auction {
  if (!current) return incoming;
  if (incoming.version > current.version)
    return incoming.watcherCount === undefined && current.watcherCount !== undefined
      ? { ...incoming, watcherCount: current.watcherCount }
      : incoming;
  // Same version: the later view may carry a fresher clock verdict (status, outcome) or a viewer-only field.
  if (incoming.version === current.version && Date.parse(incoming.serverTime) >= Date.parse(current.serverTime))
    return {
      ...current,
      ...incoming,
      reservePrice: incoming.reservePrice ?? current.reservePrice,
      watcherCount: incoming.watcherCount ?? current.watcherCount,
    };
  // An older view still brings a count when there is none yet: the page's read can be answered before the
  // live stream's snapshot and arrive after it.
  if (
    incoming.watcherCount !== undefined &&
    (current.watcherCount === undefined || Date.parse(incoming.serverTime) > Date.parse(current.serverTime))
  )
    return { ...current, watcherCount: incoming.watcherCount };
  return current;
}
