/**
 * A linearizability checker for histories of bids and reads on Gavel auctions, against the sequential
 * model of one auction with open (plain, not proxy) bidding:
 *
 *   state  = { version, currentPrice, highestBid, bidCount, minNextBid }, created at version v0 with no bid;
 *   bid(a) = accepted iff a ≥ minNextBid (and a > currentPrice): version+1, price a, leader this bid,
 *            bidCount+1; else rejected BID_TOO_LOW, state unchanged;
 *   read   = the state, unchanged.
 *
 * A history is linearizable when every operation can be given one instant between its invocation and its
 * response such that, replayed one by one in that order, the model answers exactly what the service
 * answered (operations whose outcome is unknown may be left out, or placed anywhere after their invocation).
 *
 * WHY VERSION WITNESSES MAKE THIS CHECK EXACT. Checking linearizability is NP-complete in general because
 * the checker must guess the order of the writes. Here it does not have to: every answer carries the
 * auction's `version`, and in the model the version is part of the state and counts the accepted bids. So
 * in ANY linearization, an accepted bid whose answer shows version v must be the (v−v0)-th accepted bid,
 * and a read or a rejection that shows version v must sit after that bid and before the next accepted one.
 * The stored history (every bid the service kept, with `auctionVersion`) names the bid that produced each
 * version, including those whose answers were lost. The order of the writes is therefore given, not
 * guessed, and what remains are local conditions. The stored history is the service's own output, so it
 * is not trusted blindly: it must agree with every answer showing one of its versions (a), and each of
 * its bids must be an operation of the history: an acknowledged one by id, else an unknown-outcome bid of
 * the same bidder and amount sent in time (an exact bipartite matching, (d)). A made-up history can
 * therefore only name, for versions nobody saw, writes that could really have happened.
 *
 *  - Sound (a reported violation means no linearization exists): each check below is implied by the
 *    placement the witnesses force. (a) one state per version: the model has one state per version; (b)
 *    the model's price strictly rises and its bid count grows by one per version, an accepted bid is
 *    above the previous version's price (and at least its minimum next bid) and shows its own amount; (c)
 *    if A responded before B was invoked, A precedes B, so B's version is ≥ A's, and > A's if B is the
 *    write that produced its version (it comes before every observer of that version); (d) the bid that
 *    produced version v precedes every observer of v or later, so it must have been invoked before each
 *    of them responded; (e) the model rejects only below the minimum next bid of the state it is applied
 *    to; (f) a bid the service acknowledged is in its store as acknowledged, and the final read is the
 *    state after the last stored accepted bid.
 *  - Complete (no violation means a linearization exists): put the writes in version order (the producer
 *    of v is the acknowledged bid that showed v, else an unknown-outcome bid matched to the stored bid of
 *    version v, placed at its invocation or later); put each observer of version v (read, rejection)
 *    between the producer of v and the producer of v+1, observers of one version in order of response.
 *    Every real-time pair A→B then respects the order: by (c) for two answered operations, and for a
 *    write with an unknown outcome because it never responded (nothing has to come after it) and, by the
 *    matching in (d), it was invoked before any observer of its version or later responded. Replaying
 *    that order through the model gives each operation its answer: (a)+(b) make the states along the
 *    version chain exactly the model's states, (b) makes each accepted bid acceptable in the model, (e)
 *    each rejection a rejection. Unknown bids not matched to a stored bid are left out (they had no
 *    effect); unknown bids matched to stored rejections are placed with the observers of their version.
 *    The minimum next bid of a version nobody observed is computed from `increment` when it is given; without
 *    it, an accepted bid is only checked to be above the previous price, so completeness then also
 *    assumes the service's increment rule.
 *
 * ASSUMPTIONS. The history is complete (every client's every operation on these auctions, including those
 * whose answer was lost) and all times come from one clock (one recording process, `performance.now()`):
 * invocation taken before the request is sent, response after the answer was read. Nothing else changes
 * the auctions (no close, cancel, buy-now: the test auctions are open for the whole run).
 *
 * NOT CHECKED. Proxy bidding (one incoming bid may produce two versions), buy-now, reserve, closing and the
 * time-based rejections (AUCTION_CLOSED, …, reported here as not possible in the model), SELF_BIDDING, the
 * standard increment table for unobserved versions, the MAX_AMOUNT cap, fields of the view other than
 * price, leader, bid count, minimum next bid and version, idempotent replays (a replay is the first answer
 * again, not a new operation: do not record it as one), event streams, and anything about other auctions.
 *
 * Pure: no I/O, no clock. `checkLinearizability` returns violations; an empty list means linearizable.
 */

