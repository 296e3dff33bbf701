import { type Auction, buyNowAvailable, hasReserve, minNextBid, outcomeOf, reserveMet, statusAt } from './auction.ts';
import type { BidRejectionReason } from './bidding.ts';
import { type Attributes, type Location, catalogueOf } from './catalogue.ts';

/** The wire shape of an auction (api.md), computed for one viewer at one instant. */
export interface AuctionView {
  id: string;
  sellerId: string;
  item: { name: string; description: string; imageUrl: string | null; images: string[] };
  category: string | null;
  attributes: Attributes;
  location: Location | null;
  /** Present only when the viewer is the seller: the inventory item (Inventory sync) it sells, or null. */
  itemExternalId?: string | null;
  /** Reads only (not a state change, so events leave it out): how many users watch the auction. */
  watcherCount?: number;
  currency: string;
  startingPrice: number;
  minIncrement: number;
  incrementTable: 'standard' | null;
  proxyBidding: boolean;
  hasReserve: boolean;
  reserveMet: boolean;
  /** Present only when the viewer is the seller. */
  reservePrice?: number | null;
  buyNowPrice: number | null;
  buyNowAvailable: boolean;
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
  paymentWindowSeconds: number;
  offerWindowSeconds: number;
  settlement: SettlementView | null;
  /** The seller's live video, when there is one. */
  liveStream: { playbackUrl: string } | null;
  createdAt: string;
  serverTime: string;
}

/** After a `sold` close. An offer's price (the offeree's own bid) is shown only to them and the seller. */
export interface SettlementView {
  state: 'awaiting_payment' | 'offer_pending' | 'paid' | 'unsold';
  buyerId: string | null;
  price: number | null;
  deadline: string | null;
  round: number;
  paidAt: string | null;
}

export interface BidView {
  id: string;
  auctionId: string;
  bidderId: string;
  amount: number;
  /** `bid` placed by the bidder, `proxy` placed by the engine up to their maximum, `buy_now`. */
  kind: 'bid' | 'proxy' | 'buy_now';
  /** Only in the bidder's own view: the maximum they submitted (proxy bidding). */
  maxAmount?: number | null;
  status: 'accepted' | 'rejected';
  reason: BidRejectionReason | null;
  createdAt: string;
  /** The auction version right after this bid (accepted) or the one it was judged against (rejected). */
  auctionVersion: number;
}

/** Everything known about one bid (the store keeps exactly this). */
export interface BidFacts {
  id: string;
  auctionId: string;
  bidderId: string;
  /** The visible amount. */
  amount: number;
  /** `bid` placed by the bidder, `proxy` placed by the engine for them, `buy_now`. */
  kind: 'bid' | 'proxy' | 'buy_now';
  /** PRIVATE: the maximum submitted with a proxy bid. Only ever shown to its bidder. */
  maxAmount: number | null;
  status: 'accepted' | 'rejected';
  reason: BidRejectionReason | null;
  createdAt: number;
  /** The auction version this bid produced (accepted bids), else the version it was judged against. */
  auctionVersion: number;
}

/** A bid as `viewerId` may see it: the maximum only to its own bidder. */
export function bidView(bid: BidFacts, viewerId: string | null): BidView {
  const view: BidView = {
    id: bid.id,
    auctionId: bid.auctionId,
    bidderId: bid.bidderId,
    amount: bid.amount,
    kind: bid.kind,
    status: bid.status,
    reason: bid.reason,
    createdAt: isoTime(bid.createdAt),
    auctionVersion: bid.auctionVersion,
  };
  if (viewerId !== null && viewerId === bid.bidderId && bid.maxAmount !== null) view.maxAmount = bid.maxAmount;
  return view;
}

/**
 * `new Date(ms).toISOString()`, remembered: a view formats 6–8 instants and on a hot auction they are the
 * same few (its start, end and creation, the batch's `now`) for every bid, while formatting one costs
 * about a microsecond. A small direct-mapped table (the slot is the instant's low bits) is enough.
 */
