import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  SELLER,
  T0,
  bidEntries,
  closeEntries,
  makeAuction,
  modelOutcome,
  runScenario,
  scenarioArb,
  without,
} from '../../test/support/auction-scenarios.ts';
import type { Auction } from './auction.ts';
import { placeBid } from './bidding.ts';
import { closeIfDue } from './closing.ts';

const HOUR = 3_600_000;
const scenarios = scenarioArb({ withClose: true, withCancel: true });
const bidOnly = scenarioArb();

function bid(a: Auction, bidderId: string, amount: number, now: number): Auction {
  const d = placeBid(a, { id: `${bidderId}-${amount}`, bidderId, amount }, now);
  assert.ok(d.accepted, d.accepted ? '' : d.reason);
  return d.auction;
}

describe('closeIfDue: properties over random bid sequences', () => {
  test('does nothing before endDate (same object back)', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        for (const e of closeEntries(runScenario(scenario).trace)) {
          if (e.before.lifecycle === 'active' && e.now < e.before.endDate) {
            assert.equal(e.decision.closed, false);
            assert.equal(e.decision.auction, e.before);
          }
        }
      }),
    );
  });

  test('closes an active auction at or after endDate: lifecycle, outcome, closedAt, settlement, version +1, nothing else', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        for (const e of closeEntries(runScenario(scenario).trace)) {
          if (e.before.lifecycle !== 'active' || e.now < e.before.endDate) continue;
          assert.equal(e.decision.closed, true);
          const after = e.decision.auction;
          assert.equal(after.lifecycle, 'closed');
          assert.equal(after.closedAt, e.before.endDate, 'closedAt is when the clock decided, not when the closer ran');
          assert.equal(after.version, e.before.version + 1);
          assert.deepEqual(after.outcome, modelOutcome(e.before));
          // A sale opens the winner's payment window, counted from the end; any other result opens nothing.
          if (after.outcome!.result === 'sold')
            assert.deepEqual(after.settlement, {
              state: 'awaiting_payment',
              buyerId: after.outcome!.winnerId,
              price: after.outcome!.finalPrice,
              deadline: e.before.endDate + e.before.paymentWindowSeconds * 1000,
              round: 0,
              passed: [],
              lapsed: [],
              paidAt: null,
            });
          else assert.equal(after.settlement, null);
          assert.deepEqual(
            without(after, 'lifecycle', 'outcome', 'closedAt', 'version', 'settlement'),
            without(e.before, 'lifecycle', 'outcome', 'closedAt', 'version', 'settlement'),
          );
        }
      }),
    );
  });

  test('is idempotent: closed or cancelled auctions come back unchanged, at any later time', () => {
    fc.assert(
      fc.property(scenarios, fc.nat({ max: 10 * HOUR }), (scenario, later) => {
        const { trace, final } = runScenario(scenario);
        for (const e of closeEntries(trace)) {
          if (e.before.lifecycle !== 'active') {
            assert.equal(e.decision.closed, false);
            assert.equal(e.decision.auction, e.before);
          }
          if (e.decision.closed) {
            const again = closeIfDue(e.decision.auction, e.now + later);
            assert.equal(again.closed, false);
            assert.equal(again.auction, e.decision.auction);
          }
        }
        // At most one close per auction, so the version grows by exactly 1 for it.
        assert.ok(closeEntries(trace).filter((e) => e.decision.closed).length <= 1);
        if (final.lifecycle !== 'active') {
          const again = closeIfDue(final, Math.max(final.endDate, T0) + later);
          assert.equal(again.auction, final);
        }
      }),
    );
  });

  test('after a close, every bid is refused AUCTION_CLOSED', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        let closed = false;
        for (const e of runScenario(scenario).trace) {
          if (e.kind === 'close' && e.decision.closed) closed = true;
          if (closed && e.kind === 'bid') {
            assert.equal(e.decision.accepted, false);
            if (!e.decision.accepted) assert.equal(e.decision.reason, 'AUCTION_CLOSED');
          }
        }
      }),
    );
  });

  test('final outcome: no_bids, reserve_not_met, or sold to the last accepted bidder at the last accepted amount', () => {
    fc.assert(
      fc.property(bidOnly, fc.nat({ max: HOUR }), (scenario, late) => {
        const { initial, final, trace } = runScenario(scenario);
        const lastTime = trace[trace.length - 1]!.now;
        const decision = closeIfDue(final, Math.max(lastTime, final.endDate) + late);
        assert.equal(decision.closed, true);
        const outcome = decision.auction.outcome!;
        const acceptedBids = bidEntries(trace).filter((e) => e.decision.accepted);
        const last = acceptedBids[acceptedBids.length - 1];
        if (last === undefined) {
          assert.deepEqual(outcome, { result: 'no_bids', winnerId: null, finalPrice: null });
        } else if (initial.reservePrice !== null && last.amount < initial.reservePrice) {
          assert.deepEqual(outcome, { result: 'reserve_not_met', winnerId: null, finalPrice: null });
        } else {
          assert.deepEqual(outcome, { result: 'sold', winnerId: last.bidderId, finalPrice: last.amount });
          assert.notEqual(outcome.winnerId, SELLER);
        }
        assert.equal(decision.auction.version, final.version + 1);
      }),
    );
  });

  test('closeIfDue does not mutate the state it is given', () => {
    fc.assert(
      fc.property(bidOnly, (scenario) => {
        const { final } = runScenario(scenario);
        const snapshot = structuredClone(final);
        closeIfDue(final, final.endDate);
        assert.deepEqual(final, snapshot);
      }),
      { numRuns: 30 },
    );
  });
});

