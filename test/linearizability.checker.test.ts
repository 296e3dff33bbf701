import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type AuctionRecord,
  type AuctionState,
  type Operation,
  type StoredBid,
  type Violation,
  type ViolationKind,
  checkLinearizability,
  formatViolations,
} from './support/linearizability.ts';

/**
 * The checker in test/support/linearizability.ts, on hand-written histories (valid ones, and one planted
 * violation of each kind it must catch) and on generated ones: histories produced by a simulated
 * sequential auction with random overlapping timings are always accepted, and one mutation of a known kind
 * is always caught. A checker that accepts everything, or rejects valid concurrency, fails here.
 */

const AUCTION = 'auction-1';
const START = 100;
const INC = 10;

const INITIAL: AuctionState = { version: 1, currentPrice: null, highestBid: null, minNextBid: START, bidCount: 0 };

/** The model's state after `accepted` bids (id, bidder, amount), in order. */
function stateAfter(accepted: [string, string, number][]): AuctionState {
  const last = accepted.at(-1);
  if (!last) return { ...INITIAL };
  const [id, bidderId, amount] = last;
  return {
    version: 1 + accepted.length,
    currentPrice: amount,
    highestBid: { id, bidderId, amount },
    minNextBid: amount + INC,
    bidCount: accepted.length,
  };
}

let nextOp = 0;
function bid(
  process: string,
  amount: number,
  invokedAt: number,
  respondedAt: number,
  outcome: Operation['outcome'],
  node = 'n1',
): Operation {
  return {
    id: `op${++nextOp}`,
    process,
    node,
    kind: 'bid',
    auctionId: AUCTION,
    bidderId: process,
    amount,
    invokedAt,
    respondedAt,
    outcome,
  };
}
function read(process: string, invokedAt: number, respondedAt: number, auction: AuctionState, node = 'n2'): Operation {
  return {
    id: `op${++nextOp}`,
    process,
    node,
    kind: 'read',
    auctionId: AUCTION,
    invokedAt,
    respondedAt,
    outcome: { status: 'ok', auction },
  };
}
const accepted = (bidId: string, auction: AuctionState) => ({ status: 'accepted' as const, bidId, auction });
const rejected = (bidId: string, auction: AuctionState) => ({
  status: 'rejected' as const,
  bidId,
  reason: 'BID_TOO_LOW',
  auction,
});
const unknown = { status: 'unknown' as const, error: 'ECONNRESET' };

function stored(id: string, bidderId: string, amount: number, status: string, auctionVersion: number): StoredBid {
  return { id, bidderId, amount, status, reason: status === 'rejected' ? 'BID_TOO_LOW' : null, auctionVersion };
}

function record(storedBids: StoredBid[], final: AuctionState, increment: number | undefined = INC): AuctionRecord {
  return { auctionId: AUCTION, initial: INITIAL, increment, stored: storedBids, final };
}

function check(ops: Operation[], rec: AuctionRecord): Violation[] {
  return checkLinearizability(ops, [rec]);
}

function assertClean(violations: Violation[]) {
  assert.deepEqual(violations, [], formatViolations(violations));
}

/** The specific violation is reported, naming the given operations. */
function assertReported(violations: Violation[], kind: ViolationKind, ops: string[] = []): Violation {
  const found = violations.find((v) => v.kind === kind && ops.every((id) => v.ops.includes(id)));
  assert.ok(found, `expected a ${kind} violation naming ${ops.join(', ')}; got:\n${formatViolations(violations)}`);
  assert.ok(found.message.length > 0);
  return found;
}

// A small valid world: alice 100 (v2), bob 120 (v3), carol 150 (v4).
const S1 = stateAfter([]);
const S2 = stateAfter([['b1', 'alice', 100]]);
const S3 = stateAfter([
  ['b1', 'alice', 100],
  ['b2', 'bob', 120],
]);
const S4 = stateAfter([
  ['b1', 'alice', 100],
  ['b2', 'bob', 120],
  ['b3', 'carol', 150],
]);