/** The part of the auction view the model is about. */
export interface AuctionState {
  version: number;
  currentPrice: number | null;
  highestBid: { id: string; bidderId: string; amount: number } | null;
  minNextBid: number;
  bidCount: number;
}

export type Outcome =
  /** 201: the view of the state this bid's write produced. */
  | { status: 'accepted'; bidId: string; auction: AuctionState }
  /** 409: the reason and the view of the state the bid was judged against. */
  | { status: 'rejected'; bidId: string; reason: string; auction: AuctionState }
  /** A read answered 200. */
  | { status: 'ok'; auction: AuctionState }
  /** Network error, 5xx, timeout: a bid may or may not have taken effect; a read tells nothing. */
  | { status: 'unknown'; error: string };

export interface Operation {
  /** Unique within the history; used in messages. */
  id: string;
  /** The client that issued it (operations of one client do not overlap). */
  process: string;
  /** The node it was sent to. */
  node: string;
  kind: 'bid' | 'read';
  auctionId: string;
  /** Bids: the user the bid was placed as. Lets an unknown-outcome bid be matched to its stored record. */
  bidderId?: string;
  /** Bids: the amount sent. */
  amount?: number;
  invokedAt: number;
  respondedAt: number;
  outcome: Outcome;
}

/** A bid as the history endpoint returns it (`allBids` in child-server.ts). */
export interface StoredBid {
  id: string;
  bidderId: string;
  amount: number;
  status: string;
  reason: string | null;
  auctionVersion: number;
}

export interface AuctionRecord {
  auctionId: string;
  /** The view answered when the auction was created. */
  initial: AuctionState;
  /** The fixed minimum increment (proxy bidding off, no increment table), when known. */
  increment?: number;
  /** The whole stored bid history, read after every operation completed. */
  stored: StoredBid[];
  /** A read after every operation completed (and after `stored` was read, or with no write in between). */
  final: AuctionState;
}

export type ViolationKind =
  /** (a) Two observations of one version disagree. */
  | 'state-conflict'
  /** (b) Prices or bid counts do not rise with the version, versions skip, or a version is below the initial one. */
  | 'version-order'
  /** (b) An accepted bid that the previous state could not accept, or whose answer is not its own write. */
  | 'bid-order'
  /** (c) An operation observed a version older than one already observed before it was invoked. */
  | 'stale'
  /** (d) An operation observed a state whose write had not been sent yet, or never was. */
  | 'future'
  /** (e) A rejection the state it was judged against does not justify. */
  | 'unjustified-rejection'
  /** (f) An acknowledged bid is not in the stored history. */
  | 'lost-bid'
  /** (f) A stored bid differs from what was answered (status, amount, version, reason), or is stored twice. */
  | 'stored-mismatch'
  /** (f) A stored bid that no operation of the history can account for. */
  | 'phantom-bid'
  /** (f) The final state is not the one the stored history leads to. */
  | 'final-state';

export interface Violation {
  kind: ViolationKind;
  auctionId: string;
  /** Ids of the operations involved (may be empty when only stored records or the final read are). */
  ops: string[];
  /** The versions involved. */
  versions: number[];
  message: string;
}

/** Picks the model's fields out of a wire auction view (GET, 201 and 409 answers, SSE snapshots). */
export function stateOf(view: unknown): AuctionState {
  const v = view as Record<string, unknown> | null;
  if (!v || typeof v.version !== 'number' || typeof v.bidCount !== 'number' || typeof v.minNextBid !== 'number')
    throw new Error(`not an auction view: ${JSON.stringify(view)}`);
  const hb = v.highestBid as { id: string; bidderId: string; amount: number } | null | undefined;
  return {
    version: v.version,
    currentPrice: (v.currentPrice as number | null | undefined) ?? null,
    highestBid: hb ? { id: hb.id, bidderId: hb.bidderId, amount: hb.amount } : null,
    minNextBid: v.minNextBid,
    bidCount: v.bidCount,
  };
}

