import { type Auction, type Item, statusAt } from './auction.ts';
import { type Attributes, type Catalogue, type Location } from './catalogue.ts';
import { withImages } from './new-auction.ts';

/**
 * Inventory sync: items a seller's external system (an ERP, a dealer system) owns and pushes with its own
 * ids. An auction may sell one (`Auction.itemExternalId`); while it has not ended, its item and catalogue
 * follow the inventory item's changes. Pure rules and shapes; the store keeps the items and the HTTP layer
 * validates them (docs/inventory.md).
 */

/** The seller's own id of an item: its space is the seller's (two sellers may use the same id). */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/** What an inventory item says: the item an auction shows, and its catalogue. */
export interface InventoryContent {
  name: string;
  description: string;
  /** The cover picture: `images[0]`. */
  imageUrl: string | null;
  images: string[];
  category: string | null;
  attributes: Attributes;
  location: Location | null;
}

/**
 * The content with its pictures agreeing (`images` wins when given, else [imageUrl]) and its fields in one
 * order, attributes by key: two contents that say the same serialize to the same text, which is how an
 * unchanged item is told from a changed one (`inventoryContentText`).
 */
export function inventoryContent(fields: {
  name: string;
  description: string;
  imageUrl: string | null;
  images?: string[];
  category: string | null;
  attributes: Attributes;
  location: Location | null;
}): InventoryContent {
  const item = withImages({
    name: fields.name,
    description: fields.description,
    imageUrl: fields.imageUrl,
    images: fields.images,
  });
  const attributes: Attributes = {};
  for (const key of Object.keys(fields.attributes).sort()) attributes[key] = fields.attributes[key]!;
  const location =
    fields.location === null
      ? null
      : { country: fields.location.country, region: fields.location.region, city: fields.location.city };
  return {
    name: item.name,
    description: item.description,
    imageUrl: item.imageUrl,
    images: item.images ?? [],
    category: fields.category,
    attributes,
    location,
  };
}

/** The canonical text of a content (see `inventoryContent`): what the store keeps and compares. */
export function inventoryContentText(content: InventoryContent): string {
  return JSON.stringify(inventoryContent(content));
}

/** The auction's item and catalogue as an inventory item gives them. */
export function itemOfContent(content: InventoryContent): { item: Item; catalogue: Catalogue } {
  return {
    item: { name: content.name, description: content.description, imageUrl: content.imageUrl, images: content.images },
    catalogue: { category: content.category, attributes: content.attributes, location: content.location },
  };
}

/** One revision of an inventory item, as it is brought to an auction that sells it. */
export interface InventoryItemRevision {
  externalId: string;
  revision: number;
  content: InventoryContent;
}

export type InventorySyncDecision =
  /** `changed: false`: the auction shows this revision (or a later one) already; `auction` is the same state. */
  | { ok: true; changed: boolean; auction: Auction }
  | { ok: false; reason: 'NOT_SELLER' | 'AUCTION_CLOSED' | 'AUCTION_CANCELLED' | 'FORBIDDEN' };

/**
 * Brings an auction to a revision of the inventory item it sells: its item, category, attributes and
 * location become the item's, one new version. Only while the auction has not ended: a closed (or
 * cancelled) auction keeps the item as it was when it ended. A revision the auction shows already, or an
 * older one, changes nothing, so the same revision may be brought any number of times, by any node, in
 * any order (the newest wins).
 */
export function syncInventoryItem(
  auction: Auction,
  sellerId: string,
  revision: InventoryItemRevision,
  now: number,
): InventorySyncDecision {
  if (sellerId !== auction.sellerId) return { ok: false, reason: 'NOT_SELLER' };
  if (auction.itemExternalId !== revision.externalId) return { ok: false, reason: 'FORBIDDEN' };
  const status = statusAt(auction, now);
  if (status === 'cancelled') return { ok: false, reason: 'AUCTION_CANCELLED' };
  if (status === 'closed') return { ok: false, reason: 'AUCTION_CLOSED' };
  if ((auction.itemRevision ?? 0) >= revision.revision) return { ok: true, changed: false, auction };
  const { item, catalogue } = itemOfContent(revision.content);
  return {
    ok: true,
    changed: true,
    auction: {
      ...auction,
      item,
      category: catalogue.category,
      attributes: catalogue.attributes,
      location: catalogue.location,
      itemRevision: revision.revision,
      version: auction.version + 1,
    },
  };
}
