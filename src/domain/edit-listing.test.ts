import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SELLER, T0, makeAuction } from '../../test/support/auction-scenarios.ts';
import type { Auction } from './auction.ts';
import { placeBid } from './bidding.ts';
import { cancelAuction } from './cancel.ts';
import { type ListingEdit, catalogueDiffers, editListing } from './edit-listing.ts';

const HOUR = 3_600_000;

function withBid(auction: Auction): Auction {
  const d = placeBid(auction, { id: 'b1', bidderId: 'alice', amount: auction.startingPrice, proxyBidId: 'p1' }, T0);
  assert.ok(d.accepted);
  return d.auction;
}

function refusedWith(decision: ReturnType<typeof editListing>, reason: string, field?: string): void {
  assert.equal(decision.ok, false, JSON.stringify(decision));
  if (!decision.ok) {
    assert.equal(decision.reason, reason);
    if (field !== undefined) assert.equal(decision.field, field);
  }
}

describe('editListing: who and when', () => {
  test('only the seller, only before the end, not after a cancel', () => {
    const auction = makeAuction();
    refusedWith(editListing(auction, 'alice', { item: { name: 'x' } }, T0), 'NOT_SELLER');
    refusedWith(editListing(auction, SELLER, { item: { name: 'x' } }, auction.endDate), 'AUCTION_CLOSED');
    const cancelled = cancelAuction(auction, SELLER, T0);
    assert.ok(cancelled.cancelled);
    refusedWith(editListing(cancelled.auction, SELLER, { item: { name: 'x' } }, T0), 'AUCTION_CANCELLED');
  });

  test('a scheduled auction may be edited', () => {
    const auction = makeAuction({ startDate: T0 + HOUR, endDate: T0 + 2 * HOUR });
    const d = editListing(auction, SELLER, { startingPrice: 5, item: { name: 'Renamed' } }, T0);
    assert.ok(d.ok && d.changed);
    assert.equal(d.auction.startingPrice, 5);
    assert.equal(d.auction.item.name, 'Renamed');
    assert.equal(d.auction.version, auction.version + 1);
  });
});

describe('editListing: the item and its catalogue', () => {
  test('fields left out keep their value; images replace the pictures and the cover follows', () => {
    const auction = makeAuction({
      item: { name: 'Leica', description: 'Boxed', imageUrl: 'https://x/a.jpg' },
      catalogue: { category: 'cameras', attributes: { make: 'Leica' }, location: null },
    });
    const d = editListing(auction, SELLER, { item: { images: ['https://x/b.jpg', 'https://x/c.jpg'] } }, T0);
    assert.ok(d.ok && d.changed);
    assert.deepEqual(d.auction.item, {
      name: 'Leica',
      description: 'Boxed',
      imageUrl: 'https://x/b.jpg',
      images: ['https://x/b.jpg', 'https://x/c.jpg'],
    });
    assert.equal(d.auction.category, 'cameras');
    const none = editListing(d.auction, SELLER, { item: { images: [] } }, T0);
    assert.ok(none.ok && none.changed);
    assert.equal(none.auction.item.imageUrl, null);
  });

  test('attributes replace the whole map; null removes category and location', () => {
    const auction = makeAuction({
      catalogue: {
        category: 'vehicles',
        attributes: { make: 'Toyota', year: 2019 },
        location: { country: 'DE', region: null, city: 'Munich' },
      },
    });
    const d = editListing(auction, SELLER, { attributes: { mileage: 42000 }, category: null, location: null }, T0);
    assert.ok(d.ok && d.changed);
    assert.deepEqual(d.auction.attributes, { mileage: 42000 });
    assert.equal(d.auction.category, null);
    assert.equal(d.auction.location, null);
    assert.ok(catalogueDiffers(auction, d.auction));
  });

  test('the item of an auction selling an inventory item is not edited here', () => {
    const auction = makeAuction({ itemExternalId: 'sku-1' });
    refusedWith(editListing(auction, SELLER, { item: { name: 'Other' } }, T0), 'ITEM_MANAGED_BY_INVENTORY');
    refusedWith(editListing(auction, SELLER, { category: 'cars' }, T0), 'ITEM_MANAGED_BY_INVENTORY');
    // Its terms still are the seller's.
    const d = editListing(auction, SELLER, { startingPrice: 1 }, T0);
    assert.ok(d.ok && d.changed);
    assert.equal(catalogueDiffers(auction, d.auction), false);
  });
});