/** One violation per line, for assertion messages. */
export function formatViolations(violations: readonly Violation[], max = 50): string {
  const lines = violations.slice(0, max).map((v) => `[${v.kind}] auction ${v.auctionId}: ${v.message}`);
  if (violations.length > max) lines.push(`… and ${violations.length - max} more`);
  return lines.join('\n');
}

/**
 * Checks a history of operations on several auctions. Operations on an auction that has no record are
 * a harness error (thrown), not a violation.
 */
export function checkLinearizability(
  operations: readonly Operation[],
  auctions: readonly AuctionRecord[],
): Violation[] {
  const byAuction = new Map<string, Operation[]>();
  for (const record of auctions) byAuction.set(record.auctionId, []);
  const ids = new Set<string>();
  for (const op of operations) {
    if (ids.has(op.id)) throw new Error(`operation id ${op.id} is used twice`);
    ids.add(op.id);
    const list = byAuction.get(op.auctionId);
    if (!list) throw new Error(`operation ${op.id} is on auction ${op.auctionId}, which has no record`);
    if (op.kind === 'bid' && op.amount === undefined) throw new Error(`bid ${op.id} has no amount`);
    list.push(op);
  }
  const violations: Violation[] = [];
  for (const record of auctions) violations.push(...checkAuction(record, byAuction.get(record.auctionId)!));
  return violations;
}

// ---------------------------------------------------------------------------------------------------------

/** A completed operation with the version its answer showed. */
interface Observed {
  op: Operation;
  state: AuctionState;
}

/** What is known of the state at one version, and where it was first seen. */
interface Known {
  currentPrice: number | null;
  highestBid: { id: string; bidderId: string; amount: number } | null;
  bidCount: number;
  /** Null when nobody observed it and no increment was given. */
  minNextBid: number | null;
  source: string;
  opId: string | null;
}

const money = (p: number | null) => (p === null ? 'none' : String(p));

function describeState(s: Omit<Known, 'source' | 'opId'>): string {
  const leader = s.highestBid
    ? `leader ${s.highestBid.bidderId} (bid ${s.highestBid.id}, ${s.highestBid.amount})`
    : 'no leader';
  const next = s.minNextBid === null ? '' : `, min next ${s.minNextBid}`;
  return `price ${money(s.currentPrice)}, ${leader}, ${s.bidCount} bids${next}`;
}

function describeOp(op: Operation): string {
  const what =
    op.kind === 'bid' ? `bid ${op.id} (${op.amount}${op.bidderId ? ` by ${op.bidderId}` : ''})` : `read ${op.id}`;
  const outcome = op.outcome;
  const answer =
    outcome.status === 'accepted'
      ? `accepted as ${outcome.bidId} at v${outcome.auction.version}`
      : outcome.status === 'rejected'
        ? `rejected ${outcome.reason} at v${outcome.auction.version}`
        : outcome.status === 'ok'
          ? `saw v${outcome.auction.version}`
          : `unknown outcome (${outcome.error})`;
  return `${what} via ${op.node} by ${op.process}, [${fmt(op.invokedAt)} → ${fmt(op.respondedAt)}], ${answer}`;
}

const fmt = (t: number) => (Number.isInteger(t) ? String(t) : t.toFixed(1));

function sameLeader(a: Known['highestBid'], b: Known['highestBid']): boolean {
  if (a === null || b === null) return a === b;
  return a.id === b.id && a.bidderId === b.bidderId && a.amount === b.amount;
}

