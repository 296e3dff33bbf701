import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProxyModel, modelStandardIncrement } from '../../test/support/proxy-model.ts';
import { type Auction, reserveMet } from './auction.ts';
import { type BidDecision, placeBid } from './bidding.ts';
import { CURRENCIES, minorUnits } from './currencies.ts';
import { incrementAt, standardIncrement } from './increments.ts';
import { type NewAuctionInput, newAuction } from './new-auction.ts';

/**
 * Proxy bidding (the eBay model) against auction-rules.md: random sequences of
 * maximums are replayed through `placeBid` and, in parallel, through an
 * independent reference model (test/support/proxy-model.ts) that only keeps
 * each bidder's highest maximum; price, leader, reserve and end must agree
 * after every bid. The worked examples of the rules follow as plain tests.
 */

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const HOUR = 3_600_000;
const SELLER = 'seller';
const BIDDERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;

function proxyAuction(overrides: Partial<NewAuctionInput> = {}): Auction {
  const result = newAuction(
    {
      id: 'proxy-1',
      sellerId: SELLER,
      item: { name: 'Leica M6', description: 'Boxed, 1986', imageUrl: null },
      currency: 'USD',
      startingPrice: 1000,
      minIncrement: 100,
      reservePrice: null,
      buyNowPrice: null,
      startDate: null,
      endDate: T0 + HOUR,
      maxEndDate: null,
      softClose: null,
      proxyBidding: true,
      ...overrides,
    },
    T0,
  );
  if (!result.ok) throw new Error(`newAuction refused the test input: ${result.field}: ${result.message}`);
  return result.auction;
}

let bidSeq = 0;
/** Places a maximum for `bidderId` at `now`. */
function bid(auction: Auction, bidderId: string, amount: number, now = T0 + 1000): BidDecision {
  const n = ++bidSeq;
  return placeBid(auction, { id: `b${n}`, bidderId, amount, proxyBidId: `p${n}` }, now);
}

function accepted(decision: BidDecision): Extract<BidDecision, { accepted: true }> {
  assert.ok(decision.accepted, `expected acceptance, got ${decision.accepted ? '' : decision.reason}`);
  return decision;
}

/** The steps as `[bidderId, amount, kind]`, for compact expectations. */
const stepsOf = (d: BidDecision) =>
  accepted(d).steps.map((s) => [s.bidderId, s.amount, s.kind] as [string, number, string]);

// ---------------------------------------------------------------------------
// (a) properties against the reference model
// ---------------------------------------------------------------------------

type AmountSpec =
  /** `steps` increments (at the visible price) above it, maybe half an increment more, ±1 cent. */
  | { kind: 'ladder'; steps: number; half: boolean; jitter: number }
  /** Right at (±1 of) the leader's maximum: ties and near-ties with the top. */
  | { kind: 'top'; delta: number }
  /** Right at (±1 of) the runner-up's maximum. */
  | { kind: 'second'; delta: number }
  /** Right at (±1 of) the reserve. */
  | { kind: 'reserve'; delta: number };

interface Move {
  bidder: number;
  amount: AmountSpec;
  /** Milliseconds after the previous bid. */
  gap: number;
}

interface Scenario {
  standard: boolean;
  fixedIncrement: number;
  startingPrice: number;
  /** Reserve = startingPrice + this many increments (at the starting price) + offset; null = no reserve. */
  reserve: { increments: number; offset: number } | null;
  softClose: { windowSeconds: number; extendSeconds: number } | null;
  bidders: number;
  /** First bid this long before the original end. */
  lead: number;
  moves: Move[];
}

const delta = fc.integer({ min: -1, max: 1 });
const amountSpecArb: fc.Arbitrary<AmountSpec> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('ladder' as const),
      steps: fc.integer({ min: -1, max: 6 }),
      half: fc.boolean(),
      jitter: delta,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('top' as const), delta }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('second' as const), delta }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reserve' as const), delta }) },
);

