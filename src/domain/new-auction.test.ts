import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SELLER, T0, auctionInput, softCloseArb } from '../../test/support/auction-scenarios.ts';
import { DEFAULT_SOFT_CLOSE } from './auction.ts';
import { newAuction } from './new-auction.ts';

const HOUR = 3_600_000;

function refused(result: ReturnType<typeof newAuction>, field: string): void {
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.field, field);
}

describe('newAuction: validation', () => {
  test('endDate must be after startDate and after now', () => {
    refused(newAuction(auctionInput({ endDate: T0 }), T0), 'endDate');
    refused(newAuction(auctionInput({ endDate: T0 - 1 }), T0), 'endDate');
    refused(newAuction(auctionInput({ startDate: T0 + HOUR, endDate: T0 + HOUR }), T0), 'endDate');
    refused(newAuction(auctionInput({ startDate: T0 + 2 * HOUR, endDate: T0 + HOUR }), T0), 'endDate');
    // A start in the past does not excuse an end in the past.
    refused(newAuction(auctionInput({ startDate: T0 - 2 * HOUR, endDate: T0 - HOUR }), T0), 'endDate');
    assert.ok(newAuction(auctionInput({ endDate: T0 + 1 }), T0).ok);
  });

  test('buyNowPrice must be at least startingPrice', () => {
    refused(newAuction(auctionInput({ startingPrice: 1000, buyNowPrice: 999 }), T0), 'buyNowPrice');
    assert.ok(newAuction(auctionInput({ startingPrice: 1000, buyNowPrice: 1000 }), T0).ok);
  });

  test('maxEndDate must not be before endDate', () => {
    refused(newAuction(auctionInput({ endDate: T0 + HOUR, maxEndDate: T0 + HOUR - 1 }), T0), 'maxEndDate');
    assert.ok(newAuction(auctionInput({ endDate: T0 + HOUR, maxEndDate: T0 + HOUR }), T0).ok);
  });

  test('defaults: startDate = now, default soft close; null soft close is a hard close', () => {
    const r = newAuction(auctionInput(), T0);
    assert.ok(r.ok);
    assert.equal(r.auction.startDate, T0);
    assert.deepEqual(r.auction.softClose, DEFAULT_SOFT_CLOSE);
    assert.deepEqual(r.auction.softClose, { windowSeconds: 30, extendSeconds: 30 });
    const hard = newAuction(auctionInput({ softClose: null }), T0);
    assert.ok(hard.ok);
    assert.equal(hard.auction.softClose, null);
  });

  test('property: accepted exactly when every rule holds; a refusal names a violated field', () => {
    const inputs = fc.record({
      startOffset: fc.option(fc.integer({ min: -HOUR, max: HOUR }), { nil: null }),
      endOffset: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -2 * HOUR, max: 2 * HOUR })),
      startingPrice: fc.integer({ min: 1, max: 10_000 }),
      buyNowDelta: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      maxEndDelta: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      softClose: softCloseArb,
    });
    fc.assert(
      fc.property(inputs, (x) => {
        const startDate = x.startOffset === null ? null : T0 + x.startOffset;
        const endDate = T0 + x.endOffset;
        const input = auctionInput({
          startDate,
          endDate,
          startingPrice: x.startingPrice,
          buyNowPrice: x.buyNowDelta === null ? null : Math.max(1, x.startingPrice + x.buyNowDelta),
          maxEndDate: x.maxEndDelta === null ? null : endDate + x.maxEndDelta,
          softClose: x.softClose,
        });
        const violated = new Set<string>();
        if (endDate <= (startDate ?? T0) || endDate <= T0) violated.add('endDate');
        if (input.buyNowPrice !== null && input.buyNowPrice < input.startingPrice) violated.add('buyNowPrice');
        if (input.maxEndDate !== null && input.maxEndDate < endDate) violated.add('maxEndDate');

        const result = newAuction(input, T0);
        if (!result.ok) {
          assert.ok(violated.has(result.field), `refused on ${result.field}, violated: ${[...violated].join(',')}`);
          return;
        }
        assert.equal(violated.size, 0, `accepted despite ${[...violated].join(',')}`);
        const a = result.auction;
        assert.deepEqual(
          {
            sellerId: a.sellerId,
            startDate: a.startDate,
            endDate: a.endDate,
            originalEndDate: a.originalEndDate,
            maxEndDate: a.maxEndDate,
            softClose: a.softClose,
            lifecycle: a.lifecycle,
            currentPrice: a.currentPrice,
            highestBid: a.highestBid,
            bidCount: a.bidCount,
            version: a.version,
            outcome: a.outcome,
            closedAt: a.closedAt,
            createdAt: a.createdAt,
          },
          {
            sellerId: SELLER,
            startDate: startDate ?? T0,
            endDate,
            originalEndDate: endDate,
            maxEndDate: input.maxEndDate,
            softClose: x.softClose === undefined ? DEFAULT_SOFT_CLOSE : x.softClose,
            lifecycle: 'active',
            currentPrice: null,
            highestBid: null,
            bidCount: 0,
            version: 1,
            outcome: null,
            closedAt: null,
            createdAt: T0,
          },
        );
      }),
    );
  });
});