function checkAuction(record: AuctionRecord, ops: Operation[]): Violation[] {
  const auctionId = record.auctionId;
  const out: Violation[] = [];
  const report = (kind: ViolationKind, message: string, opIds: (string | null)[], versions: number[]) =>
    out.push({ kind, auctionId, message, ops: opIds.filter((x): x is string => x !== null), versions });

  const v0 = record.initial.version;
  const increment = record.increment;
  const modelMinNext = (price: number | null) =>
    increment === undefined ? null : price === null ? record.initial.minNextBid : price + increment;

  const observed: Observed[] = [];
  for (const op of ops) if (op.outcome.status !== 'unknown') observed.push({ op, state: op.outcome.auction });
  observed.sort((a, b) => a.op.respondedAt - b.op.respondedAt);
  const unknownBids = ops.filter((op) => op.kind === 'bid' && op.outcome.status === 'unknown');

  // ---- The stored history ----------------------------------------------------------------------------
  const storedById = new Map<string, StoredBid>();
  for (const s of record.stored) {
    if (storedById.has(s.id)) report('stored-mismatch', `bid ${s.id} is stored twice`, [], [s.auctionVersion]);
    storedById.set(s.id, s);
  }
  const storedAccepted = record.stored
    .filter((s) => s.status === 'accepted')
    .sort((a, b) => a.auctionVersion - b.auctionVersion);

  // ---- (a) one state per version ---------------------------------------------------------------------
  const known = new Map<number, Known>();
  known.set(v0, { ...record.initial, source: 'the creation answer', opId: null });
  storedAccepted.forEach((s, i) => {
    const expected = v0 + 1 + i;
    if (s.auctionVersion !== expected)
      report(
        'version-order',
        `stored accepted bid ${s.id} (${s.amount} by ${s.bidderId}) has version ${s.auctionVersion} where the ` +
          `${i + 1}-th accepted bid should have version ${expected} (versions skip or repeat)`,
        [],
        [s.auctionVersion, expected],
      );
    const state: Known = {
      currentPrice: s.amount,
      highestBid: { id: s.id, bidderId: s.bidderId, amount: s.amount },
      bidCount: record.initial.bidCount + i + 1,
      minNextBid: modelMinNext(s.amount),
      source: `stored bid ${s.id}`,
      opId: null,
    };
    const earlier = known.get(s.auctionVersion);
    if (earlier)
      report(
        'state-conflict',
        `version ${s.auctionVersion} has two states: ${describeState(earlier)} [${earlier.source}] vs ` +
          `${describeState(state)} [${state.source}]`,
        [],
        [s.auctionVersion],
      );
    else known.set(s.auctionVersion, state);
  });

  const observations: { state: AuctionState; source: string; opId: string | null }[] = [
    ...observed.map((o) => ({ state: o.state, source: describeOp(o.op), opId: o.op.id })),
    { state: record.final, source: 'the final read', opId: null },
  ];
  for (const { state, source, opId } of observations) {
    const v = state.version;
    const expectedMin = modelMinNext(state.currentPrice);
    if (expectedMin !== null && state.minNextBid !== expectedMin)
      report(
        'state-conflict',
        `version ${v} shows min next bid ${state.minNextBid} at price ${money(state.currentPrice)}, the model's ` +
          `increment makes it ${expectedMin} [${source}]`,
        [opId],
        [v],
      );
    const earlier = known.get(v);
    if (!earlier) {
      known.set(v, { ...state, source, opId });
      continue;
    }
    if (
      earlier.currentPrice !== state.currentPrice ||
      earlier.bidCount !== state.bidCount ||
      !sameLeader(earlier.highestBid, state.highestBid) ||
      (earlier.minNextBid !== null && earlier.minNextBid !== state.minNextBid)
    )
      report(
        'state-conflict',
        `version ${v} has two states: ${describeState(earlier)} [${earlier.source}] vs ${describeState(state)} ` +
          `[${source}]`,
        [earlier.opId, opId],
        [v],
      );
    else if (earlier.minNextBid === null) earlier.minNextBid = state.minNextBid;
  }

  // ---- (b) prices and counts rise with the version; nothing beyond the final version -----------------
  const versions = [...known.keys()].sort((a, b) => a - b);
  for (let i = 1; i < versions.length; i++) {
    const v = versions[i]!;
    const prev = known.get(v - 1);
    if (!prev) continue;
    const cur = known.get(v)!;
    if (cur.currentPrice === null || (prev.currentPrice !== null && cur.currentPrice <= prev.currentPrice))
      report(
        'version-order',
        `price does not rise from version ${v - 1} (${money(prev.currentPrice)}, ${prev.source}) to version ${v} ` +
          `(${money(cur.currentPrice)}, ${cur.source})`,
        [prev.opId, cur.opId],
        [v - 1, v],
      );
    if (cur.bidCount !== prev.bidCount + 1)
      report(
        'version-order',
        `bid count goes from ${prev.bidCount} at version ${v - 1} (${prev.source}) to ${cur.bidCount} at version ` +
          `${v} (${cur.source}); each version is one accepted bid`,
        [prev.opId, cur.opId],
        [v - 1, v],
      );
  }
  const finalVersion = record.final.version;
  for (const { op, state } of observed) {
    if (state.version > finalVersion)
      report(
        'future',
        `${describeOp(op)}: observed version ${state.version}, but the final read shows version ${finalVersion}: ` +
          `no write ever produced it`,
        [op.id],
        [state.version, finalVersion],
      );
    if (state.version < v0 || (op.outcome.status === 'accepted' && state.version === v0))
      report(
        'version-order',
        `${describeOp(op)}: version ${state.version} is not after the auction's creation (version ${v0})`,
        [op.id],
        [state.version, v0],
      );
  }

  // ---- (b) each accepted bid is its own write, acceptable in the state before it ----------------------
  const producers = new Map<number, Operation>();
  for (const { op, state } of observed) {
    if (op.outcome.status !== 'accepted') continue;
    const v = state.version;
    const other = producers.get(v);
    if (other)
      report(
        'state-conflict',
        `two bids accepted at version ${v}: ${describeOp(other)} and ${describeOp(op)}`,
        [other.id, op.id],
        [v],
      );
    else producers.set(v, op);
    const amount = op.amount!;
    const hb = state.highestBid;
    if (state.currentPrice !== amount || !hb || hb.id !== op.outcome.bidId || hb.amount !== amount)
      report(
        'bid-order',
        `${describeOp(op)}: its answer shows ${describeState({ ...state })}, not its own bid as the leader at ` +
          `its amount`,
        [op.id],
        [v],
      );
    else if (op.bidderId !== undefined && hb.bidderId !== op.bidderId)
      report('bid-order', `${describeOp(op)}: its answer shows bidder ${hb.bidderId} as the leader`, [op.id], [v]);
    const prev = known.get(v - 1);
    if (prev && prev.currentPrice !== null && amount <= prev.currentPrice)
      report(
        'bid-order',
        `${describeOp(op)}: accepted although version ${v - 1} already had price ${prev.currentPrice} ` +
          `[${prev.source}]: a lower or equal bid was accepted after a higher one`,
        [op.id, prev.opId],
        [v - 1, v],
      );
    else if (prev && prev.minNextBid !== null && amount < prev.minNextBid)
      report(
        'bid-order',
        `${describeOp(op)}: accepted although version ${v - 1} required at least ${prev.minNextBid} ` +
          `[${prev.source}]`,
        [op.id, prev.opId],
        [v - 1, v],
      );
  }

  // ---- (e) rejections are justified by the state they were judged against ----------------------------
  for (const { op, state } of observed) {
    if (op.outcome.status !== 'rejected') continue;
    const reason = op.outcome.reason;
    const justified = rejectionJustified(reason, op.amount!, state.minNextBid, state.currentPrice);
    if (justified !== null)
      report('unjustified-rejection', `${describeOp(op)}: ${justified}`, [op.id], [state.version]);
  }

  // ---- (c) real-time order between answered operations ------------------------------------------------
  // `observed` is sorted by response time: a prefix maximum of versions gives, for any instant, the newest
  // version some operation had already answered with (and which one).
  const prefixMax: Observed[] = [];
  for (const o of observed) {
    const best = prefixMax.at(-1);
    prefixMax.push(best && best.state.version >= o.state.version ? best : o);
  }
  const respondedBefore = (t: number): Observed | null => {
    let lo = 0;
    let hi = observed.length; // first index whose response is not before t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (observed[mid]!.op.respondedAt < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : prefixMax[lo - 1]!;
  };
  for (const { op, state } of observed) {
    const witness = respondedBefore(op.invokedAt);
    if (!witness) continue;
    const seen = witness.state.version;
    if (op.outcome.status === 'accepted' && seen >= state.version)
      report(
        'future',
        `${describeOp(op)} produced version ${state.version}, but ${describeOp(witness.op)} had already ` +
          `answered with version ${seen} (which includes that write) before this bid was sent`,
        [op.id, witness.op.id],
        [state.version, seen],
      );
    else if (op.outcome.status !== 'accepted' && seen > state.version)
      report(
        'stale',
        `${describeOp(op)} observed version ${state.version}, but ${describeOp(witness.op)} had already ` +
          `answered with version ${seen} before it was sent: a stale ${op.kind === 'read' ? 'read' : 'rejection'}`,
        [op.id, witness.op.id],
        [state.version, seen],
      );
  }

  // ---- (f) acknowledged bids are stored as answered ----------------------------------------------------
  const acknowledgedIds = new Set<string>();
  for (const { op, state } of observed) {
    const outcome = op.outcome;
    if (outcome.status !== 'accepted' && outcome.status !== 'rejected') continue;
    acknowledgedIds.add(outcome.bidId);
    const s = storedById.get(outcome.bidId);
    if (!s) {
      report(
        'lost-bid',
        `${describeOp(op)}: bid ${outcome.bidId} is not in the stored history`,
        [op.id],
        [state.version],
      );
      continue;
    }
    const problems: string[] = [];
    if (s.status !== outcome.status) problems.push(`status ${s.status}`);
    if (s.amount !== op.amount) problems.push(`amount ${s.amount}`);
    if (s.auctionVersion !== state.version) problems.push(`version ${s.auctionVersion}`);
    if (op.bidderId !== undefined && s.bidderId !== op.bidderId) problems.push(`bidder ${s.bidderId}`);
    const reason = outcome.status === 'rejected' ? outcome.reason : null;
    if ((s.reason ?? null) !== reason) problems.push(`reason ${s.reason}`);
    if (problems.length > 0)
      report('stored-mismatch', `${describeOp(op)}: stored with ${problems.join(', ')}`, [op.id], [state.version]);
  }

  // ---- (d) versions nobody acknowledged producing: an unknown-outcome bid sent in time ----------------
  // deadline(v): the earliest response of an answered operation showing version v or later. The bid that
  // produced v precedes all of them, so it must have been sent by then. A stored rejection judged at v
  // must likewise have been sent before anything showed v+1 or later.
  const byVersionDesc = [...observed].sort((a, b) => b.state.version - a.state.version);
  const suffixVersions: number[] = [];
  const suffixMin: Observed[] = [];
  for (const o of byVersionDesc) {
    const best = suffixMin.at(-1);
    suffixVersions.push(o.state.version);
    suffixMin.push(best && best.op.respondedAt <= o.op.respondedAt ? best : o);
  }
  const deadline = (v: number): Observed | null => {
    // the last index in the descending list whose version is ≥ v
    let lo = 0;
    let hi = suffixVersions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (suffixVersions[mid]! >= v) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : suffixMin[lo - 1]!;
  };
  const unexplained = record.stored.filter((s) => !acknowledgedIds.has(s.id));
  const limitOf = (s: StoredBid) => deadline(s.status === 'accepted' ? s.auctionVersion : s.auctionVersion + 1);
  const compatible = (s: StoredBid, op: Operation) =>
    op.amount === s.amount && (op.bidderId === undefined || op.bidderId === s.bidderId);
  const eligible = (s: StoredBid, op: Operation) => {
    const limit = limitOf(s);
    return compatible(s, op) && (limit === null || op.invokedAt <= limit.op.respondedAt);
  };
  const matchedTo = maximumMatching(unexplained, unknownBids, eligible);
  unexplained.forEach((s, i) => {
    const op = matchedTo[i];
    const label = `stored ${s.status} bid ${s.id} (${s.amount} by ${s.bidderId}, version ${s.auctionVersion})`;
    if (op === undefined) {
      const candidates = unknownBids.filter((u) => compatible(s, u));
      if (candidates.length === 0) {
        report('phantom-bid', `${label} matches no operation of the history`, [], [s.auctionVersion]);
        return;
      }
      const limit = limitOf(s);
      if (limit === null || candidates.every((c) => c.invokedAt <= limit.op.respondedAt)) {
        report(
          'phantom-bid',
          `${label}: every operation that could be this bid (${candidates.map((c) => c.id).join(', ')}) ` +
            `already accounts for another stored bid`,
          candidates.map((c) => c.id),
          [s.auctionVersion],
        );
        return;
      }
      report(
        'future',
        `${label}: ${describeOp(limit.op)} had already answered with version ${limit.state.version}, before ` +
          `any bid that could be this one was sent (${candidates.map((c) => `${c.id} at ${fmt(c.invokedAt)}`).join(', ')})`,
        [limit.op.id, ...candidates.map((c) => c.id)],
        [s.auctionVersion, limit.state.version],
      );
      return;
    }
    if (s.status === 'rejected') {
      const at = known.get(s.auctionVersion);
      const justified = at
        ? rejectionJustified(s.reason ?? '', s.amount, at.minNextBid, at.currentPrice)
        : `it was judged at version ${s.auctionVersion}, which no stored bid or answer shows`;
      if (justified !== null)
        report('unjustified-rejection', `${label}, sent as ${op.id}: ${justified}`, [op.id], [s.auctionVersion]);
    } else if (s.status !== 'accepted') {
      report('stored-mismatch', `${label}: unknown status`, [op.id], [s.auctionVersion]);
    }
  });

  // ---- (f) the final state is the one the stored history leads to -------------------------------------
  const last = storedAccepted.at(-1) ?? null;
  const expected = {
    version: v0 + storedAccepted.length,
    currentPrice: last ? last.amount : record.initial.currentPrice,
    bidCount: record.initial.bidCount + storedAccepted.length,
    leaderId: last ? last.id : (record.initial.highestBid?.id ?? null),
  };
  const f = record.final;
  if (
    f.version !== expected.version ||
    f.currentPrice !== expected.currentPrice ||
    f.bidCount !== expected.bidCount ||
    (f.highestBid?.id ?? null) !== expected.leaderId
  )
    report(
      'final-state',
      `the final read shows version ${f.version}, ${describeState({ ...f })}; the stored history (` +
        `${storedAccepted.length} accepted bids) leads to version ${expected.version}, price ` +
        `${money(expected.currentPrice)}, leader bid ${expected.leaderId ?? 'none'}, ${expected.bidCount} bids`,
      [],
      [f.version, expected.version],
    );
  return out;
}