const moveArb: fc.Arbitrary<Move> = fc.record({
  bidder: fc.nat(5),
  amount: amountSpecArb,
  gap: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 3_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 45_000 }) },
  ),
});

/** Prices on and around the boundaries of the standard table, and arbitrary ones. */
const startingPriceArb = fc.oneof(
  fc.constantFrom(1, 5, 95, 100, 480, 500, 2_400, 2_500, 9_900, 24_000, 49_500, 99_000, 245_000, 495_000, 600_000),
  fc.integer({ min: 1, max: 300_000 }),
);

const scenarioArb = (standard: boolean): fc.Arbitrary<Scenario> =>
  fc.record({
    standard: fc.constant(standard),
    fixedIncrement: fc.constantFrom(1, 5, 25, 50, 100, 250, 1_000),
    startingPrice: startingPriceArb,
    reserve: fc.option(fc.record({ increments: fc.integer({ min: 0, max: 10 }), offset: delta }), { nil: null }),
    softClose: fc.constantFrom(
      null,
      { windowSeconds: 30, extendSeconds: 30 },
      { windowSeconds: 60, extendSeconds: 15 },
      { windowSeconds: 10, extendSeconds: 40 },
    ),
    bidders: fc.integer({ min: 3, max: 6 }),
    lead: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 100_000, max: 900_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 60_000 }) },
    ),
    moves: fc.array(moveArb, { minLength: 1, maxLength: 40, size: 'max' }),
  });

function resolveAmount(spec: AmountSpec, model: ProxyModel, increment: (p: number) => number): number {
  const base = model.price ?? model.options.startingPrice;
  let amount: number;
  switch (spec.kind) {
    case 'ladder': {
      const inc = increment(base);
      amount = base + spec.steps * inc + (spec.half ? Math.floor(inc / 2) : 0) + spec.jitter;
      break;
    }
    case 'top': {
      const leader = model.leader();
      amount = (leader === null ? base : model.maxOf(leader)!) + spec.delta;
      break;
    }
    case 'second': {
      const leader = model.leader();
      amount = (leader === null ? base : (model.highestOtherThan(leader) ?? base)) + spec.delta;
      break;
    }
    case 'reserve':
      amount = (model.options.reservePrice ?? base) + spec.delta;
      break;
  }
  return Math.max(1, amount);
}

/** What the replays went through, so that a passing run is known to have exercised the interesting cases. */
interface Coverage {
  accepted: number;
  rejected: number;
  ties: number;
  leaderRaises: number;
  takeovers: number;
  defended: number;
  reserveJumps: number;
  extensions: number;
}

const newCoverage = (): Coverage => ({
  accepted: 0,
  rejected: 0,
  ties: 0,
  leaderRaises: 0,
  takeovers: 0,
  defended: 0,
  reserveJumps: 0,
  extensions: 0,
});

