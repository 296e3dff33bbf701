import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Bus } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import {
  type Auction,
  type AuctionView,
  type BidView,
  type Candidate,
  acceptOffer,
  auctionView,
  bidView,
  buyNow,
  cancelAuction,
  closeIfDue,
  declineOffer,
  dueAt,
  expireSettlement,
  pay,
  placeBid,
} from '../domain/index.ts';
import { AppError, toError } from '../error-catalogue.ts';
import { newId } from '../ids.ts';
import type { Metrics } from '../metrics.ts';
import type { BidRecord, CommitBatch, IdempotencyRecord, Store, StoredEvent } from '../store/index.ts';
import type { ActionKind, ActionOutcome, BidOutcome, EngineCommand, PlaceBidInput } from './commands.ts';
import { LruCache } from './lru-cache.ts';
import { type Notification, notificationsFor } from './notifications.ts';

export interface SequencerOptions {
  store: Store;
  bus: Bus;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /**
   * Commit every command that queued while the previous commit ran in one
   * durable transaction. Default true. `false` commits one command per
   * transaction: only for the benchmark's baseline.
   */
  groupCommit?: boolean;
  /** Auctions whose state is kept in memory. Default 100,000. */
  cacheSize?: number;
  /** Upper bound on commands in one transaction, to bound latency and memory. Default 4,096. */
  maxBatch?: number;
  /**
   * Batches whose commits may be in flight at once (group commit only). Default 2: the next batch is
   * decided while the previous one is being made durable, so the rules and the disk work in parallel.
   */
  pipelineDepth?: number;
}

type IdempotencyFlight = { requestHash: string; outcome: Promise<BidOutcome> };

/**
 * The bid sequencer: the only writer of auction state.
 *
 * Commands queue in arrival order. A drain takes everything queued, applies
 * each command to its auction's state with the pure domain rules (per auction
 * strictly in order; different auctions never wait on each other's rules),
 * writes all of it in ONE durable transaction, and only then answers the
 * callers and publishes the events. Whatever arrives while a commit runs
 * forms the next batch: no timer, no added latency when idle, large batches
 * under load (natural group commit).
 *
 * INVARIANT: no caller is answered and no event is published before the
 * transaction holding its effect has committed. A crash before that point
 * loses only commands nobody was told about.
 */
export class Sequencer {
  private readonly store: Store;
  private readonly bus: Bus;
  private readonly clock: Clock;
  private readonly metrics: Metrics;
  private readonly logger: Logger;
  private readonly groupCommit: boolean;
  private readonly maxBatch: number;
  private readonly cache: LruCache<string, Auction>;
  private readonly idempotencyInFlight = new Map<string, IdempotencyFlight>();
  private queue: EngineCommand[] = [];
  /**
   * States decided by a batch whose commit is still in flight. The next batch
   * is decided on top of them (pipelining), but nobody reads them: reads and
   * snapshots see only the cache, which holds durable states.
   */
  private readonly decided = new Map<string, Auction>();
  private readonly inFlight = new Set<Promise<void>>();
  /** The commit of the batch decided last: a later batch's answers may depend on it. */
  private lastCommit: Promise<void> = Promise.resolve();
  private readonly maxInFlight: number;
  private drainScheduled = false;
  private draining: Promise<void> | null = null;
  private accepting = true;
  private readonly dueTimeListeners = new Set<(endDate: number) => void>();

  constructor(options: SequencerOptions) {
    this.store = options.store;
    this.bus = options.bus;
    this.clock = options.clock;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.groupCommit = options.groupCommit ?? true;
    this.maxBatch = options.maxBatch ?? 4096;
    this.maxInFlight = this.groupCommit ? (options.pipelineDepth ?? 2) : 1;
    this.cache = new LruCache(options.cacheSize ?? 100_000);
  }

  /** The closer subscribes here to re-arm when an auction's end moves earlier than its timer. */
  onDueTime(listener: (endDate: number) => void): () => void {
    this.dueTimeListeners.add(listener);
    return () => this.dueTimeListeners.delete(listener);
  }

