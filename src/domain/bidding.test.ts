import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  SELLER,
  T0,
  applicableReasons,
  bidEntries,
  makeAuction,
  modelEndDateAfterAcceptedBid,
  modelMinNextBid,
  runScenario,
  scenarioArb,
  without,
} from '../../test/support/auction-scenarios.ts';
import type { Auction } from './auction.ts';
import { type BidDecision, placeBid } from './bidding.ts';

const HOUR = 3_600_000;

/** Random bid sequences, with closes and cancels mixed in. */
const scenarios = scenarioArb({ withClose: true, withCancel: true });

function accepted(decision: BidDecision): Auction {
  assert.ok(decision.accepted, `expected acceptance, got ${decision.accepted ? '' : decision.reason}`);
  return decision.auction;
}

function rejectedWith(decision: BidDecision, reason: string): void {
  assert.equal(decision.accepted, false);
  if (!decision.accepted) assert.equal(decision.reason, reason);
}

describe('placeBid: properties over random bid sequences', () => {
  test('accepted amounts strictly increase: first >= startingPrice, then by at least minIncrement', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const { initial, trace } = runScenario(scenario);
        const amounts = bidEntries(trace)
          .filter((e) => e.decision.accepted)
          .map((e) => e.amount);
        if (amounts.length > 0) assert.ok(amounts[0]! >= initial.startingPrice);
        for (let i = 1; i < amounts.length; i++) assert.ok(amounts[i]! >= amounts[i - 1]! + initial.minIncrement);
      }),
    );
  });

  test('a bid is accepted exactly when no rejection reason applies, and the reason follows the precedence', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        for (const e of bidEntries(runScenario(scenario).trace)) {
          const reasons = applicableReasons(e.before, e.bidderId, e.amount, e.now);
          if (reasons.length === 0) assert.equal(e.decision.accepted, true, 'a valid bid was refused');
          else {
            assert.equal(e.decision.accepted, false, `accepted despite ${reasons.join(', ')}`);
            if (!e.decision.accepted) assert.equal(e.decision.reason, reasons[0]);
          }
        }
      }),
    );
  });

  test('currentPrice never goes down and equals the last accepted amount; highestBid is the last accepted bid', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        let lastAccepted: { id: string; bidderId: string; amount: number; createdAt: number } | null = null;
        for (const e of bidEntries(runScenario(scenario).trace)) {
          const after = e.decision.auction;
          if (e.before.currentPrice !== null) assert.ok(after.currentPrice! >= e.before.currentPrice);
          if (e.decision.accepted)
            lastAccepted = { id: e.bidId, bidderId: e.bidderId, amount: e.amount, createdAt: e.now };
          assert.equal(after.currentPrice, lastAccepted?.amount ?? null);
          assert.deepEqual(after.highestBid, lastAccepted);
        }
      }),
    );
  });

  test('a rejected bid returns the very same state object (no extension, no version change)', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        for (const e of bidEntries(runScenario(scenario).trace)) {
          if (e.decision.accepted) continue;
          assert.equal(e.decision.auction, e.before);
          assert.equal(e.decision.auction.endDate, e.before.endDate);
          assert.equal(e.decision.auction.version, e.before.version);
        }
      }),
    );
  });

  test('an accepted bid is one state change: version +1, bidCount +1, only price, leader and end move', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const { initial, final, trace } = runScenario(scenario);
        for (const e of bidEntries(trace)) {
          if (!e.decision.accepted) continue;
          const after = e.decision.auction;
          assert.equal(after.version, e.before.version + 1);
          assert.equal(after.bidCount, e.before.bidCount + 1);
          assert.deepEqual(
            without(after, 'version', 'bidCount', 'currentPrice', 'highestBid', 'endDate'),
            without(e.before, 'version', 'bidCount', 'currentPrice', 'highestBid', 'endDate'),
          );
        }
        // Over the whole run: version = 1 + every state change (accepted bids, closes, cancels).
        const changes = trace.filter((e) =>
          e.kind === 'cancel' ? true : e.kind === 'close' ? e.decision.closed : e.decision.accepted,
        ).length;
        assert.equal(final.version, initial.version + changes);
        assert.equal(initial.version, 1);
        assert.equal(final.bidCount, bidEntries(trace).filter((e) => e.decision.accepted).length);
      }),
    );
  });

  test('nothing is accepted before startDate, at or after endDate, after close or cancel, or from the seller', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        for (const e of bidEntries(runScenario(scenario).trace)) {
          if (!e.decision.accepted) continue;
          assert.ok(e.now >= e.before.startDate, 'accepted before start');
          assert.ok(e.now < e.before.endDate, 'accepted at or after the end');
          assert.equal(e.before.lifecycle, 'active');
          assert.notEqual(e.bidderId, SELLER);
        }
      }),
    );
  });

  test('soft close: end = max(end, now + extend) only inside the window, capped by maxEndDate, never earlier', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const { initial, final, trace } = runScenario(scenario);
        for (const e of bidEntries(trace)) {
          if (!e.decision.accepted) continue;
          const before = e.before;
          const after = e.decision.auction;
          assert.equal(after.endDate, modelEndDateAfterAcceptedBid(before, e.now));
          assert.ok(after.endDate >= before.endDate, 'end moved earlier');
          assert.equal(e.decision.extended, after.endDate !== before.endDate);
          if (before.softClose === null) assert.equal(after.endDate, before.endDate, 'hard close extended');
          else if (before.endDate - e.now >= before.softClose.windowSeconds * 1000)
            assert.equal(after.endDate, before.endDate, 'extended outside the window');
          if (after.endDate !== before.endDate) {
            assert.ok(after.endDate <= e.now + before.softClose!.extendSeconds * 1000, 'extended too far');
            if (before.maxEndDate !== null) assert.ok(after.endDate <= before.maxEndDate, 'extended past maxEndDate');
          }
        }
        assert.equal(final.originalEndDate, initial.endDate);
        if (initial.maxEndDate !== null) assert.ok(final.endDate <= initial.maxEndDate);
        if (initial.softClose === null) assert.equal(final.endDate, initial.endDate);
      }),
    );
  });

  test('placeBid does not mutate the state it is given', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        for (const e of bidEntries(runScenario(scenario).trace)) {
          const snapshot = structuredClone(e.before);
          placeBid(e.before, { id: 'probe', bidderId: 'alice', amount: modelMinNextBid(e.before) }, e.now);
          assert.deepEqual(e.before, snapshot);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('placeBid: examples', () => {
  const hard = () => makeAuction({ softClose: null });

  test('the first bid must be at least startingPrice; later ones at least currentPrice + minIncrement', () => {
    const a = hard();
    rejectedWith(placeBid(a, { id: 'b0', bidderId: 'alice', amount: 999 }, T0 + 1), 'BID_TOO_LOW');
    const b = accepted(placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, T0 + 1));
    assert.equal(b.currentPrice, 1000);
    rejectedWith(placeBid(b, { id: 'b2', bidderId: 'bob', amount: 1099 }, T0 + 2), 'BID_TOO_LOW');
    const c = accepted(placeBid(b, { id: 'b3', bidderId: 'bob', amount: 1100 }, T0 + 2));
    assert.deepEqual(c.highestBid, { id: 'b3', bidderId: 'bob', amount: 1100, createdAt: T0 + 2 });
    assert.equal(c.version, 3);
  });

  test('the leader may raise their own bid (open bidding)', () => {
    const b = accepted(placeBid(hard(), { id: 'b1', bidderId: 'alice', amount: 1000 }, T0 + 1));
    const c = accepted(placeBid(b, { id: 'b2', bidderId: 'alice', amount: 1100 }, T0 + 2));
    assert.equal(c.currentPrice, 1100);
  });

  test('a bid at endDate - 1 ms is accepted; at endDate it is AUCTION_CLOSED', () => {
    const a = hard();
    const last = accepted(placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 1));
    assert.equal(last.endDate, a.endDate);
    rejectedWith(placeBid(a, { id: 'b2', bidderId: 'alice', amount: 1000 }, a.endDate), 'AUCTION_CLOSED');
    rejectedWith(placeBid(last, { id: 'b3', bidderId: 'bob', amount: 5000 }, last.endDate), 'AUCTION_CLOSED');
  });

  test('with soft close, a bid at endDate - 1 ms is accepted and extends to now + extendSeconds', () => {
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 30 } });
    const d = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 1);
    assert.ok(d.accepted && d.extended);
    assert.equal(d.auction.endDate, a.endDate - 1 + 30_000);
    rejectedWith(placeBid(a, { id: 'b2', bidderId: 'alice', amount: 1000 }, a.endDate), 'AUCTION_CLOSED');
  });

  test('a bid at startDate is accepted; 1 ms before it is AUCTION_NOT_STARTED', () => {
    const a = makeAuction({ startDate: T0 + 60_000, endDate: T0 + HOUR });
    rejectedWith(placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.startDate - 1), 'AUCTION_NOT_STARTED');
    accepted(placeBid(a, { id: 'b2', bidderId: 'alice', amount: 1000 }, a.startDate));
  });

  test('soft-close window boundary: exactly windowSeconds before the end does not extend, 1 ms later does', () => {
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 30 } });
    const atEdge = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 30_000);
    assert.ok(atEdge.accepted && !atEdge.extended);
    assert.equal(atEdge.auction.endDate, a.endDate);
    const inside = placeBid(a, { id: 'b2', bidderId: 'alice', amount: 1000 }, a.endDate - 29_999);
    assert.ok(inside.accepted && inside.extended);
    assert.equal(inside.auction.endDate, a.endDate + 1);
    assert.equal(inside.auction.version, a.version + 1, 'the bid and its extension are one version');
  });

  test('window boundary with extendSeconds > windowSeconds: the edge itself does not extend', () => {
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 60 } });
    const atEdge = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 30_000);
    assert.ok(atEdge.accepted && !atEdge.extended);
    assert.equal(atEdge.auction.endDate, a.endDate);
    const inside = placeBid(a, { id: 'b2', bidderId: 'alice', amount: 1000 }, a.endDate - 29_999);
    assert.ok(inside.accepted && inside.extended);
    assert.equal(inside.auction.endDate, a.endDate - 29_999 + 60_000);
  });

  test('an extension never moves the end earlier (extendSeconds shorter than what is left)', () => {
    const a = makeAuction({ softClose: { windowSeconds: 60, extendSeconds: 10 } });
    const d = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 40_000);
    assert.ok(d.accepted && !d.extended);
    assert.equal(d.auction.endDate, a.endDate);
  });

  test('maxEndDate caps extensions, and an end already at the cap stays put', () => {
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 30 }, maxEndDate: T0 + HOUR + 10_000 });
    const b = accepted(placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 1_000));
    assert.equal(b.endDate, T0 + HOUR + 10_000);
    const c = placeBid(b, { id: 'b2', bidderId: 'bob', amount: 1100 }, b.endDate - 1_000);
    assert.ok(c.accepted && !c.extended);
    assert.equal(c.auction.endDate, b.endDate);
  });

  test('an end already beyond maxEndDate is never pulled back by the cap', () => {
    // Not reachable through newAuction + placeBid (maxEndDate >= endDate is validated), but the rule is
    // "never earlier": a state whose end lies past the cap (e.g. a cap tightened later) keeps its end.
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 30 }, maxEndDate: T0 + HOUR });
    const beyond: Auction = { ...a, endDate: T0 + HOUR + 20_000 };
    const d = placeBid(beyond, { id: 'b1', bidderId: 'alice', amount: 1000 }, beyond.endDate - 1_000);
    assert.ok(d.accepted && !d.extended);
    assert.equal(d.auction.endDate, beyond.endDate);
  });

  test('a hard close never extends', () => {
    const a = hard();
    const d = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1000 }, a.endDate - 1_000);
    assert.ok(d.accepted && !d.extended);
    assert.equal(d.auction.endDate, a.endDate);
  });

  test('a rejected late-window bid never extends', () => {
    const a = makeAuction({ softClose: { windowSeconds: 30, extendSeconds: 30 } });
    const d = placeBid(a, { id: 'b1', bidderId: 'alice', amount: 1 }, a.endDate - 1_000);
    rejectedWith(d, 'BID_TOO_LOW');
    assert.equal(d.auction, a);
  });

  test('rejection precedence: CANCELLED > NOT_STARTED > CLOSED > SELF_BIDDING > BID_TOO_LOW', () => {
    const scheduled = makeAuction({ startDate: T0 + 60_000, endDate: T0 + HOUR });
    const cancelled: Auction = { ...scheduled, lifecycle: 'cancelled', version: scheduled.version + 1 };
    const lowSelf = { id: 'b', bidderId: SELLER, amount: 1 };
    rejectedWith(placeBid(cancelled, lowSelf, T0), 'AUCTION_CANCELLED');
    rejectedWith(placeBid(cancelled, lowSelf, T0 + 2 * HOUR), 'AUCTION_CANCELLED');
    rejectedWith(placeBid(scheduled, lowSelf, T0), 'AUCTION_NOT_STARTED');
    rejectedWith(placeBid(scheduled, lowSelf, T0 + HOUR), 'AUCTION_CLOSED');
    const closed: Auction = { ...scheduled, lifecycle: 'closed', version: 2 };
    rejectedWith(placeBid(closed, lowSelf, T0 + 120_000), 'AUCTION_CLOSED');
    rejectedWith(placeBid(scheduled, lowSelf, T0 + 120_000), 'SELF_BIDDING');
    rejectedWith(placeBid(scheduled, { ...lowSelf, amount: 1_000_000 }, T0 + 120_000), 'SELF_BIDDING');
    rejectedWith(placeBid(scheduled, { ...lowSelf, bidderId: 'alice' }, T0 + 120_000), 'BID_TOO_LOW');
  });
});
