import { newId } from '../ids.ts';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Bus } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import { type Auction, type AuctionView, type BidView, auctionView, closeIfDue, placeBid } from '../domain/index.ts';
import { AppError, toError } from '../error-catalogue.ts';
import type { Metrics } from '../metrics.ts';
import type { BidRecord, CommitBatch, IdempotencyRecord, Store, StoredEvent } from '../store/index.ts';
import { VersionConflictError } from '../store/index.ts';
import type { BidOutcome, EngineCommand, PlaceBidInput } from './commands.ts';
import { LruCache } from './lru-cache.ts';

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
      const body = JSON.parse(stored.response) as { bid: BidView; auction: AuctionView };
      return {
        kind: 'decided',
        statusCode: stored.statusCode as 201 | 409,
        ...body,
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
        requestHash,
        enqueuedAt: performance.now(),
        resolve,
        reject,
      });
      this.scheduleDrain();
    });
  }

  /** Closes the auction if its end has passed. Resolves true when this call closed it. Idempotent. */
  close(auctionId: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ type: 'close', auctionId, resolve, reject });
      this.scheduleDrain();
    });
  }

  /** Stop taking bids, then finish (commit and answer) everything already queued. */
  async stop(): Promise<void> {
    this.accepting = false;
    while (this.draining || this.queue.length > 0 || this.drainScheduled) {
      if (this.draining) await this.draining;
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
      const take = this.groupCommit ? this.maxBatch : 1;
      const batch = this.queue.length <= take ? this.queue : this.queue.slice(0, take);
      this.queue = this.queue.length <= take ? [] : this.queue.slice(take);
      try {
        await this.runBatch(batch);
      } catch (error) {
        const err = toError(error);
        this.logger.error({ err, size: batch.length }, 'batch commit failed');
        const answer =
          err instanceof AppError ? err : new AppError('SERVICE_UNAVAILABLE', 'Storage did not accept the write');
        for (const command of batch) command.reject(answer);
      }
    }
  }

  private async runBatch(commands: EngineCommand[]): Promise<void> {
    const working = await this.loadWorkingSet(commands);
    const bids: BidRecord[] = [];
    const events: StoredEvent[] = [];
    const idempotency: IdempotencyRecord[] = [];
    const answers: (() => void)[] = [];
    const outcomes: string[] = [];
    const closedResults: string[] = [];

    for (const command of commands) {
      const entry = working.get(command.auctionId);
      if (!entry) {
        answers.push(() =>
          command.type === 'bid' ? command.resolve({ kind: 'auction_not_found' }) : command.resolve(false),
        );
        continue;
      }
      const now = this.clock.now();

      if (command.type === 'close') {
        const decision = closeIfDue(entry.state, now);
        if (decision.closed) {
          entry.state = decision.auction;
          closedResults.push(decision.auction.outcome!.result);
          events.push(
            this.event(decision.auction, 'closed', now, { auction: auctionView(decision.auction, now, null) }),
          );
        }
        answers.push(() => command.resolve(decision.closed));
        continue;
      }

      const decision = placeBid(
        entry.state,
        { id: command.bidId, bidderId: command.bidderId, amount: command.amount },
        now,
      );
      entry.state = decision.auction;
      const record: BidRecord = {
        id: command.bidId,
        auctionId: command.auctionId,
        bidderId: command.bidderId,
        amount: command.amount,
        status: decision.accepted ? 'accepted' : 'rejected',
        reason: decision.accepted ? null : decision.reason,
        createdAt: now,
        auctionVersion: decision.auction.version,
      };
      bids.push(record);
      const bid = bidView(record);
      const auction = auctionView(decision.auction, now, command.bidderId);
      const json = JSON.stringify({ bid, auction });
      if (decision.accepted) {
        // The bidder is never the seller here, so their view is the public one: the answer is the event.
        events.push({
          auctionId: command.auctionId,
          version: decision.auction.version,
          type: 'bid',
          data: json,
          createdAt: now,
        });
        if (decision.extended) this.announceDueTime(decision.auction.endDate);
      }
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
        command.resolve({ kind: 'decided', statusCode, bid, auction, replayed: false, json });
      });
    }

    const changed = [...working.values()].filter((e) => e.state.version !== e.before);
    const batch: CommitBatch = {
      bids,
      auctions: changed.map((e) => ({ before: e.before, after: e.state })),
      events,
      idempotency,
    };
    if (bids.length > 0 || batch.auctions.length > 0) {
      const started = performance.now();
      try {
        await this.store.commitBatch(batch);
      } catch (error) {
        // Another writer got there first (possible only with a multi-node store): drop our copies so the
        // next command reloads the stored state. The callers of this batch get 503 and retry with their key.
        if (error instanceof VersionConflictError) for (const id of working.keys()) this.cache.delete(id);
        throw error;
      }
      this.metrics.commitDuration.observe((performance.now() - started) / 1000);
      this.metrics.commitBatchSize.observe(commands.length);
    }

    // Durable from here on: install the new states, answer, publish.
    for (const entry of changed) this.cache.set(entry.state.id, entry.state);
    for (const outcome of outcomes) this.metrics.bids.inc({ outcome });
    for (const result of closedResults) this.metrics.closed.inc({ result });
    for (const answer of answers) answer();
    for (const event of events) this.bus.publish(event);
  }

  private async loadWorkingSet(commands: EngineCommand[]) {
    const working = new Map<string, { before: number; state: Auction }>();
    const missing: string[] = [];
    for (const command of commands) {
      if (working.has(command.auctionId)) continue;
      const cached = this.cache.get(command.auctionId);
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

function bidView(record: BidRecord): BidView {
  return { ...record, createdAt: new Date(record.createdAt).toISOString() };
}

function asReplay(outcome: BidOutcome): BidOutcome {
  return outcome.kind === 'decided' ? { ...outcome, replayed: true } : outcome;
}