/** Null when the model would reject `amount` with `reason` at a state with this price and minimum; else why not. */
function rejectionJustified(
  reason: string,
  amount: number,
  minNextBid: number | null,
  currentPrice: number | null,
): string | null {
  if (reason !== 'BID_TOO_LOW')
    return `rejected with ${reason}, which the model (an open auction, plain bids by non-sellers) never answers`;
  if (minNextBid !== null && amount >= minNextBid)
    return `rejected BID_TOO_LOW although ${amount} ≥ the minimum next bid ${minNextBid} of the state it was judged against`;
  // Without a known minimum (nobody saw that version, no increment given), only the price can be held against it.
  if (minNextBid === null && currentPrice !== null && amount > currentPrice)
    return `rejected BID_TOO_LOW although ${amount} > the price ${currentPrice} of the state it was judged against`;
  return null;
}

/**
 * Maximum bipartite matching (augmenting paths): `left[i]` gets `right[j]` only if `edge(left[i], right[j])`.
 * The sets are small (stored bids nobody acknowledged, against unknown-outcome bids), so O(V·E) is fine.
 * Returns, per left index, the matched right element or undefined.
 */
function maximumMatching<L, R>(left: L[], right: R[], edge: (l: L, r: R) => boolean): (R | undefined)[] {
  const adjacency = left.map((l) => right.flatMap((r, j) => (edge(l, r) ? [j] : [])));
  const ownerOf = new Array<number>(right.length).fill(-1);
  const augment = (i: number, seen: boolean[]): boolean => {
    for (const j of adjacency[i]!) {
      if (seen[j]) continue;
      seen[j] = true;
      if (ownerOf[j] === -1 || augment(ownerOf[j]!, seen)) {
        ownerOf[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < left.length; i++) augment(i, new Array<boolean>(right.length).fill(false));
  const result: (R | undefined)[] = left.map(() => undefined);
  ownerOf.forEach((i, j) => {
    if (i >= 0) result[i] = right[j];
  });
  return result;
}
