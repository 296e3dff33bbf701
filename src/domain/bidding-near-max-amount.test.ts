import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { T0, makeAuction } from '../../test/support/auction-scenarios.ts';
import { type Auction, minNextBid } from './auction.ts';
import { type BidDecision, placeBid } from './bidding.ts';
import { MAX_AMOUNT } from './money.ts';

/**
 * Near MAX_AMOUNT (the contract's largest amount) an increment must not push
 * the minimum next bid past what any request may carry: the auction would be
 * stuck below the maximum with no acceptable bid left. The increment is capped
 * instead, and a price at the maximum can only be matched, never beaten.
 */

const HOUR = 3_600_000;
const NOW = T0 + 1000;

/** Prices biased towards the top: right at it, within one standard increment of it, and anywhere. */
const priceArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: MAX_AMOUNT - 20_000, max: MAX_AMOUNT }) },
  { weight: 1, arbitrary: fc.constantFrom(MAX_AMOUNT, MAX_AMOUNT - 1, MAX_AMOUNT - 9_999, MAX_AMOUNT - 10_000) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: MAX_AMOUNT }) },
);

const setupArb = fc.record({
  proxyBidding: fc.boolean(),
  standard: fc.boolean(),
  minIncrement: fc.oneof(
    fc.integer({ min: 1, max: 10_000 }),
    fc.integer({ min: 1, max: MAX_AMOUNT }),
    fc.constant(MAX_AMOUNT),
  ),
  startingPrice: priceArb,
  /** Proxy bidding: the first bidder's maximum is this far above the starting price (capped at MAX_AMOUNT). */
  headroom: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: MAX_AMOUNT })),
});

type Setup = typeof setupArb extends fc.Arbitrary<infer T> ? T : never;

let seq = 0;
function bid(auction: Auction, bidderId: string, amount: number): BidDecision {
  const n = ++seq;
  return placeBid(auction, { id: `b${n}`, bidderId, amount, proxyBidId: `p${n}` }, NOW);
}

/** An auction with one accepted bid at its (high) starting price. */
function withFirstBid(setup: Setup): Auction {
  const auction = makeAuction({
    startingPrice: setup.startingPrice,
    minIncrement: setup.minIncrement,
    incrementTable: setup.standard ? 'standard' : null,
    proxyBidding: setup.proxyBidding,
    softClose: null,
    endDate: T0 + HOUR,
  });
  const first = Math.min(MAX_AMOUNT, setup.startingPrice + setup.headroom);
  const decision = bid(auction, 'alice', setup.proxyBidding ? first : setup.startingPrice);
  assert.ok(decision.accepted, decision.accepted ? '' : decision.reason);
  return decision.auction;
}

describe('bidding near MAX_AMOUNT', () => {
  test('minNextBid never exceeds MAX_AMOUNT, and a bid of minNextBid is accepted whenever it is above the price', () => {
    fc.assert(
      fc.property(setupArb, fc.array(fc.constantFrom('bob', 'carol', 'alice'), { maxLength: 6 }), (setup, bidders) => {
        let auction = withFirstBid(setup);
        for (const bidderId of bidders) {
          const min = minNextBid(auction);
          const price = auction.currentPrice!;
          assert.ok(min <= MAX_AMOUNT, `minNextBid ${min} > MAX_AMOUNT at price ${price}`);
          assert.ok(min >= price, `minNextBid ${min} below the price ${price}`);
          // The leader raising their own maximum is a different rule; the others are told minNextBid.
          if (bidderId === auction.highestBid?.bidderId) continue;
          const decision = bid(auction, bidderId, min);
          if (min > price) {
            assert.ok(decision.accepted, `a bid of minNextBid ${min} at price ${price} was refused`);
          } else {
            // At MAX_AMOUNT nothing can beat the price: matching it is not a higher bid.
            assert.equal(price, MAX_AMOUNT);
            assert.equal(decision.accepted, false, `a bid equal to the price ${price} was accepted`);
          }
          if (!decision.accepted) break;
          for (const step of decision.steps)
            assert.ok(step.amount <= MAX_AMOUNT, `${step.kind} step at ${step.amount} > MAX_AMOUNT`);
          auction = decision.auction;
        }
        assert.ok(minNextBid(auction) <= MAX_AMOUNT);
      }),
      { numRuns: 500 },
    );
  });

  test('standard table one cent below the top: the increment shrinks to what is left', () => {
    const auction = withFirstBid({
      proxyBidding: false,
      standard: true,
      minIncrement: 1,
      startingPrice: MAX_AMOUNT - 1,
      headroom: 0,
    });
    assert.equal(minNextBid(auction), MAX_AMOUNT);
    const decision = bid(auction, 'bob', MAX_AMOUNT);
    assert.ok(decision.accepted);
    assert.equal(decision.auction.currentPrice, MAX_AMOUNT);
    // Now at the top: nothing more can be accepted, and the minimum stays a valid amount.
    assert.equal(minNextBid(decision.auction), MAX_AMOUNT);
    const again = bid(decision.auction, 'carol', MAX_AMOUNT);
    assert.equal(again.accepted, false);
    if (!again.accepted) assert.equal(again.reason, 'BID_TOO_LOW');
  });

  test('proxy bidding: a counter-bid for the leader never goes past MAX_AMOUNT', () => {
    // alice's maximum is MAX_AMOUNT; bob bids just under it: alice answers at most MAX_AMOUNT.
    const auction = withFirstBid({
      proxyBidding: true,
      standard: true,
      minIncrement: 1,
      startingPrice: MAX_AMOUNT - 20_000,
      headroom: 20_000,
    });
    const decision = bid(auction, 'bob', MAX_AMOUNT - 5);
    assert.ok(decision.accepted);
    assert.deepEqual(
      decision.steps.map((s) => [s.bidderId, s.amount, s.kind]),
      [
        ['bob', MAX_AMOUNT - 5, 'bid'],
        ['alice', MAX_AMOUNT, 'proxy'],
      ],
    );
    assert.equal(minNextBid(decision.auction), MAX_AMOUNT);
    const tie = bid(decision.auction, 'bob', MAX_AMOUNT);
    assert.equal(tie.accepted, false, 'the price is already at MAX_AMOUNT');
  });
});
