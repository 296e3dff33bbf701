import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  SELLER,
  T0,
  makeAuction,
  modelMinNextBid,
  modelOutcome,
  modelStatus,
  runScenario,
  scenarioArb,
} from '../../test/support/auction-scenarios.ts';
import type { Auction } from './auction.ts';
import { auctionView } from './auction-view.ts';
import { placeBid } from './bidding.ts';
import { closeIfDue } from './closing.ts';

const HOUR = 3_600_000;

/** Every state a random run passes through, each read at a random instant by a random viewer. */
const reads = fc
  .record({
    scenario: scenarioArb({ withClose: true, withCancel: true }),
    pick: fc.nat(),
    anchor: fc.constantFrom('start', 'end', 'created') as fc.Arbitrary<'start' | 'end' | 'created'>,
    offset: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -120_000, max: 120_000 })),
    viewer: fc.constantFrom(null, SELLER, 'alice'),
  })
  .map(({ scenario, pick, anchor, offset, viewer }) => {
    const { initial, trace } = runScenario(scenario);
    const states: Auction[] = [initial, ...trace.map((e) => (e.kind === 'cancel' ? e.after : e.decision.auction))];
    const auction = states[pick % states.length]!;
    const base = anchor === 'start' ? auction.startDate : anchor === 'end' ? auction.endDate : auction.createdAt;
    return { auction, now: base + offset, viewer };
  });

describe('auctionView: properties', () => {
  test('status is computed against now: closed once now >= endDate even while lifecycle is still active', () => {
    fc.assert(
      fc.property(reads, ({ auction, now, viewer }) => {
        const view = auctionView(auction, now, viewer);
        assert.equal(view.status, modelStatus(auction, now));
        if (auction.lifecycle === 'active' && now >= auction.endDate) assert.equal(view.status, 'closed');
      }),
    );
  });

  test('a closed view carries the outcome the closer will record; an unclosed one has none', () => {
    fc.assert(
      fc.property(reads, ({ auction, now, viewer }) => {
        const view = auctionView(auction, now, viewer);
        if (view.status === 'closed') {
          assert.deepEqual(view.outcome, auction.outcome ?? modelOutcome(auction));
          if (auction.lifecycle === 'active') assert.deepEqual(view.outcome, closeIfDue(auction, now).auction.outcome);
        } else {
          assert.equal(view.outcome, null);
        }
      }),
    );
  });

  test('the reserve amount is present only for the seller; hasReserve/reserveMet for everyone', () => {
    fc.assert(
      fc.property(reads, ({ auction, now, viewer }) => {
        const view = auctionView(auction, now, viewer);
        assert.equal('reservePrice' in view, viewer === SELLER);
        if (viewer === SELLER) assert.equal(view.reservePrice, auction.reservePrice);
        assert.ok(!JSON.stringify(auctionView(auction, now, 'alice')).includes('reservePrice'));
        assert.equal(view.hasReserve, auction.reservePrice !== null);
        assert.equal(
          view.reserveMet,
          auction.reservePrice === null ||
            (auction.currentPrice !== null && auction.currentPrice >= auction.reservePrice),
        );
      }),
    );
  });

  test('minNextBid is the smallest amount placeBid accepts now (when open)', () => {
    fc.assert(
      fc.property(reads, ({ auction, now }) => {
        const view = auctionView(auction, now, null);
        assert.equal(view.minNextBid, modelMinNextBid(auction));
        const at = placeBid(auction, { id: 'probe', bidderId: 'dave', amount: view.minNextBid }, now);
        assert.equal(at.accepted, view.status === 'open', 'the view and the bid path disagree about open');
        if (view.minNextBid > 1) {
          const below = placeBid(auction, { id: 'probe', bidderId: 'dave', amount: view.minNextBid - 1 }, now);
          assert.equal(below.accepted, false);
        }
      }),
    );
  });

  test('wire fields mirror the state: ISO times, prices, version, serverTime', () => {
    fc.assert(
      fc.property(reads, ({ auction, now, viewer }) => {
        const view = auctionView(auction, now, viewer);
        assert.equal(view.endDate, new Date(auction.endDate).toISOString());
        assert.equal(view.startDate, new Date(auction.startDate).toISOString());
        assert.equal(view.originalEndDate, new Date(auction.originalEndDate).toISOString());
        assert.equal(view.serverTime, new Date(now).toISOString());
        assert.equal(view.currentPrice, auction.currentPrice);
        assert.equal(view.bidCount, auction.bidCount);
        assert.equal(view.version, auction.version);
        assert.deepEqual(
          view.highestBid,
          auction.highestBid && {
            ...auction.highestBid,
            createdAt: new Date(auction.highestBid.createdAt).toISOString(),
          },
        );
      }),
    );
  });
});

describe('auctionView: examples', () => {
  const a = makeAuction({ reservePrice: 5000, softClose: null });
  const withBid = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 6000 }, T0 + 1).auction;

  test('open before the end, closed (with outcome) from endDate on, though lifecycle is still active', () => {
    assert.equal(withBid.lifecycle, 'active');
    const before = auctionView(withBid, withBid.endDate - 1, null);
    assert.equal(before.status, 'open');
    assert.equal(before.outcome, null);
    const after = auctionView(withBid, withBid.endDate, null);
    assert.equal(after.status, 'closed');
    assert.deepEqual(after.outcome, { result: 'sold', winnerId: 'alice', finalPrice: 6000 });
  });

  test('scheduled before startDate', () => {
    const later = makeAuction({ startDate: T0 + 60_000, endDate: T0 + HOUR });
    assert.equal(auctionView(later, T0 + 59_999, null).status, 'scheduled');
    assert.equal(auctionView(later, T0 + 60_000, null).status, 'open');
  });

  test('cancelled stays cancelled, without outcome, even after the end', () => {
    const cancelled: Auction = { ...a, lifecycle: 'cancelled', version: 2 };
    const view = auctionView(cancelled, a.endDate + 1, null);
    assert.equal(view.status, 'cancelled');
    assert.equal(view.outcome, null);
  });

  test('reservePrice: shown to the seller only', () => {
    assert.equal(auctionView(a, T0, SELLER).reservePrice, 5000);
    assert.ok(!('reservePrice' in auctionView(a, T0, 'alice')));
    assert.ok(!('reservePrice' in auctionView(a, T0, null)));
    assert.equal(auctionView(a, T0, null).hasReserve, true);
    assert.equal(auctionView(a, T0, null).reserveMet, false);
    assert.equal(auctionView(withBid, T0 + 1, null).reserveMet, true);
  });

  test('minNextBid: startingPrice before the first bid, then currentPrice + minIncrement', () => {
    assert.equal(auctionView(a, T0, null).minNextBid, 1000);
    assert.equal(auctionView(withBid, T0 + 1, null).minNextBid, 6100);
  });
});
