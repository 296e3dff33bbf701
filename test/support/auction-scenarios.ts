/**
 * Test-only building blocks for the pure auction rules: a valid-auction builder,
 * fast-check scenarios (random bid / close / cancel sequences over random
 * auctions), and a small reference model of the rules written independently of
 * src/domain, so that property tests compare the code against the spec rather
 * than against itself.
 */
import fc from 'fast-check';
import {
  type Auction,
  type BidDecision,
  type BidRejectionReason,
  type CloseDecision,
  type NewAuctionInput,
  type Outcome,
  type SoftClose,
  closeIfDue,
  newAuction,
  placeBid,
} from '../../src/domain/index.ts';

/** A fixed instant the scenarios are built around (2026-11-22T12:00:00.000Z). */
export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
export const SELLER = 'seller';
export const BIDDERS = [SELLER, 'alice', 'bob', 'carol'] as const;

/** A valid `newAuction` input: one hour long, starting at `now`, default soft close. */
export function auctionInput(overrides: Partial<NewAuctionInput> = {}, now: number = T0): NewAuctionInput {
  return {
    id: 'auction-1',
    sellerId: SELLER,
    item: { name: 'Leica M6', description: 'Boxed, 1986', imageUrl: null },
    currency: 'USD',
    startingPrice: 1000,
    minIncrement: 100,
    reservePrice: null,
    buyNowPrice: null,
    startDate: null,
    endDate: now + 3_600_000,
    maxEndDate: null,
    softClose: undefined,
    ...overrides,
  };
}

/** Builds an auction with `newAuction`, failing loudly if the input is refused. */
export function makeAuction(overrides: Partial<NewAuctionInput> = {}, now: number = T0): Auction {
  const result = newAuction(auctionInput(overrides, now), now);
  if (!result.ok) throw new Error(`newAuction refused the test input: ${result.field}: ${result.message}`);
  return result.auction;
}

// ---------------------------------------------------------------------------
// Reference model (independent restatement of auction-rules.md / api.md)
// ---------------------------------------------------------------------------

export function modelMinNextBid(a: Auction): number {
  return a.currentPrice === null ? a.startingPrice : a.currentPrice + a.minIncrement;
}

/** Every rejection reason that applies, in the contract's precedence order. */
export function applicableReasons(a: Auction, bidderId: string, amount: number, now: number): BidRejectionReason[] {
  const reasons: BidRejectionReason[] = [];
  if (a.lifecycle === 'cancelled') reasons.push('AUCTION_CANCELLED');
  if (a.lifecycle === 'active' && now < a.startDate) reasons.push('AUCTION_NOT_STARTED');
  if (a.lifecycle === 'closed' || now >= a.endDate) reasons.push('AUCTION_CLOSED');
  if (bidderId === a.sellerId) reasons.push('SELF_BIDDING');
  if (amount < modelMinNextBid(a)) reasons.push('BID_TOO_LOW');
  return reasons;
}

/** The end date after an accepted bid at `now` (soft close, capped by maxEndDate, never earlier). */
export function modelEndDateAfterAcceptedBid(a: Auction, now: number): number {
  const sc = a.softClose;
  if (sc === null) return a.endDate;
  const inWindow = a.endDate - now < sc.windowSeconds * 1000;
  if (!inWindow) return a.endDate;
  let target = now + sc.extendSeconds * 1000;
  if (a.maxEndDate !== null) target = Math.min(target, a.maxEndDate);
  return Math.max(a.endDate, target);
}

/** The outcome an auction closes with in its current state. */
export function modelOutcome(a: Auction): Outcome {
  if (a.highestBid === null) return { result: 'no_bids', winnerId: null, finalPrice: null };
  if (a.reservePrice !== null && (a.currentPrice ?? 0) < a.reservePrice)
    return { result: 'reserve_not_met', winnerId: null, finalPrice: null };
  return { result: 'sold', winnerId: a.highestBid.bidderId, finalPrice: a.currentPrice };
}

