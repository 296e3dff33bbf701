import { type Auction, hasReserve, minNextBid, outcomeOf, reserveMet, statusAt } from './auction.ts';
import type { BidRejectionReason } from './bidding.ts';

/** The wire shape of an auction (api.md), computed for one viewer at one instant. */
export interface AuctionView {
  id: string;
  sellerId: string;
  item: { name: string; description: string; imageUrl: string | null };
  currency: string;
  startingPrice: number;
  minIncrement: number;
  hasReserve: boolean;
  reserveMet: boolean;
  /** Present only when the viewer is the seller. */
  reservePrice?: number | null;
  buyNowPrice: number | null;
  startDate: string;
  endDate: string;
  originalEndDate: string;
  maxEndDate: string | null;
  softClose: { windowSeconds: number; extendSeconds: number } | null;
  status: 'scheduled' | 'open' | 'closed' | 'cancelled';
  currentPrice: number | null;
  highestBid: { id: string; bidderId: string; amount: number; createdAt: string } | null;
  bidCount: number;
  minNextBid: number;
  version: number;
  outcome: {
    result: 'sold' | 'no_bids' | 'reserve_not_met';
    winnerId: string | null;
    finalPrice: number | null;
  } | null;
  closedAt: string | null;
  createdAt: string;
  serverTime: string;
}

export interface BidView {
  id: string;
  auctionId: string;
  bidderId: string;
  amount: number;
  status: 'accepted' | 'rejected';
  reason: BidRejectionReason | null;
  createdAt: string;
  /** The auction version right after this bid (accepted) or the one it was judged against (rejected). */
  auctionVersion: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Renders the auction as `viewerId` may see it at `now`. The status is the
 * clock's verdict, and an auction past its end shows the outcome it closes
 * with even before the closer has announced it: a read never disagrees with
 * what the bid path would decide.
 */
export function auctionView(auction: Auction, now: number, viewerId: string | null): AuctionView {
  const status = statusAt(auction, now);
  const view: AuctionView = {
    id: auction.id,
    sellerId: auction.sellerId,
    item: auction.item,
    currency: auction.currency,
    startingPrice: auction.startingPrice,
    minIncrement: auction.minIncrement,
    hasReserve: hasReserve(auction),
    reserveMet: reserveMet(auction),
    buyNowPrice: auction.buyNowPrice,
    startDate: iso(auction.startDate),
    endDate: iso(auction.endDate),
    originalEndDate: iso(auction.originalEndDate),
    maxEndDate: auction.maxEndDate === null ? null : iso(auction.maxEndDate),
    softClose: auction.softClose,
    status,
    currentPrice: auction.currentPrice,
    highestBid: auction.highestBid && { ...auction.highestBid, createdAt: iso(auction.highestBid.createdAt) },
    bidCount: auction.bidCount,
    minNextBid: minNextBid(auction),
    version: auction.version,
    outcome: auction.outcome ?? (status === 'closed' ? outcomeOf(auction) : null),
    closedAt: auction.closedAt === null ? (status === 'closed' ? iso(auction.endDate) : null) : iso(auction.closedAt),
    createdAt: iso(auction.createdAt),
    serverTime: iso(now),
  };
  if (viewerId !== null && viewerId === auction.sellerId) view.reservePrice = auction.reservePrice;
  return view;
}