/** Replays one scenario through `placeBid` and the reference model side by side, checking every decision. */
function replay(scenario: Scenario, coverage: Coverage): void {
  const increment = scenario.standard ? modelStandardIncrement : () => scenario.fixedIncrement;
  const { reserve } = scenario;
  const reservePrice =
    reserve === null
      ? null
      : Math.max(1, scenario.startingPrice + reserve.increments * increment(scenario.startingPrice) + reserve.offset);
  let auction = proxyAuction({
    startingPrice: scenario.startingPrice,
    minIncrement: scenario.fixedIncrement,
    incrementTable: scenario.standard ? 'standard' : null,
    reservePrice,
    softClose: scenario.softClose,
  });
  const model = new ProxyModel({
    startingPrice: scenario.startingPrice,
    reservePrice: auction.reservePrice,
    increment,
  });
  let modelEnd = auction.endDate;
  let now = auction.endDate - scenario.lead;

  scenario.moves.forEach((move, i) => {
    const bidderId = BIDDERS[move.bidder % scenario.bidders]!;
    now += move.gap;
    const amount = resolveAmount(move.amount, model, increment);
    const before = auction;
    const leaderBefore = model.leader();
    const priceBefore = model.price;
    const open = now < modelEnd;
    const modelAccepts = open && model.accepts(bidderId, amount);
    const context = () =>
      `move ${i}: ${bidderId} max ${amount} at end-${modelEnd - now}ms; price ${priceBefore}, leader ${leaderBefore} ` +
      `(max ${leaderBefore === null ? '-' : model.maxOf(leaderBefore)})`;
    const decision = placeBid(before, { id: `b${i}`, bidderId, amount, proxyBidId: `p${i}` }, now);

    assert.equal(decision.accepted, modelAccepts, `acceptance differs from the model: ${context()}`);
    if (!decision.accepted) {
      // A refused maximum changes nothing: the very same state object comes back.
      assert.equal(decision.auction, before, context());
      assert.equal(decision.reason, open ? 'BID_TOO_LOW' : 'AUCTION_CLOSED', context());
      coverage.rejected++;
      return;
    }
    coverage.accepted++;
    const leaderMaxBefore = leaderBefore === null ? null : model.maxOf(leaderBefore);
    if (leaderBefore === bidderId) coverage.leaderRaises++;
    else if (amount === leaderMaxBefore) coverage.ties++;
    else if (leaderMaxBefore !== null && amount > leaderMaxBefore) coverage.takeovers++;
    else if (leaderMaxBefore !== null) coverage.defended++;
    model.submit(bidderId, amount);
    if (model.price === auction.reservePrice && priceBefore !== model.price) coverage.reserveJumps++;
    const after = decision.auction;
    const leader = model.leader()!;

    // Price, leader and reserve agree with the model after every bid.
    assert.equal(after.currentPrice, model.price, `price differs from the model: ${context()}`);
    assert.equal(after.highestBid?.bidderId, leader, `leader differs from the model: ${context()}`);
    assert.equal(reserveMet(after), model.reserveMet(), `reserveMet differs from the model: ${context()}`);
    assert.equal(after.leaderMax, model.maxOf(leader), `leaderMax is not the leader's maximum: ${context()}`);
    assert.equal(decision.leading, leader === bidderId, context());

    // Invariants: the price never goes down and never exceeds the leader's maximum.
    if (before.currentPrice !== null) assert.ok(after.currentPrice! >= before.currentPrice, context());
    assert.ok(after.currentPrice! <= after.leaderMax!, `price above the leader's maximum: ${context()}`);

    // Every step is one version (+1), one accepted bid; the incoming bid is exactly one of them.
    assert.ok(decision.steps.length >= 1 && decision.steps.length <= 2, context());
    assert.equal(decision.steps.filter((s) => s.bidId === `b${i}` && s.kind === 'bid').length, 1, context());
    let previous = before;
    decision.steps.forEach((step, k) => {
      assert.equal(step.auction.version, before.version + k + 1, `step ${k} version: ${context()}`);
      assert.equal(step.auction.bidCount, before.bidCount + k + 1, context());
      assert.equal(step.auction.currentPrice, step.amount, context());
      assert.equal(step.auction.highestBid?.bidderId, step.bidderId, context());
      assert.equal(step.auction.highestBid?.id, step.bidId, context());
      if (step.kind === 'proxy') {
        assert.equal(step.bidId, `p${i}`, context());
        assert.notEqual(step.bidderId, bidderId, 'the engine only counter-bids for someone else');
      }
      if (previous.currentPrice !== null) assert.ok(step.amount >= previous.currentPrice, context());
      // No step shows anyone above their own maximum.
      assert.ok(step.amount <= model.maxOf(step.bidderId)!, `step above ${step.bidderId}'s maximum: ${context()}`);
      // One extension per incoming bid, on its last step: earlier steps keep the old end.
      if (k < decision.steps.length - 1) assert.equal(step.auction.endDate, before.endDate, context());
      previous = step.auction;
    });
    assert.equal(decision.steps.at(-1)!.auction, after);

    // Soft close: only a change of price or leader extends, once.
    const moved = model.price !== priceBefore || leader !== leaderBefore;
    const sc = scenario.softClose;
    if (moved && sc !== null && modelEnd - now < sc.windowSeconds * 1000)
      modelEnd = Math.max(modelEnd, now + sc.extendSeconds * 1000);
    assert.equal(after.endDate, modelEnd, `endDate differs from the model: ${context()}`);
    assert.equal(decision.extended, after.endDate !== before.endDate, context());
    if (decision.extended) coverage.extensions++;
    auction = after;
  });
}