describe('linearizability checker: valid histories', () => {
  test('a sequential history', () => {
    const ops = [
      read('dave', 0, 1, S1),
      bid('alice', 100, 2, 3, accepted('b1', S2)),
      bid('bob', 105, 4, 5, rejected('r1', S2)),
      bid('bob', 120, 6, 7, accepted('b2', S3)),
      read('dave', 8, 9, S3),
      bid('carol', 150, 10, 11, accepted('b3', S4)),
    ];
    const storedBids = [
      stored('b1', 'alice', 100, 'accepted', 2),
      stored('r1', 'bob', 105, 'rejected', 2),
      stored('b2', 'bob', 120, 'accepted', 3),
      stored('b3', 'carol', 150, 'accepted', 4),
    ];
    assertClean(check(ops, record(storedBids, S4)));
  });

  test('overlapping operations linearized in an order different from their invocation order', () => {
    // bob's bid is sent first but ordered second; a read overlapping both sees the state between them;
    // carol's low bid overlaps both and is judged against the first one; a read that overlaps everything
    // still sees the initial state (it can be ordered first).
    const ops = [
      bid('bob', 120, 0, 50, accepted('b2', S3), 'n1'),
      bid('alice', 100, 5, 20, accepted('b1', S2), 'n2'),
      read('dave', 10, 30, S2, 'n3'),
      bid('carol', 100, 1, 60, rejected('r1', S2), 'n3'),
      read('erin', 0, 70, S1, 'n1'),
      read('dave', 51, 52, S3, 'n2'),
    ];
    const storedBids = [
      stored('b1', 'alice', 100, 'accepted', 2),
      stored('r1', 'carol', 100, 'rejected', 2),
      stored('b2', 'bob', 120, 'accepted', 3),
    ];
    assertClean(check(ops, record(storedBids, S3)));
  });

  test('unknown outcomes: one took effect (even after its client gave up), one did not, one was rejected', () => {
    const ops = [
      // Took effect, produced v2, observed by a later read; its client gave up before it was applied.
      bid('alice', 100, 0, 5, unknown),
      read('dave', 10, 12, S2),
      // Never reached the store.
      bid('erin', 300, 13, 14, unknown),
      bid('bob', 120, 15, 16, accepted('b2', S3)),
      // Rejected after its client had already given up.
      bid('carol', 110, 17, 18, unknown),
    ];
    const storedBids = [
      stored('b1', 'alice', 100, 'accepted', 2),
      stored('b2', 'bob', 120, 'accepted', 3),
      stored('rc', 'carol', 110, 'rejected', 3),
    ];
    assertClean(check(ops, record(storedBids, S3)));
  });

  test('without an increment, minimum next bids are taken from the answers', () => {
    const ops = [bid('alice', 100, 0, 1, accepted('b1', S2)), bid('bob', 105, 2, 3, rejected('r1', S2))];
    const storedBids = [stored('b1', 'alice', 100, 'accepted', 2), stored('r1', 'bob', 105, 'rejected', 2)];
    assertClean(check(ops, record(storedBids, S2, undefined)));
  });
});

