import { type Auction, type Item, statusAt } from './auction.ts';
import { type Attributes, type Location, catalogueOf } from './catalogue.ts';
import { withImages } from './new-auction.ts';

/**
 * What a seller may change in a listing (`PATCH /api/v1/auctions/:id`). Every field is optional; a field
 * left out keeps its value. `attributes` replaces the whole map; `item.images` the whole list (its first
 * picture becomes the cover, `imageUrl`).
 */
export interface ListingEdit {
  item?: { name?: string; description?: string; images?: string[] };
  category?: string | null;
  attributes?: Attributes;
  location?: Location | null;
  // What bidders bid on: only while no bid has been accepted.
  startingPrice?: number;
  buyNowPrice?: number | null;
  reservePrice?: number | null;
  endDate?: number;
}

export type ListingEditRefusal =
  | 'NOT_SELLER'
  | 'AUCTION_CLOSED'
  | 'AUCTION_CANCELLED'
  | 'AUCTION_HAS_BIDS'
  | 'ITEM_MANAGED_BY_INVENTORY'
  | 'VALIDATION_FAILED';

export type ListingEditDecision =
  /** `changed: false`: the edit asks for what the listing already is; `auction` is the very same state. */
  | { ok: true; changed: boolean; auction: Auction }
  | { ok: false; reason: ListingEditRefusal; field?: string; message?: string };

/**
 * The seller edits a listing that has not ended (scheduled or open).
 *
 * - The item and its catalogue (category, attributes, location) may change at any time before the end,
 *   unless the auction sells an inventory item (`itemExternalId`): those come from the seller's inventory
 *   and change only with it (ITEM_MANAGED_BY_INVENTORY).
 * - The prices and the end are what bidders bid on: they may change only while no bid has been accepted
 *   (AUCTION_HAS_BIDS), with the same checks as at creation (the end after the start and in the future,
 *   not after the extension cap; buy-now at least the starting price).
 *
 * A field given with the value it already has is no edit: it is never refused, and an edit that changes
 * nothing returns the same state (no new version, no event). Fields that do not change keep their object
 * identity, so the store can tell whether the item or catalogue changed (to re-index it) by reference.
 */
export function editListing(auction: Auction, userId: string, edit: ListingEdit, now: number): ListingEditDecision {
  if (userId !== auction.sellerId) return { ok: false, reason: 'NOT_SELLER' };
  const status = statusAt(auction, now);
  if (status === 'cancelled') return { ok: false, reason: 'AUCTION_CANCELLED' };
  if (status === 'closed') return { ok: false, reason: 'AUCTION_CLOSED' };

  const current = catalogueOf(auction);
  const oldItem = withImages(auction.item);
  const nextItem =
    edit.item === undefined
      ? oldItem
      : withImages({
          name: edit.item.name ?? oldItem.name,
          description: edit.item.description ?? oldItem.description,
          imageUrl: null,
          images: edit.item.images ?? oldItem.images,
        });
  const itemChanged = !sameItem(oldItem, nextItem);
  const categoryChanged = edit.category !== undefined && edit.category !== current.category;
  const attributesChanged = edit.attributes !== undefined && !sameAttributes(edit.attributes, current.attributes);
  const locationChanged = edit.location !== undefined && !sameLocation(edit.location, current.location);
  if ((itemChanged || categoryChanged || attributesChanged || locationChanged) && auction.itemExternalId)
    return {
      ok: false,
      reason: 'ITEM_MANAGED_BY_INVENTORY',
      message: `The item and its catalogue come from your inventory item ${auction.itemExternalId}: change it there`,
    };

  const startingPrice = edit.startingPrice ?? auction.startingPrice;
  const buyNowPrice = edit.buyNowPrice === undefined ? auction.buyNowPrice : edit.buyNowPrice;
  const reservePrice = edit.reservePrice === undefined ? auction.reservePrice : edit.reservePrice;
  const endDate = edit.endDate ?? auction.endDate;
  const termsChanged =
    startingPrice !== auction.startingPrice ||
    buyNowPrice !== auction.buyNowPrice ||
    reservePrice !== auction.reservePrice ||
    endDate !== auction.endDate;
  if (termsChanged && (auction.bidCount > 0 || auction.highestBid !== null))
    return {
      ok: false,
      reason: 'AUCTION_HAS_BIDS',
      message: 'The prices and the end cannot change once a bid has been accepted',
    };
  if (endDate !== auction.endDate) {
    if (endDate <= auction.startDate) return invalid('endDate', 'endDate must be after startDate');
    if (endDate <= now) return invalid('endDate', 'endDate must be in the future');
    if (auction.maxEndDate !== null && auction.maxEndDate < endDate)
      return invalid('endDate', 'endDate must not be after maxEndDate');
  }
  if (buyNowPrice !== null && buyNowPrice < startingPrice)
    return invalid(
      edit.buyNowPrice === undefined ? 'startingPrice' : 'buyNowPrice',
      'buyNowPrice must be at least startingPrice',
    );

  if (!itemChanged && !categoryChanged && !attributesChanged && !locationChanged && !termsChanged)
    return { ok: true, changed: false, auction };
  const next: Auction = { ...auction, version: auction.version + 1 };
  if (itemChanged) next.item = nextItem;
  if (categoryChanged) next.category = edit.category!;
  if (attributesChanged) next.attributes = { ...edit.attributes! };
  if (locationChanged) next.location = edit.location!;
  if (termsChanged) {
    next.startingPrice = startingPrice;
    next.buyNowPrice = buyNowPrice;
    next.reservePrice = reservePrice;
    // No bid, so no extension yet: the end as set is the original end.
    next.endDate = endDate;
    next.originalEndDate = endDate;
  }
  return { ok: true, changed: true, auction: next };
}

/** Whether an edit changes the item or its catalogue (the store then re-indexes the auction). */
export function catalogueDiffers(before: Auction, after: Auction): boolean {
  return (
    before.item !== after.item ||
    before.category !== after.category ||
    before.attributes !== after.attributes ||
    before.location !== after.location
  );
}

function invalid(field: string, message: string): ListingEditDecision {
  return { ok: false, reason: 'VALIDATION_FAILED', field, message };
}

/** Two items (with their pictures as `withImages` gives them) say the same. */
export function sameItem(a: Item, b: Item): boolean {
  const ai = a.images ?? [];
  const bi = b.images ?? [];
  return (
    a.name === b.name &&
    a.description === b.description &&
    a.imageUrl === b.imageUrl &&
    ai.length === bi.length &&
    ai.every((url, i) => url === bi[i])
  );
}

/** The same keys with the same values (their order does not matter). */
export function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export function sameLocation(a: Location | null, b: Location | null): boolean {
  if (a === null || b === null) return a === b;
  return a.country === b.country && a.region === b.region && a.city === b.city;
}
