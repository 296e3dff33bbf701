import {
  type Auction,
  DEFAULT_OFFER_WINDOW_SECONDS,
  DEFAULT_PAYMENT_WINDOW_SECONDS,
  DEFAULT_SOFT_CLOSE,
  type Item,
  type LiveStream,
  type SoftClose,
} from './auction.ts';
import { type Catalogue, NO_CATALOGUE } from './catalogue.ts';
import type { IncrementTable } from './increments.ts';

export interface NewAuctionInput {
  id: string;
  sellerId: string;
  item: Item;
  currency: string;
  startingPrice: number;
  minIncrement: number;
  reservePrice: number | null;
  buyNowPrice: number | null;
  /** Defaults to `now`. */
  startDate: number | null;
  endDate: number;
  maxEndDate: number | null;
  /** `undefined` takes the default; `null` is a hard close. */
  softClose: SoftClose | null | undefined;
  /** Default false. */
  proxyBidding?: boolean;
  /** Default null (the fixed `minIncrement`). */
  incrementTable?: IncrementTable | null;
  /** Default 4 days. */
  paymentWindowSeconds?: number;
  /** Default 2 days. */
  offerWindowSeconds?: number;
  /** Default none. */
  liveStream?: LiveStream | null;
  /** Default none. */
  catalogue?: Catalogue;
  /** The seller's inventory item it sells (its item and catalogue are that item's); default none. */
  itemExternalId?: string | null;
  /** With `itemExternalId`: the revision of the inventory item it shows; default none. */
  itemRevision?: number | null;
}

export type NewAuctionResult = { ok: true; auction: Auction } | { ok: false; field: string; message: string };

/** Business checks that a schema cannot express (they depend on `now` or on several fields). */
export function newAuction(input: NewAuctionInput, now: number): NewAuctionResult {
  const startDate = input.startDate ?? now;
  if (input.endDate <= startDate) return { ok: false, field: 'endDate', message: 'endDate must be after startDate' };
  if (input.endDate <= now) return { ok: false, field: 'endDate', message: 'endDate must be in the future' };
  if (input.buyNowPrice !== null && input.buyNowPrice < input.startingPrice)
    return { ok: false, field: 'buyNowPrice', message: 'buyNowPrice must be at least startingPrice' };
  if (input.maxEndDate !== null && input.maxEndDate < input.endDate)
    return { ok: false, field: 'maxEndDate', message: 'maxEndDate must not be before endDate' };
  return {
    ok: true,
    auction: {
      id: input.id,
      sellerId: input.sellerId,
      item: withImages(input.item),
      currency: input.currency,
      startingPrice: input.startingPrice,
      minIncrement: input.minIncrement,
      incrementTable: input.incrementTable ?? null,
      proxyBidding: input.proxyBidding ?? false,
      leaderMax: null,
      paymentWindowSeconds: input.paymentWindowSeconds ?? DEFAULT_PAYMENT_WINDOW_SECONDS,
      offerWindowSeconds: input.offerWindowSeconds ?? DEFAULT_OFFER_WINDOW_SECONDS,
      liveStream: input.liveStream ?? null,
      settlement: null,
      reservePrice: input.reservePrice,
      buyNowPrice: input.buyNowPrice,
      startDate,
      endDate: input.endDate,
      originalEndDate: input.endDate,
      maxEndDate: input.maxEndDate,
      softClose: input.softClose === undefined ? DEFAULT_SOFT_CLOSE : input.softClose,
      lifecycle: 'active',
      currentPrice: null,
      highestBid: null,
      bidCount: 0,
      version: 1,
      outcome: null,
      closedAt: null,
      createdAt: now,
      category: input.catalogue?.category ?? null,
      attributes: input.catalogue?.attributes ?? NO_CATALOGUE.attributes,
      location: input.catalogue?.location ?? null,
      itemExternalId: input.itemExternalId ?? null,
      itemRevision: input.itemRevision ?? null,
    },
  };
}

/** The item with `images` and its cover `imageUrl` agreeing: `images` wins when given, else [imageUrl]. */
export function withImages(item: Item): Item {
  const images = item.images ?? (item.imageUrl === null ? [] : [item.imageUrl]);
  return { name: item.name, description: item.description, imageUrl: images[0] ?? null, images };
}
