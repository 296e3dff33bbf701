import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auctionView, newAuction } from '../domain/index.ts';
import { SnapshotCache } from './snapshot-cache.ts';

test('a snapshot is serialized once per state, and is exactly the view with this moment’s serverTime', () => {
  const created = newAuction(
    {
      id: 'a1',
      sellerId: 's1',
      item: { name: 'Lamp', description: 'd', imageUrl: null },
      currency: 'USD',
      startingPrice: 100,
      minIncrement: 1,
      reservePrice: null,
      buyNowPrice: 500,
      startDate: null,
      endDate: 10_000_000,
      maxEndDate: null,
      softClose: undefined,
      proxyBidding: false,
      incrementTable: null,
      paymentWindowSeconds: 3600,
      offerWindowSeconds: 3600,
    },
    1_000,
  );
  assert.ok(created.ok);
  const state = created.auction;
  let renders = 0;
  const cache = new SnapshotCache((s, now) => {
    renders++;
    return auctionView(s, now, null);
  });
  for (const now of [2_000, 2_001, 5_000, 9_999_999]) {
    assert.equal(cache.data(state, now), JSON.stringify({ auction: auctionView(state, now, null) }));
  }
  assert.equal(renders, 1, 'one serialization for four streams on the same state');
  // Past its end the status changes without a new version: a new text, not a stale one.
  assert.equal(cache.data(state, 10_000_001), JSON.stringify({ auction: auctionView(state, 10_000_001, null) }));
  assert.equal(renders, 2);
});