/** The status a reader must see at `now`. */
export function modelStatus(a: Auction, now: number): 'scheduled' | 'open' | 'closed' | 'cancelled' {
  if (a.lifecycle === 'cancelled') return 'cancelled';
  if (a.lifecycle === 'closed' || now >= a.endDate) return 'closed';
  if (now < a.startDate) return 'scheduled';
  return 'open';
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

export interface AuctionSetup {
  /** Offset of startDate from T0 (the creation instant); `null` takes the default (now). */
  startOffset: number | null;
  duration: number;
  softClose: SoftClose | null | undefined;
  minIncrement: number;
  startingPrice: number;
  reservePrice: number | null;
  /** maxEndDate = endDate + this; `null` = uncapped. */
  maxEndExtra: number | null;
}

export const softCloseArb: fc.Arbitrary<SoftClose | null | undefined> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc
    .record({ windowSeconds: fc.integer({ min: 1, max: 60 }), extendSeconds: fc.integer({ min: 1, max: 90 }) })
    // fc.record builds null-prototype objects; the domain deals in plain ones.
    .map((sc) => ({ ...sc })),
);

export const setupArb: fc.Arbitrary<AuctionSetup> = fc.record({
  startOffset: fc.option(fc.integer({ min: -5_000, max: 60_000 }), { nil: null }),
  duration: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 180_000 }) },
  ),
  softClose: softCloseArb,
  minIncrement: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 500 })),
  startingPrice: fc.integer({ min: 1, max: 10_000 }),
  reservePrice: fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: null }),
  maxEndExtra: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120_000 })), { nil: null }),
});

export function buildAuction(setup: AuctionSetup, id = 'auction-1'): Auction {
  const startDate = setup.startOffset === null ? null : T0 + setup.startOffset;
  const endDate = Math.max(startDate ?? T0, T0) + setup.duration;
  return makeAuction(
    {
      id,
      startDate,
      endDate,
      softClose: setup.softClose,
      minIncrement: setup.minIncrement,
      startingPrice: setup.startingPrice,
      reservePrice: setup.reservePrice,
      maxEndDate: setup.maxEndExtra === null ? null : endDate + setup.maxEndExtra,
    },
    T0,
  );
}

/**
 * When a step happens, relative to the state it meets: anchored on an instant
 * that matters (start, current end, the soft-close window edge, original end)
 * or a plain advance. The resolved time never goes below the previous step's.
 */
export type TimeSpec =
  { anchor: 'start' | 'end' | 'window' | 'originalEnd'; offset: number } | { anchor: 'advance'; offset: number };

/** How much a bid offers, relative to the state it meets. */
export type AmountSpec = { base: 'minNext' | 'current'; delta: number } | { base: 'absolute'; value: number };

export type Step =
  | { kind: 'bid'; bidder: number; amount: AmountSpec; at: TimeSpec }
  | { kind: 'close'; at: TimeSpec }
  | { kind: 'cancel'; at: TimeSpec };

const near = fc.integer({ min: -2, max: 2 });

/** Biased towards the open period and the exact boundaries, so most runs accept, extend and reject. */
export const timeSpecArb: fc.Arbitrary<TimeSpec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      anchor: fc.constant('start' as const),
      offset: fc.oneof(near, fc.integer({ min: -5_000, max: 5_000 })),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      anchor: fc.constant('end' as const),
      offset: fc.oneof(
        { weight: 1, arbitrary: near },
        { weight: 4, arbitrary: fc.integer({ min: -30_000, max: -1 }) },
        { weight: 1, arbitrary: fc.integer({ min: -120_000, max: 1_000 }) },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      anchor: fc.constant('window' as const),
      offset: fc.oneof(near, fc.integer({ min: -3_000, max: 3_000 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      anchor: fc.constant('originalEnd' as const),
      offset: fc.integer({ min: -60_000, max: 60_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ anchor: fc.constant('advance' as const), offset: fc.integer({ min: 0, max: 3_000 }) }),
  },
);

export const amountSpecArb: fc.Arbitrary<AmountSpec> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ base: fc.constant('minNext' as const), delta: fc.integer({ min: -3, max: 3 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ base: fc.constant('minNext' as const), delta: fc.integer({ min: -1_000, max: 5_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ base: fc.constant('current' as const), delta: fc.integer({ min: -2, max: 2 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ base: fc.constant('absolute' as const), value: fc.integer({ min: 1, max: 50_000 }) }),
  },
);

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      kind: fc.constant('bid' as const),
      bidder: fc.integer({ min: 0, max: BIDDERS.length - 1 }),
      amount: amountSpecArb,
      at: timeSpecArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), at: timeSpecArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), at: timeSpecArb }) },
);