describe('editListing: prices and the end', () => {
  test('refused once a bid has been accepted, while the item may still change', () => {
    const auction = withBid(makeAuction());
    for (const edit of [
      { startingPrice: 1 },
      { buyNowPrice: 1_000_000 },
      { reservePrice: 5000 },
      { endDate: auction.endDate + HOUR },
    ] satisfies ListingEdit[])
      refusedWith(editListing(auction, SELLER, edit, T0), 'AUCTION_HAS_BIDS');
    const d = editListing(auction, SELLER, { item: { description: 'Now with a strap' } }, T0);
    assert.ok(d.ok && d.changed);
    assert.equal(d.auction.currentPrice, auction.currentPrice);
    // The same values are no edit, so they are not refused.
    const same = editListing(auction, SELLER, { startingPrice: auction.startingPrice }, T0);
    assert.ok(same.ok && !same.changed);
  });

  test('the same checks as at creation', () => {
    const auction = makeAuction({ startingPrice: 1000, endDate: T0 + HOUR, maxEndDate: T0 + 2 * HOUR });
    refusedWith(editListing(auction, SELLER, { endDate: T0 }, T0), 'VALIDATION_FAILED', 'endDate');
    refusedWith(editListing(auction, SELLER, { endDate: T0 + 3 * HOUR }, T0), 'VALIDATION_FAILED', 'endDate');
    refusedWith(editListing(auction, SELLER, { buyNowPrice: 999 }, T0), 'VALIDATION_FAILED', 'buyNowPrice');
    const withBuyNow = editListing(auction, SELLER, { buyNowPrice: 5000 }, T0);
    assert.ok(withBuyNow.ok);
    refusedWith(
      editListing(withBuyNow.auction, SELLER, { startingPrice: 6000 }, T0),
      'VALIDATION_FAILED',
      'startingPrice',
    );
    const later = editListing(auction, SELLER, { endDate: T0 + 2 * HOUR }, T0);
    assert.ok(later.ok && later.changed);
    assert.equal(later.auction.endDate, T0 + 2 * HOUR);
    assert.equal(later.auction.originalEndDate, T0 + 2 * HOUR);
  });
});

describe('editListing: an edit that changes nothing', () => {
  test('returns the very same state (no new version)', () => {
    const auction = makeAuction({
      item: { name: 'Leica', description: 'Boxed', imageUrl: 'https://x/a.jpg' },
      catalogue: {
        category: 'cameras',
        attributes: { a: 1, b: 'x' },
        location: { country: 'FR', region: null, city: null },
      },
    });
    const d = editListing(
      auction,
      SELLER,
      {
        item: { name: 'Leica', images: ['https://x/a.jpg'] },
        category: 'cameras',
        attributes: { b: 'x', a: 1 },
        location: { country: 'FR', region: null, city: null },
        startingPrice: auction.startingPrice,
        endDate: auction.endDate,
      },
      T0,
    );
    assert.ok(d.ok);
    assert.equal(d.changed, false);
    assert.equal(d.auction, auction);
  });

  test('property: a change bumps the version by one and touches nothing it was not asked to', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            name: fc.string({ minLength: 1, maxLength: 5 }),
            startingPrice: fc.integer({ min: 1, max: 2000 }),
            category: fc.constantFrom(null, 'cars', 'watches'),
          },
          { requiredKeys: [] },
        ),
        (fields) => {
          const auction = makeAuction();
          const edit: ListingEdit = {
            item: fields.name === undefined ? undefined : { name: fields.name },
            startingPrice: fields.startingPrice,
            category: fields.category,
          };
          const d = editListing(auction, SELLER, edit, T0);
          assert.ok(d.ok);
          if (!d.changed) return assert.equal(d.auction, auction);
          assert.equal(d.auction.version, auction.version + 1);
          assert.equal(d.auction.id, auction.id);
          assert.equal(d.auction.currency, auction.currency);
          assert.equal(d.auction.bidCount, 0);
          if (fields.name === undefined) assert.equal(d.auction.item, auction.item);
          if (fields.startingPrice === undefined) assert.equal(d.auction.startingPrice, auction.startingPrice);
        },
      ),
    );
  });
});