describe('closeIfDue: examples', () => {
  test('endDate - 1 ms: not yet; at endDate: closed', () => {
    const a = makeAuction({ softClose: null });
    const early = closeIfDue(a, a.endDate - 1);
    assert.equal(early.closed, false);
    assert.equal(early.auction, a);
    const due = closeIfDue(a, a.endDate);
    assert.equal(due.closed, true);
    assert.equal(due.auction.closedAt, a.endDate);
  });

  test('no bids → no_bids', () => {
    const a = makeAuction();
    assert.deepEqual(closeIfDue(a, a.endDate).auction.outcome, { result: 'no_bids', winnerId: null, finalPrice: null });
  });

  test('reserve not met → reserve_not_met; reserve exactly met → sold', () => {
    const a = makeAuction({ reservePrice: 1500, softClose: null });
    const under = bid(a, 'alice', 1400, T0 + 1);
    assert.deepEqual(closeIfDue(under, a.endDate).auction.outcome, {
      result: 'reserve_not_met',
      winnerId: null,
      finalPrice: null,
    });
    const met = bid(under, 'bob', 1500, T0 + 2);
    assert.deepEqual(closeIfDue(met, a.endDate).auction.outcome, { result: 'sold', winnerId: 'bob', finalPrice: 1500 });
  });

  test('sold to the leader at the current price, version +1 exactly once', () => {
    const a = makeAuction({ softClose: null });
    const b = bid(bid(a, 'alice', 1000, T0 + 1), 'bob', 1700, T0 + 2);
    const first = closeIfDue(b, b.endDate + 5);
    assert.ok(first.closed);
    assert.deepEqual(first.auction.outcome, { result: 'sold', winnerId: 'bob', finalPrice: 1700 });
    assert.equal(first.auction.version, b.version + 1);
    assert.equal(first.auction.closedAt, b.endDate);
    const second = closeIfDue(first.auction, b.endDate + 10);
    assert.equal(second.closed, false);
    assert.equal(second.auction, first.auction);
  });

  test('a soft-close extension moves the close: the original end is no longer due', () => {
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 30 } });
    const b = bid(a, 'alice', 1000, a.endDate - 1_000);
    assert.equal(closeIfDue(b, a.endDate).closed, false);
    assert.equal(closeIfDue(b, b.endDate).closed, true);
  });

  test('a cancelled auction is never closed', () => {
    const a = makeAuction();
    const cancelled: Auction = { ...a, lifecycle: 'cancelled', version: 2 };
    const d = closeIfDue(cancelled, a.endDate + HOUR);
    assert.equal(d.closed, false);
    assert.equal(d.auction, cancelled);
  });
});