export interface Scenario {
  setup: AuctionSetup;
  steps: Step[];
}

export const scenarioArb = (options: { withClose?: boolean; withCancel?: boolean } = {}): fc.Arbitrary<Scenario> =>
  fc.record({
    setup: setupArb,
    steps: fc.array(
      stepArb.filter(
        (s) =>
          (s.kind !== 'close' || options.withClose === true) && (s.kind !== 'cancel' || options.withCancel === true),
      ),
      { minLength: 1, maxLength: 40, size: '+1' },
    ),
  });

export type TraceEntry =
  | {
      kind: 'bid';
      before: Auction;
      now: number;
      bidId: string;
      bidderId: string;
      amount: number;
      decision: BidDecision;
    }
  | { kind: 'close'; before: Auction; now: number; decision: CloseDecision }
  | { kind: 'cancel'; before: Auction; now: number; after: Auction };

export function resolveTime(spec: TimeSpec, state: Auction, previous: number): number {
  let t: number;
  switch (spec.anchor) {
    case 'start':
      t = state.startDate + spec.offset;
      break;
    case 'end':
      t = state.endDate + spec.offset;
      break;
    case 'originalEnd':
      t = state.originalEndDate + spec.offset;
      break;
    case 'window':
      t = state.endDate - (state.softClose?.windowSeconds ?? 30) * 1000 + spec.offset;
      break;
    case 'advance':
      t = previous + spec.offset;
      break;
  }
  return Math.max(previous, t);
}

export function resolveAmount(spec: AmountSpec, state: Auction): number {
  const raw =
    spec.base === 'absolute'
      ? spec.value
      : spec.base === 'minNext'
        ? modelMinNextBid(state) + spec.delta
        : (state.currentPrice ?? state.startingPrice) + spec.delta;
  return Math.max(1, raw);
}

/**
 * Plays a scenario: bids through `placeBid`, closes through `closeIfDue`, and
 * cancels (which the domain has no rule for yet) as the lifecycle change the
 * store would record, only while no bid was accepted.
 */
export function runScenario(scenario: Scenario): { initial: Auction; final: Auction; trace: TraceEntry[] } {
  const initial = buildAuction(scenario.setup);
  let state = initial;
  let now = T0 - 10_000;
  const trace: TraceEntry[] = [];
  scenario.steps.forEach((step, i) => {
    now = resolveTime(step.at, state, now);
    const before = state;
    if (step.kind === 'bid') {
      const bidderId = BIDDERS[step.bidder]!;
      const amount = resolveAmount(step.amount, state);
      const bidId = `bid-${i}`;
      const decision = placeBid(state, { id: bidId, bidderId, amount }, now);
      trace.push({ kind: 'bid', before, now, bidId, bidderId, amount, decision });
      state = decision.auction;
    } else if (step.kind === 'close') {
      const decision = closeIfDue(state, now);
      trace.push({ kind: 'close', before, now, decision });
      state = decision.auction;
    } else if (state.lifecycle === 'active' && state.bidCount === 0) {
      state = { ...state, lifecycle: 'cancelled', version: state.version + 1 };
      trace.push({ kind: 'cancel', before, now, after: state });
    }
  });
  return { initial, final: state, trace };
}

export function bidEntries(trace: TraceEntry[]) {
  return trace.filter((e): e is Extract<TraceEntry, { kind: 'bid' }> => e.kind === 'bid');
}

export function closeEntries(trace: TraceEntry[]) {
  return trace.filter((e): e is Extract<TraceEntry, { kind: 'close' }> => e.kind === 'close');
}

/** The fields of an auction other than those named: what must not change. */
export function without(a: Auction, ...keys: (keyof Auction)[]): Partial<Auction> {
  const copy: Partial<Auction> = { ...a };
  for (const k of keys) delete copy[k];
  return copy;
}