function assertCovered(c: Coverage) {
  const summary = JSON.stringify(c);
  assert.ok(c.accepted > 2_000 && c.rejected > 500, summary);
  for (const key of ['ties', 'leaderRaises', 'takeovers', 'defended', 'reserveJumps', 'extensions'] as const)
    assert.ok(c[key] >= 20, `too few ${key}: ${summary}`);
}

describe('proxy bidding: every bid agrees with the reference model', () => {
  test('standard increment table', () => {
    const coverage = newCoverage();
    fc.assert(
      fc.property(scenarioArb(true), (s) => replay(s, coverage)),
      { numRuns: 400 },
    );
    assertCovered(coverage);
  });

  test('fixed minIncrement', () => {
    const coverage = newCoverage();
    fc.assert(
      fc.property(scenarioArb(false), (s) => replay(s, coverage)),
      { numRuns: 400 },
    );
    assertCovered(coverage);
  });
});

// ---------------------------------------------------------------------------
// (b) worked examples
// ---------------------------------------------------------------------------

describe('proxy bidding: worked examples (standard table, starting price 10.00)', () => {
  test('A max 50.00 leads at the starting price; B max 30.00 is answered at 31.00; B max 60.00 takes over at 51.00', () => {
    let a = proxyAuction({ startingPrice: 1000, incrementTable: 'standard' });

    const first = bid(a, 'A', 5000);
    assert.deepEqual(stepsOf(first), [['A', 1000, 'bid']]);
    a = accepted(first).auction;
    assert.equal(a.currentPrice, 1000);
    assert.equal(a.highestBid?.bidderId, 'A');
    assert.equal(a.leaderMax, 5000);
    assert.equal(a.version, 2);

    const second = bid(a, 'B', 3000);
    assert.deepEqual(stepsOf(second), [
      ['B', 3000, 'bid'],
      ['A', 3100, 'proxy'],
    ]);
    assert.equal(accepted(second).leading, false);
    assert.deepEqual(
      accepted(second).steps.map((s) => s.auction.version),
      [3, 4],
    );
    a = accepted(second).auction;
    assert.equal(a.currentPrice, 3100);
    assert.equal(a.highestBid?.bidderId, 'A');
    assert.equal(a.leaderMax, 5000);

    const third = bid(a, 'B', 6000);
    assert.deepEqual(stepsOf(third), [
      ['A', 5000, 'proxy'],
      ['B', 5100, 'bid'],
    ]);
    assert.equal(accepted(third).leading, true);
    a = accepted(third).auction;
    assert.equal(a.currentPrice, 5100);
    assert.equal(a.highestBid?.bidderId, 'B');
    assert.equal(a.leaderMax, 6000);
    assert.equal(a.version, 6);
    assert.equal(a.bidCount, 5);
  });

  test('a maximum below the minimum next bid is refused and changes nothing', () => {
    let a = proxyAuction({ startingPrice: 1000, incrementTable: 'standard' });
    a = accepted(bid(a, 'A', 5000)).auction;
    a = accepted(bid(a, 'B', 3000)).auction; // A at 31.00; min next 32.00
    const low = bid(a, 'C', 3199);
    assert.equal(low.accepted, false);
    if (!low.accepted) assert.equal(low.reason, 'BID_TOO_LOW');
    assert.equal(low.auction, a);
    assert.equal(accepted(bid(a, 'C', 3200)).auction.currentPrice, 3300);
  });

  test('equal maximums: the earlier one keeps the lead, at that amount', () => {
    let a = proxyAuction({ startingPrice: 1000, minIncrement: 100 });
    a = accepted(bid(a, 'A', 2000)).auction;
    const tie = bid(a, 'B', 2000);
    assert.deepEqual(stepsOf(tie), [
      ['B', 2000, 'bid'],
      ['A', 2000, 'proxy'],
    ]);
    assert.equal(accepted(tie).leading, false);
    a = accepted(tie).auction;
    assert.equal(a.currentPrice, 2000);
    assert.equal(a.highestBid?.bidderId, 'A');

    // Standard table: the same at 50.00.
    let s = proxyAuction({ startingPrice: 1000, incrementTable: 'standard' });
    s = accepted(bid(s, 'A', 5000)).auction;
    s = accepted(bid(s, 'B', 5000)).auction;
    assert.equal(s.currentPrice, 5000);
    assert.equal(s.highestBid?.bidderId, 'A');
  });

  test('a new maximum one cent above the leader takes the lead at that maximum (capped by the increment)', () => {
    let a = proxyAuction({ startingPrice: 1000, minIncrement: 100 });
    a = accepted(bid(a, 'A', 2000)).auction;
    a = accepted(bid(a, 'B', 1500)).auction; // A at 16.00
    const over = bid(a, 'B', 2001);
    assert.deepEqual(stepsOf(over), [
      ['A', 2000, 'proxy'],
      ['B', 2001, 'bid'],
    ]);
  });

  test('the leader raising their own maximum does not move the price (nor when it sat at the old maximum)', () => {
    let a = proxyAuction({ startingPrice: 1000, minIncrement: 100 });
    a = accepted(bid(a, 'A', 2000)).auction;
    a = accepted(bid(a, 'B', 1500)).auction; // A at 16.00
    const raise = bid(a, 'A', 3000);
    assert.deepEqual(stepsOf(raise), [['A', 1600, 'bid']]);
    a = accepted(raise).auction;
    assert.equal(a.currentPrice, 1600);
    assert.equal(a.leaderMax, 3000);
    assert.equal(a.version, 5);

    // Not above their own maximum: refused, even though above the minimum next bid.
    const lower = bid(a, 'A', 2500);
    assert.equal(lower.accepted, false);
    if (!lower.accepted) assert.equal(lower.reason, 'BID_TOO_LOW');
    const same = bid(a, 'A', 3000);
    assert.equal(same.accepted, false);

    // The price sat at the leader's old maximum (tie): raising still leaves it there.
    let t = proxyAuction({ startingPrice: 1000, minIncrement: 100 });
    t = accepted(bid(t, 'A', 2000)).auction;
    t = accepted(bid(t, 'B', 2000)).auction;
    t = accepted(bid(t, 'A', 5000)).auction;
    assert.equal(t.currentPrice, 2000);
  });

  test('…except up to the reserve', () => {
    let a = proxyAuction({ startingPrice: 1000, minIncrement: 100, reservePrice: 5000 });
    a = accepted(bid(a, 'A', 2000)).auction;
    assert.equal(a.currentPrice, 1000);
    assert.equal(reserveMet(a), false);
    a = accepted(bid(a, 'A', 4000)).auction; // still below the reserve: no move
    assert.equal(a.currentPrice, 1000);
    assert.equal(reserveMet(a), false);
    const raise = bid(a, 'A', 6000);
    assert.deepEqual(stepsOf(raise), [['A', 5000, 'bid']]);
    a = accepted(raise).auction;
    assert.equal(a.currentPrice, 5000);
    assert.equal(reserveMet(a), true);
    a = accepted(bid(a, 'A', 9000)).auction; // reserve already met: no move
    assert.equal(a.currentPrice, 5000);
  });

  test('reserve jump: a maximum that meets the reserve moves the price to the reserve', () => {
    // The first maximum meets it.
    let a = proxyAuction({ startingPrice: 1000, minIncrement: 100, reservePrice: 5000 });
    a = accepted(bid(a, 'A', 5000)).auction;
    assert.equal(a.currentPrice, 5000);
    assert.equal(reserveMet(a), true);

    // A first maximum one cent short does not.
    let b = proxyAuction({ startingPrice: 1000, minIncrement: 100, reservePrice: 5000 });
    b = accepted(bid(b, 'A', 4999)).auction;
    assert.equal(b.currentPrice, 1000);
    assert.equal(reserveMet(b), false);

    // A newcomer beating the leader with a maximum above the reserve leads at the reserve.
    let c = proxyAuction({ startingPrice: 1000, minIncrement: 100, reservePrice: 5000 });
    c = accepted(bid(c, 'A', 2000)).auction;
    const jump = bid(c, 'B', 7000);
    assert.deepEqual(stepsOf(jump), [
      ['A', 2000, 'proxy'],
      ['B', 5000, 'bid'],
    ]);
    c = accepted(jump).auction;
    assert.equal(reserveMet(c), true);
    assert.equal(c.leaderMax, 7000);

    // A counter-bid that defends below the reserve does not meet it.
    let d = proxyAuction({ startingPrice: 1000, minIncrement: 100, reservePrice: 5000 });
    d = accepted(bid(d, 'A', 4000)).auction;
    d = accepted(bid(d, 'B', 3000)).auction;
    assert.equal(d.currentPrice, 3100);
    assert.equal(reserveMet(d), false);
  });

  test('soft close: one extension per incoming bid, counter-bids included', () => {
    const end = T0 + HOUR;
    let a = proxyAuction({
      startingPrice: 1000,
      minIncrement: 100,
      softClose: { windowSeconds: 30, extendSeconds: 30 },
    });
    a = accepted(bid(a, 'A', 5000, T0 + 1000)).auction; // far from the end
    assert.equal(a.endDate, end);

    // B is outbid by A's proxy within the window: two steps, one extension, on the last step.
    const late = end - 10_000;
    const answered = accepted(bid(a, 'B', 3000, late));
    assert.equal(answered.steps.length, 2);
    assert.equal(answered.steps[0]!.auction.endDate, end);
    assert.equal(answered.steps[1]!.auction.endDate, late + 30_000);
    assert.equal(answered.extended, true);
    a = answered.auction;
    assert.equal(a.endDate, late + 30_000);

    // B takes over from A within the (new) window: proxy step then B's step, again one extension.
    const later = a.endDate - 5_000;
    const takeover = accepted(bid(a, 'B', 9000, later));
    assert.deepEqual(
      takeover.steps.map((s) => [s.bidderId, s.kind]),
      [
        ['A', 'proxy'],
        ['B', 'bid'],
      ],
    );
    assert.equal(takeover.steps[0]!.auction.endDate, a.endDate);
    assert.equal(takeover.auction.endDate, later + 30_000);
    a = takeover.auction;

    // The leader raising their maximum changes neither price nor leader: no extension.
    const raise = accepted(bid(a, 'B', 20_000, a.endDate - 1_000));
    assert.equal(raise.extended, false);
    assert.equal(raise.auction.endDate, a.endDate);
    assert.equal(raise.auction.currentPrice, a.currentPrice);

    // A rejected maximum never extends.
    const refused = bid(raise.auction, 'C', 1, raise.auction.endDate - 1_000);
    assert.equal(refused.accepted, false);
    assert.equal(refused.auction.endDate, raise.auction.endDate);
  });

  test('a leader raise that lifts the price to the reserve does extend', () => {
    let a = proxyAuction({
      startingPrice: 1000,
      minIncrement: 100,
      reservePrice: 5000,
      softClose: { windowSeconds: 30, extendSeconds: 30 },
    });
    a = accepted(bid(a, 'A', 2000, T0 + 1000)).auction;
    const now = a.endDate - 2_000;
    const raise = accepted(bid(a, 'A', 6000, now));
    assert.equal(raise.auction.currentPrice, 5000);
    assert.equal(raise.extended, true);
    assert.equal(raise.auction.endDate, now + 30_000);
  });

  test('the seller cannot bid, and nothing is accepted at or after the end', () => {
    const a = proxyAuction();
    const self = bid(a, SELLER, 5000);
    assert.equal(self.accepted, false);
    if (!self.accepted) assert.equal(self.reason, 'SELF_BIDDING');
    const late = bid(a, 'A', 5000, a.endDate);
    assert.equal(late.accepted, false);
    if (!late.accepted) assert.equal(late.reason, 'AUCTION_CLOSED');
  });
});