  async createAuction(auction: Auction): Promise<void> {
    if (!this.accepting) throw new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down');
    await this.store.insertAuction(auction);
    this.cache.set(auction.id, auction);
    this.announceDueTime(auction.endDate);
  }

  /** The auction's latest committed state (strongly consistent: the cache is updated at commit). */
  async getAuction(id: string): Promise<Auction | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const loaded = (await this.store.loadAuctions([id])).get(id) ?? null;
    // Only cache if no commit for this auction slipped in while we read.
    if (loaded && !this.cache.get(id)) this.cache.set(id, loaded);
    return this.cache.get(id) ?? loaded;
  }

  /**
   * Places one bid. With an idempotency key, a retry (or a concurrent twin)
   * gets the first answer; a different amount under the same key is refused.
   */
  async placeBid(input: PlaceBidInput): Promise<BidOutcome> {
    const requestHash = `amount:${input.amount}`;
    if (input.idempotencyKey === null) return this.enqueueBid(input, requestHash);

    const flightKey = `${input.bidderId}\u0000${input.auctionId}\u0000${input.idempotencyKey}`;
    const flight = this.idempotencyInFlight.get(flightKey);
    if (flight) {
      const first = await flight.outcome;
      return flight.requestHash === requestHash ? asReplay(first) : { kind: 'idempotency_key_reused' };
    }
    // Registered synchronously, before any await: a concurrent twin finds it above.
    const outcome = this.placeIdempotentBid(input, requestHash);
    this.idempotencyInFlight.set(flightKey, { requestHash, outcome });
    try {
      return await outcome;
    } finally {
      this.idempotencyInFlight.delete(flightKey);
    }
  }

  private async placeIdempotentBid(input: PlaceBidInput, requestHash: string): Promise<BidOutcome> {
    const stored = await this.store.findIdempotencyRecord(input.bidderId, input.auctionId, input.idempotencyKey!);
    if (stored) {
      if (stored.requestHash !== requestHash) return { kind: 'idempotency_key_reused' };
      const body = JSON.parse(stored.response) as { bid: BidView; auction: AuctionView; leading?: boolean };
      return {
        kind: 'decided',
        statusCode: stored.statusCode as 201 | 409,
        bid: body.bid,
        auction: body.auction,
        leading: body.leading ?? body.bid.status === 'accepted',
        replayed: true,
        json: stored.response,
      };
    }
    return this.enqueueBid(input, requestHash);
  }

  private enqueueBid(input: PlaceBidInput, requestHash: string): Promise<BidOutcome> {
    if (!this.accepting) return Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down'));
    return new Promise<BidOutcome>((resolve, reject) => {
      this.queue.push({
        type: 'bid',
        ...input,
        bidId: newId(),
        proxyBidId: newId(),
        requestHash,
        enqueuedAt: performance.now(),
        resolve,
        reject,
      });
      this.scheduleDrain();
    });
  }

  /**
   * Does what the clock says is due on the auction: closes it once its end has
   * passed, or runs out a lapsed payment/offer window. Resolves true when this
   * call changed something. Idempotent.
   */
  tick(auctionId: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ type: 'tick', auctionId, resolve, reject });
      this.scheduleDrain();
    });
  }

  /** Closes the auction if its end has passed (a tick). */
  close(auctionId: string): Promise<boolean> {
    return this.tick(auctionId);
  }

  /** Buy-now, cancel, pay, accept or decline an offer: ordered with the bids on the same auction. */
  act(action: ActionKind, auctionId: string, userId: string): Promise<ActionOutcome> {
    if (!this.accepting) return Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down'));
    return new Promise<ActionOutcome>((resolve, reject) => {
      this.queue.push({ type: 'action', action, auctionId, userId, bidId: newId(), resolve, reject });
      this.scheduleDrain();
    });
  }

  /** Stop taking bids, then finish (commit and answer) everything already queued. */
  async stop(): Promise<void> {
    this.accepting = false;
    while (this.draining || this.queue.length > 0 || this.drainScheduled || this.inFlight.size > 0) {
      if (this.draining) await this.draining;
      else if (this.inFlight.size > 0) await Promise.all(this.inFlight);
      else await new Promise((r) => setImmediate(r));
    }
  }

  get cachedAuctions(): number {
    return this.cache.size;
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.draining) return;
    this.drainScheduled = true;
    // setImmediate runs after the I/O phase: every request parsed in this turn joins the batch.
    setImmediate(() => {
      this.drainScheduled = false;
      this.draining = this.drain().finally(() => {
        this.draining = null;
        if (this.queue.length > 0) this.scheduleDrain();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.inFlight.size >= this.maxInFlight) {
        await Promise.race(this.inFlight);
        continue;
      }
      const take = this.groupCommit ? this.maxBatch : 1;
      const batch = this.queue.length <= take ? this.queue : this.queue.slice(0, take);
      this.queue = this.queue.length <= take ? [] : this.queue.slice(take);
      let commit: Promise<void>;
      try {
        ({ commit } = await this.runBatch(batch));
      } catch (error) {
        this.failBatch(batch, error);
        continue;
      }
      const tracked: Promise<void> = commit
        .catch((error: unknown) => this.failBatch(batch, error))
        .finally(() => {
          this.inFlight.delete(tracked);
          if (this.queue.length > 0) this.scheduleDrain();
        });
      this.inFlight.add(tracked);
    }
  }

  private failBatch(batch: EngineCommand[], error: unknown): void {
    const err = toError(error);
    this.logger.error({ err, size: batch.length }, 'batch commit failed');
    // Forget every copy of these auctions that is not known durable: the next batch reloads from the store.
    for (const command of batch) {
      this.decided.delete(command.auctionId);
      this.cache.delete(command.auctionId);
    }
    const answer =
      err instanceof AppError ? err : new AppError('SERVICE_UNAVAILABLE', 'Storage did not accept the write');
    for (const command of batch) command.reject(answer);
  }

  /**
   * Decides a batch (applies every command to the latest decided state) and
   * starts its durable commit; resolves (wrapped, so that it is not awaited
   * here) with the commit's promise, which answers the callers and publishes
   * once the transaction is on disk.
   */
  private async runBatch(commands: EngineCommand[]): Promise<{ commit: Promise<void> }> {
    const working = await this.loadWorkingSet(commands);
    const candidates = await this.loadCandidates(commands, working);
    const bids: BidRecord[] = [];
    const events: StoredEvent[] = [];
    const idempotency: IdempotencyRecord[] = [];
    const answers: (() => void)[] = [];
    const outcomes: string[] = [];
    const closedResults: string[] = [];
    const notes: (Notification & { at: number })[] = [];
    const notice = (before: Auction, after: Auction, actorId: string | null, at: number) => {
      for (const n of notificationsFor(before, after, actorId)) notes.push({ ...n, at });
    };

    for (const command of commands) {
      const entry = working.get(command.auctionId);
      if (!entry) {
        answers.push(() => {
          if (command.type === 'bid') command.resolve({ kind: 'auction_not_found' });
          else if (command.type === 'action') command.resolve({ kind: 'auction_not_found' });
          else command.resolve(false);
        });
        continue;
      }
      const now = this.clock.now();

      if (command.type === 'tick') {
        const wasActive = entry.state.lifecycle === 'active';
        let next = closeIfDue(entry.state, now).auction;
        if (next === entry.state)
          next = expireSettlement(entry.state, now, candidates.get(command.auctionId) ?? []).auction;
        const changed = next !== entry.state;
        if (changed) {
          notice(entry.state, next, null, now);
          entry.state = next;
          if (wasActive) closedResults.push(next.outcome!.result);
          events.push(
            this.event(next, wasActive ? 'closed' : 'settlement', now, { auction: auctionView(next, now, null) }),
          );
        }
        answers.push(() => command.resolve(changed));
        continue;
      }

      if (command.type === 'action') {
        const result = this.applyAction(
          command.action,
          entry.state,
          command,
          now,
          candidates.get(command.auctionId) ?? [],
        );
        if (result.ok) {
          notice(entry.state, result.auction, command.userId, now);
          entry.state = result.auction;
          if (result.bid) bids.push(result.bid);
          const bid = result.bid ? bidView(result.bid, null) : null;
          const data = bid
            ? { auction: auctionView(result.auction, now, null), bid }
            : { auction: auctionView(result.auction, now, null) };
          events.push(this.event(result.auction, result.event, now, data));
          if (result.event === 'closed') closedResults.push(result.auction.outcome!.result);
          const view = auctionView(result.auction, now, command.userId);
          answers.push(() => command.resolve({ kind: 'done', auction: view, bid }));
        } else {
          const view = auctionView(entry.state, now, command.userId);
          answers.push(() => command.resolve({ kind: 'refused', code: result.code, auction: view }));
        }
        continue;
      }

      const decision = placeBid(
        entry.state,
        { id: command.bidId, bidderId: command.bidderId, amount: command.amount, proxyBidId: command.proxyBidId },
        now,
      );
      const proxy = entry.state.proxyBidding;
      if (decision.accepted) notice(entry.state, decision.auction, command.bidderId, now);
      entry.state = decision.auction;
      let own: BidRecord;
      let openAnswer: { bid: BidView; auction: AuctionView } | null = null;
      if (decision.accepted) {
        for (const step of decision.steps) {
          const record: BidRecord = {
            id: step.bidId,
            auctionId: command.auctionId,
            bidderId: step.bidderId,
            amount: step.amount,
            kind: step.kind,
            maxAmount: step.bidId === command.bidId && proxy ? command.amount : null,
            status: 'accepted',
            reason: null,
            createdAt: now,
            auctionVersion: step.auction.version,
          };
          bids.push(record);
          // Events carry the public views: no maximum, no reserve.
          const publicBid = bidView(record, null);
          const publicAuction = auctionView(step.auction, now, null);
          if (!proxy) openAnswer = { bid: publicBid, auction: publicAuction };
          const data = JSON.stringify({ bid: publicBid, auction: publicAuction });
          events.push({
            auctionId: command.auctionId,
            version: step.auction.version,
            type: 'bid',
            data,
            createdAt: now,
          });
        }
        own = bids.find((b) => b.id === command.bidId)!;
        if (decision.extended) this.announceDueTime(decision.auction.endDate);
      } else {
        own = {
          id: command.bidId,
          auctionId: command.auctionId,
          bidderId: command.bidderId,
          amount: command.amount,
          kind: 'bid',
          // On a proxy auction the amount is a maximum: kept private (out of the public history).
          maxAmount: proxy ? command.amount : null,
          status: 'rejected',
          reason: decision.reason,
          createdAt: now,
          auctionVersion: decision.auction.version,
        };
        bids.push(own);
      }
      // An accepted open bid's own view is the public one (the bidder is not the seller and has no maximum).
      const bid = openAnswer?.bid ?? bidView(own, command.bidderId);
      const auction = openAnswer?.auction ?? auctionView(decision.auction, now, command.bidderId);
      const leading = decision.accepted && decision.leading;
      // Open bidding: the answer is exactly the event already serialized (the bidder is never the seller here).
      const json =
        decision.accepted && !proxy
          ? events[events.length - 1]!.data
          : JSON.stringify(proxy ? { bid, auction, leading } : { bid, auction });
      const statusCode = decision.accepted ? 201 : 409;
      if (command.idempotencyKey !== null) {
        idempotency.push({
          bidderId: command.bidderId,
          auctionId: command.auctionId,
          key: command.idempotencyKey,
          requestHash: command.requestHash,
          statusCode,
          bidId: command.bidId,
          response: json,
          createdAt: now,
        });
      }
      outcomes.push(decision.accepted ? 'accepted' : decision.reason);
      const enqueuedAt = command.enqueuedAt;
      answers.push(() => {
        this.metrics.bidLatency.observe((performance.now() - enqueuedAt) / 1000);
        command.resolve({ kind: 'decided', statusCode, bid, auction, leading, replayed: false, json });
      });
    }

    const changed = [...working.values()].filter((e) => e.state.version !== e.before);
    const batch: CommitBatch = {
      bids,
      auctions: changed.map((e) => ({ before: e.before, after: e.state })),
      events,
      idempotency,
      notifications: mergeNotifications(notes).map((n) => ({
        userId: n.userId,
        type: n.type,
        data: JSON.stringify({
          type: n.type,
          ...n.data,
          deadline: n.data.deadline == null ? n.data.deadline : new Date(n.data.deadline).toISOString(),
        }),
        createdAt: n.at,
      })),
    };
    // Auctions this batch read but did not change: their version is checked too, so that a rejection judged
    // against a state that never became durable (its batch failed) cannot be stored.
    batch.unchanged = [...working.values()]
      .filter((e) => e.state.version === e.before)
      .map((e) => ({ auctionId: e.state.id, version: e.before }));
    for (const entry of changed) this.decided.set(entry.state.id, entry.state);
    const commit = this.commitAndAnswer(commands.length, batch, changed, this.lastCommit, {
      answers,
      events,
      outcomes,
      closedResults,
    });
    this.lastCommit = commit;
    return { commit };
  }

  private async commitAndAnswer(
    size: number,
    batch: CommitBatch,
    changed: { state: Auction }[],
    previous: Promise<void>,
    after: { answers: (() => void)[]; events: StoredEvent[]; outcomes: string[]; closedResults: string[] },
  ): Promise<void> {
    let notificationSeqs: number[] = [];
    // INVARIANT: an answer never rests on a state that is not durable. A batch that writes nothing (only
    // refusals, say) may have been judged against the previous batch's states: it waits for that commit,
    // and fails with it. Batches that write are ordered after it by the writer and guarded by versions.
    if (batch.bids.length === 0 && batch.auctions.length === 0) await previous;
    else {
      const started = performance.now();
      ({ notificationSeqs } = await this.store.commitBatch(batch));
      this.metrics.commitDuration.observe((performance.now() - started) / 1000);
      this.metrics.commitBatchSize.observe(size);
    }

    // Durable from here on: install the new states, answer, publish.
    for (const { state } of changed) {
      this.cache.set(state.id, state);
      if (this.decided.get(state.id) === state) this.decided.delete(state.id);
    }
    for (const outcome of after.outcomes) this.metrics.bids.inc({ outcome });
    for (const result of after.closedResults) this.metrics.closed.inc({ result });
    for (const answer of after.answers) answer();
    for (const event of after.events) this.bus.publish(event);
    batch.notifications.forEach((n, i) => this.bus.publishToUser({ ...n, seq: notificationSeqs[i]! }));
    for (const { state } of changed) {
      const due = dueAt(state);
      if (due !== null && state.lifecycle !== 'active') this.announceDueTime(due);
    }
  }

  private applyAction(
    action: ActionKind,
    state: Auction,
    command: { userId: string; bidId: string; auctionId: string },
    now: number,
    candidates: Candidate[],
  ):
    | { ok: true; auction: Auction; event: StoredEvent['type']; bid: BidRecord | null }
    | { ok: false; code: Exclude<ActionOutcome, { kind: 'done' } | { kind: 'auction_not_found' }>['code'] } {
    switch (action) {
      case 'buy_now': {
        const d = buyNow(state, { bidId: command.bidId, buyerId: command.userId }, now);
        if (!d.bought) return { ok: false, code: d.reason === 'SELF_BIDDING' ? 'SELF_BIDDING' : 'BUY_NOW_UNAVAILABLE' };
        const bid: BidRecord = {
          id: command.bidId,
          auctionId: command.auctionId,
          bidderId: command.userId,
          amount: d.auction.currentPrice!,
          kind: 'buy_now',
          maxAmount: null,
          status: 'accepted',
          reason: null,
          createdAt: now,
          auctionVersion: d.auction.version,
        };
        return { ok: true, auction: d.auction, event: 'closed', bid };
      }
      case 'cancel': {
        const d = cancelAuction(state, command.userId, now);
        return d.cancelled
          ? { ok: true, auction: d.auction, event: 'cancelled', bid: null }
          : { ok: false, code: d.reason };
      }
      case 'pay':
      case 'accept_offer':
      case 'decline_offer': {
        const d =
          action === 'pay'
            ? pay(state, command.userId, now)
            : action === 'accept_offer'
              ? acceptOffer(state, command.userId, now)
              : declineOffer(state, command.userId, now, candidates);
        if (d.changed) return { ok: true, auction: d.auction, event: 'settlement', bid: null };
        return { ok: false, code: d.reason ?? 'PAYMENT_NOT_DUE' };
      }
    }
  }

  /** Second-chance candidates, read only for the commands that may pass the item down the list. */
  private async loadCandidates(commands: EngineCommand[], working: Map<string, { state: Auction }>) {
    const ids = new Set<string>();
    for (const c of commands) {
      const needs = c.type === 'tick' || (c.type === 'action' && c.action === 'decline_offer');
      if (needs && working.get(c.auctionId)?.state.settlement) ids.add(c.auctionId);
    }
    const candidates = new Map<string, Candidate[]>();
    for (const id of ids) candidates.set(id, await this.store.settlementCandidates(id));
    return candidates;
  }

  private async loadWorkingSet(commands: EngineCommand[]) {
    const working = new Map<string, { before: number; state: Auction }>();
    const missing: string[] = [];
    for (const command of commands) {
      if (working.has(command.auctionId)) continue;
      const cached = this.decided.get(command.auctionId) ?? this.cache.get(command.auctionId);
      if (cached) working.set(command.auctionId, { before: cached.version, state: cached });
      else missing.push(command.auctionId);
    }
    if (missing.length > 0) {
      const loaded = await this.store.loadAuctions([...new Set(missing)]);
      for (const [id, state] of loaded) working.set(id, { before: state.version, state });
    }
    return working;
  }

  private event(auction: Auction, type: StoredEvent['type'], now: number, data: object): StoredEvent {
    return { auctionId: auction.id, version: auction.version, type, data: JSON.stringify(data), createdAt: now };
  }

  private announceDueTime(endDate: number): void {
    for (const listener of this.dueTimeListeners) {
      try {
        listener(endDate);
      } catch (error) {
        this.logger.error({ err: error }, 'due-time listener failed');
      }
    }
  }
}

/**
 * Under load one batch can outbid the same user, or tell the same seller of a
 * bid, many times over on one auction: those notices are states, not
 * history, so only the last of each (user, auction, type) is kept. Settlement
 * notices (won, offer_received, …) are never merged.
 */
function mergeNotifications<T extends Notification>(notes: T[]): T[] {
  const mergeable = new Set(['outbid', 'leading', 'bid_received']);
  const lastIndex = new Map<string, number>();
  notes.forEach((n, i) => {
    if (mergeable.has(n.type)) lastIndex.set(`${n.userId}\u0000${n.data.auctionId}\u0000${n.type}`, i);
  });
  return notes.filter(
    (n, i) => !mergeable.has(n.type) || lastIndex.get(`${n.userId}\u0000${n.data.auctionId}\u0000${n.type}`) === i,
  );
}

function asReplay(outcome: BidOutcome): BidOutcome {
  return outcome.kind === 'decided' ? { ...outcome, replayed: true } : outcome;
}
