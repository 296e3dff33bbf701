import { type IncrementTable, incrementAt } from './increments.ts';
import type { Attributes, Location } from './catalogue.ts';
import { MAX_AMOUNT } from './money.ts';

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
  /** The cover picture: `images[0]`, kept for clients that show one. */
  imageUrl: string | null;
  /** Up to ITEM_IMAGES_MAX pictures, the cover first. Absent in states stored before there were several: read as [imageUrl]. */
  images?: string[];
}

/** The seller's live video (HLS): Gavel shows it beside the auction, it does not ingest it. */
export interface LiveStream {
  playbackUrl: string;
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

/** What happens after a `sold` close: the buyer pays, or the item goes down the list of bidders. */
export type SettlementState = 'awaiting_payment' | 'offer_pending' | 'paid' | 'unsold';

export interface Settlement {
  state: SettlementState;
  /** Who must act now (pay, or accept the offer); the payer once paid; null when unsold. */
  buyerId: string | null;
  price: number | null;
  /** When the current window runs out (awaiting_payment, offer_pending); else null. */
  deadline: number | null;
  /** 0 for the winner, then 1, 2, … for each second-chance offer. */
  round: number;
  /** Bidders who have had their chance (winner who did not pay, declined or lapsed offers). */
  passed: string[];
  /** Of those, the ones who held the payment window and let it run out (winner or accepted offeree). */
  lapsed: string[];
  paidAt: number | null;
}

export interface Auction {
  id: string;
  sellerId: string;
  item: Item;
  currency: string;
  startingPrice: number;
  /** The fixed increment (also the default when `incrementTable` is null). */
  minIncrement: number;
  /** `standard`: increments from the table keyed on the current price; null: `minIncrement`. */
  incrementTable: IncrementTable | null;
  /** Bids are maximums and the engine bids for each bidder up to theirs (eBay model). */
  proxyBidding: boolean;
  /** Proxy bidding only, PRIVATE: the leader's maximum. Never in any public view or event. */
  leaderMax: number | null;
  paymentWindowSeconds: number;
  offerWindowSeconds: number;
  settlement: Settlement | null;
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
  /** Absent in states stored before live video existed: read as null. */
  liveStream?: LiveStream | null;
  // The catalogue (see catalogue.ts): absent in states stored before it existed, read with catalogueOf().
  category?: string | null;
  attributes?: Attributes;
  location?: Location | null;
  /**
   * The seller's inventory item this auction sells (Inventory sync), or null: while the auction is not
   * closed, its item, category, attributes and location follow that item's changes.
   */
  itemExternalId?: string | null;
  /**
   * With `itemExternalId`: the revision of the inventory item this state shows (its item and catalogue).
   * An auction behind its item's revision is still to be brought up to date (see inventory-item.ts).
   */
  itemRevision?: number | null;
}

export const DEFAULT_SOFT_CLOSE: SoftClose = { windowSeconds: 30, extendSeconds: 30 };
export const DEFAULT_PAYMENT_WINDOW_SECONDS = 4 * 24 * 3600;
export const DEFAULT_OFFER_WINDOW_SECONDS = 2 * 24 * 3600;

export function statusAt(auction: Auction, now: number): AuctionStatus {
  if (auction.lifecycle === 'cancelled') return 'cancelled';
  if (auction.lifecycle === 'closed') return 'closed';
  if (now >= auction.endDate) return 'closed';
  if (now < auction.startDate) return 'scheduled';
  return 'open';
}

/**
 * The smallest amount that would be accepted now. INVARIANT: never above
 * MAX_AMOUNT, the largest amount a request may carry. Near the top the
 * increment is capped to what is left, so that a price below MAX_AMOUNT can
 * always still be beaten; at MAX_AMOUNT itself this is the price, which
 * `placeBid` refuses (a bid must be above the price).
 */
export function minNextBid(auction: Auction): number {
  if (auction.currentPrice === null) return auction.startingPrice;
  return Math.min(MAX_AMOUNT, auction.currentPrice + incrementAt(auction, auction.currentPrice));
}

/**
 * Buy-now is possible while the auction is open, has a buy-now price, and
 * either has no accepted bid yet or has a reserve that is not met, as long as
 * the bidding has not already reached the buy-now price.
 */
export function buyNowAvailable(auction: Auction, now: number): boolean {
  return statusAt(auction, now) === 'open' && buyNowOffered(auction);
}

/** The part of buyNowAvailable that does not depend on the clock (the store indexes it). */
export function buyNowOffered(auction: Auction): boolean {
  if (auction.buyNowPrice === null || auction.lifecycle !== 'active') return false;
  if (auction.currentPrice !== null && auction.currentPrice >= auction.buyNowPrice) return false;
  return auction.highestBid === null || !reserveMet(auction);
}

/**
 * The next time something is due on this auction without anyone acting: its
 * end while active, the settlement deadline while a payment or an offer is
 * pending. This is the key of the store's due-time index.
 */
export function dueAt(auction: Auction): number | null {
  if (auction.lifecycle === 'active') return auction.endDate;
  const settlement = auction.settlement;
  if (settlement && (settlement.state === 'awaiting_payment' || settlement.state === 'offer_pending'))
    return settlement.deadline;
  return null;
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