export function isoTime(ms: number): string {
  const slot = ms & (ISO_SLOTS - 1);
  if (isoMs[slot] === ms) return isoText[slot]!;
  const text = new Date(ms).toISOString();
  isoMs[slot] = ms;
  isoText[slot] = text;
  return text;
}
const ISO_SLOTS = 256;
const isoMs = new Float64Array(ISO_SLOTS).fill(Number.NaN);
const isoText: (string | undefined)[] = new Array<string | undefined>(ISO_SLOTS);
const iso = isoTime;

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
    item: itemView(auction),
    ...catalogueOf(auction),
    currency: auction.currency,
    startingPrice: auction.startingPrice,
    minIncrement: auction.minIncrement,
    incrementTable: auction.incrementTable,
    proxyBidding: auction.proxyBidding,
    hasReserve: hasReserve(auction),
    reserveMet: reserveMet(auction),
    buyNowPrice: auction.buyNowPrice,
    buyNowAvailable: buyNowAvailable(auction, now),
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
    paymentWindowSeconds: auction.paymentWindowSeconds,
    offerWindowSeconds: auction.offerWindowSeconds,
    settlement: settlementView(auction, viewerId),
    liveStream: auction.liveStream ?? null,
    createdAt: iso(auction.createdAt),
    serverTime: iso(now),
  };
  if (viewerId !== null && viewerId === auction.sellerId) {
    view.reservePrice = auction.reservePrice;
    view.itemExternalId = auction.itemExternalId ?? null;
  }
  return view;
}

/** The item with its pictures (states stored before there were several have only `imageUrl`). */
function itemView(auction: Auction): AuctionView['item'] {
  const item = auction.item;
  if (item.images !== undefined)
    return { name: item.name, description: item.description, imageUrl: item.imageUrl, images: item.images };
  return { ...item, images: item.imageUrl === null ? [] : [item.imageUrl] };
}

/** The most characters (UTF-16 code units, as the API counts lengths) of a description a list item carries. */
export const DESCRIPTION_SUMMARY_LENGTH = 200;

/** A list item: the auction view with a summary of the description (the whole one is on `GET /auctions/:id`). */
export interface AuctionSummaryView extends Omit<AuctionView, 'item'> {
  item: { name: string; description: string; descriptionTruncated: boolean; imageUrl: string | null; images: string[] };
}

/**
 * `auctionView` for lists (listings, event-stream snapshots of many auctions): the same members, but
 * `item.description` is cut to DESCRIPTION_SUMMARY_LENGTH characters and `item.descriptionTruncated`
 * says whether it was. A listing of 100 auctions with 10 KB descriptions is otherwise a 1 MB answer.
 */
export function auctionSummaryView(auction: Auction, now: number, viewerId: string | null): AuctionSummaryView {
  const view = auctionView(auction, now, viewerId);
  const { text, truncated } = summarizeDescription(auction.item.description);
  return {
    ...view,
    item: {
      name: view.item.name,
      description: text,
      descriptionTruncated: truncated,
      imageUrl: view.item.imageUrl,
      images: view.item.images,
    },
  };
}

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * A description cut to at most `max` characters, ellipsis included: before the last space that fits when
 * that keeps at least half of the room, else after the last whole grapheme that fits (never half an
 * accented letter or an emoji). Shorter descriptions come back as they are. Reads nothing past the first
 * `max + 1` characters, so a caller may pass just those (listings do: see AuctionListQuery.descriptionChars).
 */
export function summarizeDescription(
  description: string,
  max: number = DESCRIPTION_SUMMARY_LENGTH,
): { text: string; truncated: boolean } {
  if (description.length <= max) return { text: description, truncated: false };
  const room = max - ELLIPSIS.length;
  let cut = /\s/u.test(description[room]!) ? room : description.slice(0, room).search(/\s\S*$/u);
  if (cut < room / 2) cut = graphemeBoundaryAtOrBefore(description, room);
  return { text: description.slice(0, cut).trimEnd() + ELLIPSIS, truncated: true };
}

/**
 * The last grapheme boundary at or before `limit`. Only a short window before it is segmented (a whole
 * 200-character segmentation costs ~0.1 ms, too much for every item of a list); a grapheme longer than
 * the window (hundreds of combining marks) is cut between code points instead.
 */
function graphemeBoundaryAtOrBefore(text: string, limit: number): number {
  const start = Math.max(0, limit - 32);
  let boundary = start;
  for (const { index, segment } of graphemes.segment(text.slice(start, limit + 1))) {
    if (start + index + segment.length > limit) break;
    boundary = start + index + segment.length;
  }
  if (boundary > start || start === 0) return boundary;
  return /[\ud800-\udbff]/.test(text[limit - 1]!) ? limit - 1 : limit;
}

function settlementView(auction: Auction, viewerId: string | null): SettlementView | null {
  const s = auction.settlement;
  if (!s) return null;
  const privatePrice = s.round > 0 && viewerId !== auction.sellerId && viewerId !== s.buyerId;
  return {
    state: s.state,
    buyerId: s.buyerId,
    price: privatePrice ? null : s.price,
    deadline: s.deadline === null ? null : iso(s.deadline),
    round: s.round,
    paidAt: s.paidAt === null ? null : iso(s.paidAt),
  };
}
