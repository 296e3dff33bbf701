import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SELLER, T0, makeAuction } from '../../test/support/auction-scenarios.ts';
import { placeBid } from './bidding.ts';
import { cancelAuction } from './cancel.ts';
import {
  EXTERNAL_ID_PATTERN,
  type InventoryItemRevision,
  inventoryContent,
  inventoryContentText,
  syncInventoryItem,
} from './inventory-item.ts';

const revision = (n: number, name = `rev ${n}`): InventoryItemRevision => ({
  externalId: 'sku-1',
  revision: n,
  content: inventoryContent({
    name,
    description: 'd',
    imageUrl: null,
    images: ['https://img.example/a.jpg'],
    category: 'lamps',
    attributes: { watts: 40 },
    location: { country: 'NL', region: null, city: 'Utrecht' },
  }),
});

describe('inventoryContent: one text per meaning', () => {
  test('attribute order, and imageUrl versus images, do not change the text', () => {
    const a = inventoryContent({
      name: 'n',
      description: '',
      imageUrl: 'https://img.example/a.jpg',
      category: null,
      attributes: { b: 1, a: 'x' },
      location: null,
    });
    const b = inventoryContent({
      name: 'n',
      description: '',
      imageUrl: null,
      images: ['https://img.example/a.jpg'],
      category: null,
      attributes: { a: 'x', b: 1 },
      location: null,
    });
    assert.equal(inventoryContentText(a), inventoryContentText(b));
    assert.deepEqual(a.images, ['https://img.example/a.jpg']);
    assert.notEqual(inventoryContentText(a), inventoryContentText({ ...a, attributes: { a: 'x', b: 2 } }));
  });

  test('the id pattern', () => {
    for (const ok of ['a', 'SKU-1', 'x.y:z_w-9', 'a'.repeat(100)]) assert.ok(EXTERNAL_ID_PATTERN.test(ok), ok);
    for (const bad of ['', 'a b', 'a/b', 'é', 'a'.repeat(101)]) assert.ok(!EXTERNAL_ID_PATTERN.test(bad), bad);
  });
});

describe('syncInventoryItem', () => {
  const auction = () => makeAuction({ itemExternalId: 'sku-1', itemRevision: 1 });

  test('a newer revision replaces the item and catalogue: one new version', () => {
    const d = syncInventoryItem(auction(), SELLER, revision(2, 'Lamp'), T0);
    assert.ok(d.ok && d.changed);
    assert.equal(d.auction.item.name, 'Lamp');
    assert.deepEqual(d.auction.item.images, ['https://img.example/a.jpg']);
    assert.equal(d.auction.item.imageUrl, 'https://img.example/a.jpg');
    assert.equal(d.auction.category, 'lamps');
    assert.deepEqual(d.auction.attributes, { watts: 40 });
    assert.equal(d.auction.itemRevision, 2);
    assert.equal(d.auction.version, auction().version + 1);
  });

  test('the same or an older revision changes nothing, in any order (the newest wins)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 12 }), (order) => {
        let state = auction();
        for (const n of order) {
          const d = syncInventoryItem(state, SELLER, revision(n), T0);
          assert.ok(d.ok);
          if (!d.changed) assert.equal(d.auction, state);
          state = d.auction;
        }
        assert.equal(state.itemRevision, Math.max(1, ...order));
        assert.equal(state.item.name, Math.max(...order) > 1 ? `rev ${Math.max(...order)}` : state.item.name);
      }),
    );
  });

  test('an ended or cancelled auction keeps its item; bids do not stop a change', () => {
    const ended = syncInventoryItem(auction(), SELLER, revision(2), auction().endDate);
    assert.deepEqual(ended, { ok: false, reason: 'AUCTION_CLOSED' });
    const cancelled = cancelAuction(auction(), SELLER, T0);
    assert.ok(cancelled.cancelled);
    assert.deepEqual(syncInventoryItem(cancelled.auction, SELLER, revision(2), T0), {
      ok: false,
      reason: 'AUCTION_CANCELLED',
    });
    const bid = placeBid(auction(), { id: 'b', bidderId: 'alice', amount: 1000, proxyBidId: 'p' }, T0);
    assert.ok(bid.accepted);
    const d = syncInventoryItem(bid.auction, SELLER, revision(2), T0);
    assert.ok(d.ok && d.changed);
    assert.equal(d.auction.currentPrice, 1000);
  });

  test('only the seller, only the item the auction sells', () => {
    assert.deepEqual(syncInventoryItem(auction(), 'alice', revision(2), T0), { ok: false, reason: 'NOT_SELLER' });
    assert.deepEqual(syncInventoryItem(auction(), SELLER, { ...revision(2), externalId: 'other' }, T0), {
      ok: false,
      reason: 'FORBIDDEN',
    });
  });
});