describe('linearizability checker: planted violations', () => {
  test('a stale read: invoked after an acknowledged higher bid responded, it shows an older version', () => {
    const b2 = bid('bob', 120, 10, 20, accepted('b2', S3));
    const stale = read('dave', 25, 30, S2, 'n3');
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2)), b2, stale];
    const storedBids = [stored('b1', 'alice', 100, 'accepted', 2), stored('b2', 'bob', 120, 'accepted', 3)];
    const violations = check(ops, record(storedBids, S3));
    const v = assertReported(violations, 'stale', [stale.id, b2.id]);
    assert.deepEqual(v.versions, [2, 3]);
    assert.equal(violations.length, 1, formatViolations(violations));
  });

  test('a stale rejection: judged against a state older than one its bidder had already seen', () => {
    const seen = read('carol', 10, 11, S3);
    const late = bid('carol', 105, 12, 13, rejected('r1', S2));
    const ops = [bid('alice', 100, 0, 1, accepted('b1', S2)), bid('bob', 120, 2, 3, accepted('b2', S3)), seen, late];
    const storedBids = [
      stored('b1', 'alice', 100, 'accepted', 2),
      stored('b2', 'bob', 120, 'accepted', 3),
      stored('r1', 'carol', 105, 'rejected', 2),
    ];
    const violations = check(ops, record(storedBids, S3));
    // The witness named is the earliest answer showing version 3 (bob's bid, or carol's own read).
    assertReported(violations, 'stale', [late.id]);
    assert.equal(violations.length, 1, formatViolations(violations));
  });

  test('a lower bid accepted after a higher one', () => {
    const high = bid('alice', 200, 0, 5, accepted('b1', stateAfter([['b1', 'alice', 200]])));
    const lowState = stateAfter([
      ['b1', 'alice', 200],
      ['b2', 'bob', 150],
    ]);
    const low = bid('bob', 150, 10, 15, accepted('b2', lowState));
    const storedBids = [stored('b1', 'alice', 200, 'accepted', 2), stored('b2', 'bob', 150, 'accepted', 3)];
    const violations = check([high, low], record(storedBids, lowState));
    assertReported(violations, 'bid-order', [low.id]);
    assertReported(violations, 'version-order');
  });

  test('a rejection that no state justifies', () => {
    const bad = bid('bob', 130, 10, 15, rejected('r1', S2)); // S2's minimum next bid is 110
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2)), bad];
    const storedBids = [stored('b1', 'alice', 100, 'accepted', 2), stored('r1', 'bob', 130, 'rejected', 2)];
    const violations = check(ops, record(storedBids, S2));
    assertReported(violations, 'unjustified-rejection', [bad.id]);
    assert.equal(violations.length, 1, formatViolations(violations));
  });

  test('a rejection with a reason the model never gives (the auction is open)', () => {
    const bad = bid('bob', 90, 0, 1, { status: 'rejected', bidId: 'r1', reason: 'AUCTION_CLOSED', auction: S1 });
    const storedBids = [{ ...stored('r1', 'bob', 90, 'rejected', 1), reason: 'AUCTION_CLOSED' }];
    assertReported(check([bad], record(storedBids, S1)), 'unjustified-rejection', [bad.id]);
  });

  test('two different states under one version', () => {
    const r1 = read('dave', 10, 11, S2);
    const forked: AuctionState = {
      ...S2,
      currentPrice: 105,
      highestBid: { id: 'bx', bidderId: 'bob', amount: 105 },
      minNextBid: 115,
    };
    const r2 = read('erin', 12, 13, forked, 'n3');
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2)), r1, r2];
    const storedBids = [stored('b1', 'alice', 100, 'accepted', 2)];
    const violations = check(ops, record(storedBids, S2));
    const v = assertReported(violations, 'state-conflict', [r2.id]);
    assert.deepEqual(v.versions, [2]);
    assert.equal(violations.length, 1, formatViolations(violations));
    assert.match(v.message, /version 2 has two states/);
  });

  test('two bids acknowledged as accepted at the same version', () => {
    const a = bid('alice', 100, 0, 5, accepted('b1', S2), 'n1');
    const twin: AuctionState = { ...S2, currentPrice: 130, highestBid: { id: 'b9', bidderId: 'bob', amount: 130 } };
    const b = bid('bob', 130, 0, 5, accepted('b9', twin), 'n2');
    const storedBids = [stored('b1', 'alice', 100, 'accepted', 2), stored('b9', 'bob', 130, 'accepted', 2)];
    assertReported(check([a, b], record(storedBids, S2)), 'state-conflict', [a.id, b.id]);
  });

  test('a read from the future: it shows the write of a bid sent only after it responded', () => {
    const early = read('dave', 0, 10, S2);
    const b1 = bid('alice', 100, 20, 30, accepted('b1', S2));
    const violations = check([early, b1], record([stored('b1', 'alice', 100, 'accepted', 2)], S2));
    const v = assertReported(violations, 'future', [b1.id, early.id]);
    assert.deepEqual(v.versions, [2, 2]);
  });

  test('a read from the future whose writer’s answer was lost', () => {
    const early = read('dave', 0, 10, S2);
    const b1 = bid('alice', 100, 20, 30, unknown);
    const violations = check([early, b1], record([stored('b1', 'alice', 100, 'accepted', 2)], S2));
    assertReported(violations, 'future', [early.id, b1.id]);
  });

  test('a read of a version no write ever produced', () => {
    const ghost = read('dave', 0, 10, S3);
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2)), ghost];
    assertReported(check(ops, record([stored('b1', 'alice', 100, 'accepted', 2)], S2)), 'future', [ghost.id]);
  });

  test('an acknowledged bid missing from the stored history', () => {
    const lostAccepted = bid('bob', 120, 10, 15, accepted('b2', S3));
    const lostRejected = bid('carol', 105, 16, 17, rejected('r1', S3));
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2)), lostAccepted, lostRejected];
    const violations = check(ops, record([stored('b1', 'alice', 100, 'accepted', 2)], S2));
    assertReported(violations, 'lost-bid', [lostAccepted.id]);
    assertReported(violations, 'lost-bid', [lostRejected.id]);
  });

  test('an acknowledged bid stored with another status', () => {
    const op = bid('alice', 100, 0, 5, accepted('b1', S2));
    const violations = check([op], record([stored('b1', 'alice', 100, 'rejected', 2)], S1));
    assertReported(violations, 'stored-mismatch', [op.id]);
  });

  test('a stored bid that nobody sent', () => {
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2))];
    const storedBids = [stored('b1', 'alice', 100, 'accepted', 2), stored('zz', 'mallory', 500, 'rejected', 2)];
    assertReported(check(ops, record(storedBids, S2)), 'phantom-bid');
  });

  test('a final state the stored history does not lead to', () => {
    const ops = [bid('alice', 100, 0, 5, accepted('b1', S2))];
    assertReported(check(ops, record([stored('b1', 'alice', 100, 'accepted', 2)], S1)), 'final-state');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Generated histories: a sequential auction applies each operation at a random instant inside its interval.

interface OpSpec {
  kind: 'bid' | 'read';
  start: number;
  toPoint: number;
  toResponse: number;
  /** Added to the minimum next bid at the operation's linearization point. */
  offset: number;
  bidder: number;
  fate: 'answered' | 'unknown-applied' | 'unknown-lost';
  giveUpAfter: number;
}

const opSpec: fc.Arbitrary<OpSpec> = fc.record({
  kind: fc.constantFrom<'bid' | 'read'>('bid', 'bid', 'read'),
  start: fc.integer({ min: 0, max: 400 }),
  toPoint: fc.integer({ min: 1, max: 60 }),
  toResponse: fc.integer({ min: 1, max: 60 }),
  offset: fc.integer({ min: -25, max: 20 }),
  bidder: fc.integer({ min: 0, max: 4 }),
  fate: fc.constantFrom<OpSpec['fate']>(
    'answered',
    'answered',
    'answered',
    'answered',
    'answered',
    'answered',
    'unknown-applied',
    'unknown-lost',
  ),
  giveUpAfter: fc.integer({ min: 1, max: 200 }),
});

/** Runs the specs through a sequential auction; every time is distinct enough for one real-time order. */
function simulate(specs: OpSpec[], withIncrement: boolean): { ops: Operation[]; rec: AuctionRecord } {
  // Linearization points are distinct (the index breaks ties) and strictly inside answered intervals.
  const points = specs.map((s, i) => (s.start + s.toPoint) * 1000 + i);
  const order = specs.map((_, i) => i).sort((a, b) => points[a]! - points[b]!);
  let state: AuctionState = { ...INITIAL };
  const storedBids: StoredBid[] = [];
  const ops: Operation[] = new Array(specs.length);
  for (const i of order) {
    const s = specs[i]!;
    const invokedAt = s.start * 1000;
    const respondedAt =
      s.fate === 'answered' ? (s.start + s.toPoint + s.toResponse) * 1000 + 999 : invokedAt + s.giveUpAfter * 1000 + i;
    const base = {
      id: `g${i}`,
      process: `p${s.bidder}`,
      node: `n${i % 3}`,
      auctionId: AUCTION,
      invokedAt,
      respondedAt,
    };
    if (s.kind === 'read') {
      const outcome = s.fate === 'answered' ? { status: 'ok' as const, auction: state } : unknown;
      ops[i] = { ...base, kind: 'read', outcome };
      continue;
    }
    const bidderId = `u${s.bidder}`;
    const amount = Math.max(1, state.minNextBid + s.offset);
    const bidId = `bid${i}`;
    let outcome: Operation['outcome'] = unknown;
    if (s.fate !== 'unknown-lost') {
      if (amount >= state.minNextBid) {
        state = {
          version: state.version + 1,
          currentPrice: amount,
          highestBid: { id: bidId, bidderId, amount },
          minNextBid: amount + INC,
          bidCount: state.bidCount + 1,
        };
        storedBids.push(stored(bidId, bidderId, amount, 'accepted', state.version));
        if (s.fate === 'answered') outcome = accepted(bidId, state);
      } else {
        storedBids.push(stored(bidId, bidderId, amount, 'rejected', state.version));
        if (s.fate === 'answered') outcome = rejected(bidId, state);
      }
    }
    ops[i] = { ...base, kind: 'bid', bidderId, amount, outcome };
  }
  return { ops, rec: record(storedBids, state, withIncrement ? INC : undefined) };
}

const clone = <T>(x: T): T => structuredClone(x);
const answered = (op: Operation, status: string) => op.outcome.status === status;
const versionOf = (op: Operation) => (op.outcome.status === 'unknown' ? -1 : op.outcome.auction.version);

type Mutation = 'stale-read' | 'lower-bid' | 'unjustified-rejection' | 'state-conflict' | 'future-read' | 'lost-bid';

/**
 * Plants one violation of `kind` in a valid history, choosing targets with `pick`; null when this history
 * has nothing to plant it on. Returns the kind the checker must report and the operation it must name.
 */
function mutate(
  ops: Operation[],
  rec: AuctionRecord,
  kind: Mutation,
  pick: number,
): { expected: ViolationKind; opId: string } | null {
  const choose = <T>(xs: T[]): T | null => (xs.length === 0 ? null : xs[pick % xs.length]!);
  const statesAt = (v: number): AuctionState[] => [
    ...ops.flatMap((o) =>
      o.outcome.status !== 'unknown' && o.outcome.auction.version === v ? [o.outcome.auction] : [],
    ),
    ...(rec.final.version === v ? [rec.final] : []),
  ];
  switch (kind) {
    case 'stale-read': {
      // Move a read to after an acknowledged bid of a newer version had answered.
      const pairs = ops.flatMap((r) =>
        r.kind === 'read' && answered(r, 'ok')
          ? ops.filter((a) => answered(a, 'accepted') && versionOf(a) > versionOf(r)).map((a) => [r, a] as const)
          : [],
      );
      const pair = choose(pairs);
      if (!pair) return null;
      const [r, a] = pair;
      r.invokedAt = a.respondedAt + 0.5;
      r.respondedAt = Math.max(r.respondedAt, r.invokedAt + 0.5);
      return { expected: 'stale', opId: r.id };
    }
    case 'lower-bid': {
      // An acknowledged bid (not the first) whose amount is made ≤ the previous version's price,
      // consistently in every answer and record of its version.
      const target = choose(ops.filter((o) => answered(o, 'accepted') && versionOf(o) >= INITIAL.version + 2));
      if (!target) return null;
      const v = versionOf(target);
      const prevPrice = rec.stored.find((s) => s.status === 'accepted' && s.auctionVersion === v - 1)!.amount;
      const amount = Math.max(1, prevPrice - (pick % 15));
      target.amount = amount;
      for (const s of statesAt(v)) {
        s.currentPrice = amount;
        s.highestBid!.amount = amount;
        s.minNextBid = amount + INC;
      }
      rec.stored.find((s) => s.auctionVersion === v && s.status === 'accepted')!.amount = amount;
      return { expected: 'bid-order', opId: target.id };
    }
    case 'unjustified-rejection': {
      const target = choose(ops.filter((o) => answered(o, 'rejected')));
      if (!target || target.outcome.status !== 'rejected') return null;
      const amount = target.outcome.auction.minNextBid + (pick % 7);
      rec.stored.find((s) => s.id === (target.outcome as { bidId: string }).bidId)!.amount = amount;
      target.amount = amount;
      return { expected: 'unjustified-rejection', opId: target.id };
    }
    case 'state-conflict': {
      // Every version has another witness (the creation answer or the stored bid that produced it).
      const target = choose(ops.filter((o) => o.outcome.status !== 'unknown'));
      if (!target || target.outcome.status === 'unknown') return null;
      target.outcome.auction = { ...target.outcome.auction, bidCount: target.outcome.auction.bidCount + 1 };
      return { expected: 'state-conflict', opId: target.id };
    }
    case 'future-read': {
      // A read answered before an acknowledged bid was sent, showing that bid's write.
      const r = choose(ops.filter((o) => o.kind === 'read' && answered(o, 'ok')));
      const p = choose(ops.filter((o) => answered(o, 'accepted')).reverse());
      if (!r || !p || p.outcome.status !== 'accepted') return null;
      r.outcome = { status: 'ok', auction: clone(p.outcome.auction) };
      r.respondedAt = p.invokedAt - 0.5;
      r.invokedAt = Math.min(r.invokedAt, r.respondedAt - 0.5);
      return { expected: 'future', opId: p.id };
    }
    case 'lost-bid': {
      const target = choose(ops.filter((o) => answered(o, 'accepted') || answered(o, 'rejected')));
      if (!target || (target.outcome.status !== 'accepted' && target.outcome.status !== 'rejected')) return null;
      const bidId = target.outcome.bidId;
      rec.stored = rec.stored.filter((s) => s.id !== bidId);
      return { expected: 'lost-bid', opId: target.id };
    }
  }
}

describe('linearizability checker: generated histories', () => {
  test('every history a sequential auction can produce with overlapping timings is accepted', () => {
    fc.assert(
      fc.property(fc.array(opSpec, { minLength: 1, maxLength: 40 }), fc.boolean(), (specs, withIncrement) => {
        const { ops, rec } = simulate(specs, withIncrement);
        const violations = checkLinearizability(ops, [rec]);
        assert.deepEqual(violations, [], formatViolations(violations));
      }),
      { numRuns: 500 },
    );
  });

  const kinds: Mutation[] = [
    'stale-read',
    'lower-bid',
    'unjustified-rejection',
    'state-conflict',
    'future-read',
    'lost-bid',
  ];
  for (const kind of kinds)
    test(`one planted ${kind} is always caught`, () => {
      let planted = 0;
      fc.assert(
        fc.property(
          fc.array(opSpec, { minLength: 6, maxLength: 30 }),
          fc.boolean(),
          fc.nat(),
          (specs, withIncrement, pick) => {
            const { ops, rec } = simulate(specs, withIncrement);
            const plantedIn = mutate(ops, rec, kind, pick);
            fc.pre(plantedIn !== null);
            planted++;
            const violations = checkLinearizability(ops, [rec]);
            const found = violations.some((v) => v.kind === plantedIn!.expected && v.ops.includes(plantedIn!.opId));
            assert.ok(
              found,
              `planted ${kind} on ${plantedIn!.opId}, expected ${plantedIn!.expected}; got:\n${formatViolations(violations)}`,
            );
          },
        ),
        { numRuns: 200 },
      );
      // The property must not pass vacuously (every history skipped).
      assert.ok(planted >= 100, `only ${planted} histories had somewhere to plant ${kind}`);
    });
});