describe('standard increment table (USD cents, keyed on the current price)', () => {
  test('boundaries', () => {
    const expected: [number, number][] = [
      [1, 5],
      [99, 5],
      [100, 25],
      [499, 25],
      [500, 50],
      [2_499, 50],
      [2_500, 100],
      [9_999, 100],
      [10_000, 250],
      [24_999, 250],
      [25_000, 500],
      [49_999, 500],
      [50_000, 1_000],
      [99_999, 1_000],
      [100_000, 2_500],
      [249_999, 2_500],
      [250_000, 5_000],
      [499_999, 5_000],
      [500_000, 10_000],
      [1_000_000_000_000, 10_000],
    ];
    for (const [price, increment] of expected)
      assert.equal(standardIncrement(price), increment, `increment at ${price}`);
  });

  test('agrees with the table restated from the rules at every price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), (price) => {
        assert.equal(standardIncrement(price), modelStandardIncrement(price));
      }),
    );
  });

  test('the standard table in other currencies: the same steps in major units, at least one minor unit', () => {
    // JPY has no minor unit: ¥50 steps by ¥1, ¥300 by ¥5, ¥10,000 and above by ¥100.
    assert.equal(standardIncrement(50, 0), 1);
    assert.equal(standardIncrement(300, 0), 5);
    assert.equal(standardIncrement(4_999, 0), 50);
    assert.equal(standardIncrement(10_000, 0), 100);
    // BHD has three decimals: 1.000 BHD is in the "below 5.00" band, step 0.250.
    assert.equal(standardIncrement(1_000, 3), 250);
    assert.equal(standardIncrement(5_000_000, 3), 100_000);
    assert.equal(incrementAt({ incrementTable: 'standard', minIncrement: 1, currency: 'JPY' }, 300), 5);
    assert.equal(incrementAt({ incrementTable: 'standard', minIncrement: 1, currency: 'EUR' }, 300), 25);
    // Every supported currency: whole positive increments that never shrink as the price grows.
    for (const currency of CURRENCIES) {
      const digits = minorUnits(currency);
      let previous = 0;
      for (const major of [0.01, 0.5, 1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 1e6]) {
        const price = Math.max(1, Math.round(major * 10 ** digits));
        const step = standardIncrement(price, digits);
        assert.ok(Number.isInteger(step) && step >= 1 && step >= previous, `${currency} at ${price}: ${step}`);
        previous = step;
      }
    }
  });

  test('incrementAt: the table when the auction says so, else the fixed minIncrement', () => {
    assert.equal(incrementAt({ incrementTable: 'standard', minIncrement: 7, currency: 'USD' }, 100), 25);
    assert.equal(incrementAt({ incrementTable: null, minIncrement: 7, currency: 'USD' }, 100), 7);
    const a = proxyAuction({ incrementTable: 'standard', startingPrice: 95 });
    let s = accepted(bid(a, 'A', 200)).auction;
    assert.equal(s.currentPrice, 95);
    s = accepted(bid(s, 'B', 100)).auction; // 95 + 5 = 100 is the minimum; A answers at 100 + 25
    assert.equal(s.currentPrice, 125);
    assert.equal(s.highestBid?.bidderId, 'A');
  });
});
