/**
 * The auction as the domain sees it. Pure data: times are epoch milliseconds,
 * money is integer minor units. The persisted lifecycle (`lifecycle`) only
 * records what has been *announced*; the status a reader sees is always
 * computed against the clock (`statusAt`), so an auction whose end has passed
 * is never shown open, even before the closer has run.
 */

export type Lifecycle = 'active' | 'closed' | 'cancelled';
export type AuctionStatus = 'scheduled' | 'open' | 'closed' | 'cancelled';

export interface SoftClose {
  /** A bid accepted less than this many seconds before the end extends the auction. */
  windowSeconds: number;
  /** The end becomes at least `acceptedAt + extendSeconds`. */
  extendSeconds: number;
}

export interface Item {
  name: string;
  description: string;
  imageUrl: string | null;
}

export interface HighestBid {
  id: string;
  bidderId: string;
  amount: number;
  createdAt: number;
}

export type OutcomeResult = 'sold' | 'no_bids' | 'reserve_not_met';

export interface Outcome {
  result: OutcomeResult;
  winnerId: string | null;
  finalPrice: number | null;
}

export interface Auction {
  id: string;
  sellerId: string;
  item: Item;
  currency: string;
  startingPrice: number;
  minIncrement: number;
  /** Hidden from everyone but the seller. */
  reservePrice: number | null;
  buyNowPrice: number | null;
  startDate: number;
  endDate: number;
  originalEndDate: number;
  /** Optional cap on soft-close extensions; `null` means uncapped. */
  maxEndDate: number | null;
  /** `null` means a hard close. */
  softClose: SoftClose | null;
  lifecycle: Lifecycle;
  currentPrice: number | null;
  highestBid: HighestBid | null;
  bidCount: number;
  /** Starts at 1, +1 on every state change; orders every event of the auction. */
  version: number;
  outcome: Outcome | null;
  closedAt: number | null;
  createdAt: number;
}

export const DEFAULT_SOFT_CLOSE: SoftClose = { windowSeconds: 30, extendSeconds: 30 };

export function statusAt(auction: Auction, now: number): AuctionStatus {
  if (auction.lifecycle === 'cancelled') return 'cancelled';
  if (auction.lifecycle === 'closed') return 'closed';
  if (now >= auction.endDate) return 'closed';
  if (now < auction.startDate) return 'scheduled';
  return 'open';
}

export function minNextBid(auction: Auction): number {
  return auction.currentPrice === null ? auction.startingPrice : auction.currentPrice + auction.minIncrement;
}

export function hasReserve(auction: Auction): boolean {
  return auction.reservePrice !== null;
}

/** True when there is no reserve, or the current price has reached it. */
export function reserveMet(auction: Auction): boolean {
  if (auction.reservePrice === null) return true;
  return auction.currentPrice !== null && auction.currentPrice >= auction.reservePrice;
}

/** The outcome the auction has (or would have) when it closes in its current state. */
export function outcomeOf(auction: Auction): Outcome {
  if (auction.highestBid === null) return { result: 'no_bids', winnerId: null, finalPrice: null };
  if (!reserveMet(auction)) return { result: 'reserve_not_met', winnerId: null, finalPrice: null };
  return { result: 'sold', winnerId: auction.highestBid.bidderId, finalPrice: auction.currentPrice };
}
