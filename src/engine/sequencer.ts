import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { type Bus, auctionTopic, userTopic } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import { type Auction, type AuctionView, type BidView, type Candidate, dueAt, endingSoonAt } from '../domain/index.ts';
import { AppError, toError } from '../error-catalogue.ts';
import { newId } from '../ids.ts';
import type { Metrics } from '../metrics.ts';
import {
  type CommitBatch,
  type CommitResult,
  IdempotencyKeyConflictError,
  type IdempotencyRecord,
  type Store,
  StoreUnavailableError,
  VersionConflictError,
} from '../store/index.ts';
import type { ActionKind, ActionOutcome, ActionPayload, BidOutcome, EngineCommand, PlaceBidInput } from './commands.ts';
import { type BatchDecision, auctionsNeedingCandidates, commitBatchOf, decideBatch } from './decide-batch.ts';
import { endingSoonNotice } from './ending-soon.ts';
import { LruCache } from './lru-cache.ts';

/**
 * A command re-decided this many times after conflicts is answered 503 instead. Conflicts come from other
 * nodes committing to the same auction first; with jittered backoff between attempts, 20 makes a 503 from
 * contention alone vanishingly rare (each attempt loses only to a commit that did happen).
 */
const MAX_ATTEMPTS = 20;

/** Wait before the n-th re-decision: none the first time, then full jitter up to 5·2^n ms, at most 100 ms. */
function retryDelayMs(attempts: number): number {
  return attempts <= 1 ? 0 : Math.random() * Math.min(100, 5 * 2 ** attempts);
}

/** Merges two queues that are each in arrival order (`seq`) into one. */
function mergeBySeq(a: EngineCommand[], b: EngineCommand[]): EngineCommand[] {
  const out: EngineCommand[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.seq <= b[j]!.seq ? a[i++]! : b[j++]!);
  return out.concat(a.slice(i), b.slice(j));
}

export interface SequencerOptions {
  store: Store;
  bus: Bus;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /**
   * Commit every command that queued while the previous commit ran in one
   * durable transaction, and likewise every new auction. Default true. `false`
   * commits one command, or one new auction, per transaction: only for the
   * benchmarks' baselines.
   */
  groupCommit?: boolean;
  /** Auctions whose state is kept in memory. Default 100,000. */
  cacheSize?: number;
  /** Upper bound on commands (or new auctions) in one transaction, to bound latency and memory. Default 4,096. */
  maxBatch?: number;
  /**
   * Batches whose commits may be in flight at once (group commit only). Default 2 when other writers share
   * the store (PostgreSQL: the next batch waits for its row locks while the previous one commits); 1 for the
   * only writer (SQLite), whose one writer thread commits strictly one batch after another: a second batch
   * posted behind a running commit only splits what would have been one batch in two. Measured on SQLite at
   * 1,500 bids/s: depth 2 made ~1.6× the commits (fsyncs) and kept the writer ~35 % busier for the same
   * bids; at the peak the two depths were within the noise.
   */
  pipelineDepth?: number;
}

type IdempotencyFlight = { requestHash: string; outcome: Promise<BidOutcome> };

/** A new auction waiting for its commit, and its caller. */
type PendingCreate = { auction: Auction; resolve: () => void; reject: (error: Error) => void };

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
  /** Arrival order of commands: a re-decided batch goes back to the queue in its place, not at the end. */
  private nextSeq = 0;
  /**
   * States decided by a batch whose commit is still in flight. The next batch
   * is decided on top of them (pipelining), but nobody reads them: reads and
   * snapshots see only the cache, which holds durable states.
   */
  private readonly decided = new Map<string, Auction>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Commands waiting out a backoff before they are decided again. */
  private readonly retrying = new Set<Promise<void>>();
  /** The commit of the batch decided last: a later batch's answers may depend on it. */
  private lastCommit: Promise<void> = Promise.resolve();
  private readonly maxInFlight: number;
  private drainScheduled = false;
  private draining: Promise<void> | null = null;
  private accepting = true;
  private readonly dueTimeListeners = new Set<(endDate: number) => void>();
  /** New auctions waiting for the next create commit (see createAuction). */
  private creates: PendingCreate[] = [];
  /** The drain of `creates` while it runs (one create commit in flight at a time), else null. */
  private creating: Promise<void> | null = null;
  /** Creates committed one per transaction (group commit off), tracked so that stop() waits for them. */
  private readonly soloCreates = new Set<Promise<void>>();

  constructor(options: SequencerOptions) {
    this.store = options.store;
    this.bus = options.bus;
    this.clock = options.clock;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.groupCommit = options.groupCommit ?? true;
    this.maxBatch = options.maxBatch ?? 4096;
    // Pipelining is safe both ways: an only writer decides batch n+1 on top of n's decided states (and the
    // store commits them in order); with concurrent writers n+1 is decided under its locks, after n commits.
    const defaultDepth = options.store.concurrentWriters ? 2 : 1;
    this.maxInFlight = this.groupCommit ? (options.pipelineDepth ?? defaultDepth) : 1;
    this.cache = new LruCache(options.cacheSize ?? 100_000);
  }

  /** The closer subscribes here to re-arm when an auction's end moves earlier than its timer. */
  onDueTime(listener: (endDate: number) => void): () => void {
    this.dueTimeListeners.add(listener);
    return () => this.dueTimeListeners.delete(listener);
  }

  /**
   * Stores a new auction. Resolves once it is durable; it is then cached and the closer hears its end.
   *
   * Group commit, as for bids: creates that arrive while a create commit runs (and all those that arrive in
   * the same event-loop turn) queue up and are written together by the next `store.insertAuctions`, at most
   * `maxBatch` per transaction. One create commit is in flight at a time: a create decides nothing, so
   * there is nothing to pipeline, and the next batch grows while the disk works (measured on SQLite: two in
   * flight made no difference). Creates commit apart from bid batches: no command can name a new auction
   * before its creator has been answered.
   *
   * With `groupCommit: false` each create is its own transaction, started at once, as before group commit
   * of creates existed (the benchmark's baseline).
   */
  createAuction(auction: Auction): Promise<void> {
    if (!this.accepting) return Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down'));
    return new Promise<void>((resolve, reject) => {
      const create: PendingCreate = { auction, resolve, reject };
      if (this.groupCommit) {
        this.creates.push(create);
        this.scheduleCreates();
        return;
      }
      const commit = this.commitCreates([create]);
      this.soloCreates.add(commit);
      void commit.finally(() => this.soloCreates.delete(commit));
    });
  }

  /**
   * The auction's latest committed state (strongly consistent: on a single writer the cache is updated at
   * commit; with concurrent writers the store is read).
   */
  async getAuction(id: string): Promise<Auction | null> {
    if (this.store.concurrentWriters) {
      // Other nodes commit too: this node's copy may be behind, so a read goes to the store (a read that
      // starts after any node acknowledged a change must show it). The copy is refreshed on the way.
      const stored = (await this.store.loadAuctions([id])).get(id) ?? null;
      const known = this.cache.get(id);
      if (stored && (!known || known.version < stored.version)) this.cache.set(id, stored);
      return stored;
    }
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
    if (stored) return replayOf(stored, requestHash);
    return this.enqueueBid(input, requestHash);
  }

  private enqueueBid(input: PlaceBidInput, requestHash: string): Promise<BidOutcome> {
    if (!this.accepting) return Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down'));
    return new Promise<BidOutcome>((resolve, reject) => {
      this.queue.push({
        seq: this.nextSeq++,
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
      this.queue.push({ seq: this.nextSeq++, type: 'tick', auctionId, resolve, reject });
      this.scheduleDrain();
    });
  }

  /** Closes the auction if its end has passed (a tick). */
  close(auctionId: string): Promise<boolean> {
    return this.tick(auctionId);
  }

  /**
   * Hands out the ending_soon notices whose moment is due (the closer calls it in each round): reads up to
   * `limit` due moments, renders each auction's notice from its latest known state, lets the store deliver
   * them (one transaction, exactly once: Store.deliverEndingSoon) and publishes what it wrote. Resolves with
   * how many moments were due and whether the call got anywhere (a moment another node holds is skipped).
   */
  async deliverEndingSoon(limit: number, recipientsPerCall: number): Promise<{ due: number; progress: boolean }> {
    const now = this.clock.now();
    const due = await this.store.dueEndingSoon(now, limit);
    if (due.length === 0) return { due: 0, progress: false };
    const notices = due.map((stored) => {
      const known = this.cache.get(stored.id);
      const state = known && known.version > stored.version ? known : stored;
      return { auctionId: state.id, data: endingSoonNotice(state, now) };
    });
    const delivery = await this.store.deliverEndingSoon(now, notices, recipientsPerCall);
    try {
      for (const notice of delivery.notifications) this.bus.publish(userTopic(notice.userId), notice);
    } catch (error) {
      this.logger.error({ err: toError(error) }, 'publishing ending_soon failed; subscribers will catch up');
    }
    return { due: due.length, progress: delivery.notifications.length > 0 || delivery.settled > 0 };
  }

  /**
   * Buy-now, cancel, pay, accept or decline an offer, set the live video, edit the listing: ordered with the
   * bids on the same auction.
   */
  act(action: ActionKind, auctionId: string, userId: string, payload: ActionPayload = {}): Promise<ActionOutcome> {
    if (!this.accepting) return Promise.reject(new AppError('SERVICE_UNAVAILABLE', 'The server is shutting down'));
    return new Promise<ActionOutcome>((resolve, reject) => {
      this.queue.push({
        seq: this.nextSeq++,
        type: 'action',
        action,
        auctionId,
        userId,
        bidId: newId(),
        ...payload,
        resolve,
        reject,
      });
      this.scheduleDrain();
    });
  }

  /** Stop taking bids, actions and creates, then finish (commit and answer) everything already queued. */
  async stop(): Promise<void> {
    this.accepting = false;
    while (
      this.draining ||
      this.queue.length > 0 ||
      this.drainScheduled ||
      this.inFlight.size > 0 ||
      this.retrying.size > 0 ||
      this.creating ||
      this.creates.length > 0 ||
      this.soloCreates.size > 0
    ) {
      if (this.draining) await this.draining;
      else if (this.creating) await this.creating;
      else if (this.soloCreates.size > 0) await Promise.all(this.soloCreates);
      else if (this.inFlight.size > 0) await Promise.all(this.inFlight);
      else if (this.retrying.size > 0) await Promise.all(this.retrying);
      else await new Promise((r) => setImmediate(r));
    }
  }

  get cachedAuctions(): number {
    return this.cache.size;
  }

  private scheduleCreates(): void {
    if (this.creating) return;
    // setImmediate, as for bids: every create that reaches the sequencer in this turn joins the first batch.
    this.creating = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drainCreates())
      .finally(() => {
        this.creating = null;
        if (this.creates.length > 0) this.scheduleCreates();
      });
  }

  /** Commits queued creates, a batch at a time, until none is left (those that came meanwhile included). */
  private async drainCreates(): Promise<void> {
    while (this.creates.length > 0) await this.commitCreates(this.creates.splice(0, this.maxBatch));
  }

  /**
   * Commits new auctions in one transaction, then caches them, answers their callers and tells the closer.
   * Never rejects: every caller gets its own outcome.
   *
   * A batch that fails wrote nothing (insertAuctions is all or nothing). When the store cannot take writes
   * (StoreUnavailableError) every create would fail alike: all are answered with that error. Any other
   * failure is one row's (an id stored already, a seller that does not exist) but fails everyone in the
   * transaction, and those are other sellers' requests: the batch is split in halves and each half is
   * committed again, down to the bad create alone, which alone gets the error. Halving rather than one
   * transaction per create: a bad create among n costs about 2·log2(n) commits (24 for 4,096) instead of n.
   */
  private async commitCreates(batch: PendingCreate[]): Promise<void> {
    const started = performance.now();
    try {
      await this.store.insertAuctions(batch.map((c) => c.auction));
    } catch (error) {
      const err = toError(error);
      if (batch.length === 1 || err instanceof StoreUnavailableError) {
        if (batch.length > 1) this.logger.error({ err, size: batch.length }, 'create commit failed');
        for (const create of batch) create.reject(err);
        return;
      }
      this.logger.warn({ err, size: batch.length }, 'create commit failed; committing each half again');
      const half = Math.ceil(batch.length / 2);
      await this.commitCreates(batch.slice(0, half));
      await this.commitCreates(batch.slice(half));
      return;
    }
    this.metrics.createCommitDuration.observe((performance.now() - started) / 1000);
    this.metrics.createCommitBatchSize.observe(batch.length);
    let earliestEnd = Infinity;
    for (const { auction } of batch) {
      this.cache.set(auction.id, auction);
      // Its ending-soon moment comes first (at the latest at its end): the closer wakes for that too.
      earliestEnd = Math.min(earliestEnd, endingSoonAt(auction));
    }
    for (const create of batch) create.resolve();
    // One hint for the whole batch: the closer only re-arms for a time earlier than its timer.
    this.announceDueTime(earliestEnd);
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

  /**
   * A batch that did not commit. A version conflict (another writer committed to one of its auctions
   * first, or an earlier batch it was decided on top of failed) is not the callers' problem: their
   * commands go back to the front of the queue, in arrival order, and are decided again on states
   * reloaded from the store. Anything else, or too many conflicts, is answered 503: nothing was stored.
   */
  private failBatch(batch: EngineCommand[], error: unknown): void {
    const err = toError(error);
    // Forget every copy of these auctions that is not known durable: the next batch reloads from the store.
    for (const command of batch) {
      this.decided.delete(command.auctionId);
      this.cache.delete(command.auctionId);
    }
    const retry = (err instanceof VersionConflictError || err instanceof IdempotencyKeyConflictError) && this.accepting;
    const again: EngineCommand[] = [];
    for (const command of batch) {
      command.attempts = (command.attempts ?? 0) + 1;
      if (!retry || command.attempts >= MAX_ATTEMPTS) continue;
      if (command.type === 'bid' && err instanceof IdempotencyKeyConflictError && conflicts(err, command)) {
        // Its key was stored by a request that committed first (another node): it gets that stored answer.
        this.answerFromStoredKey(command);
        continue;
      }
      again.push(command);
    }
    if (again.length > 0) {
      this.logger.debug({ auctionId: (err as VersionConflictError).auctionId, size: again.length }, 'batch re-decided');
      this.metrics.batchRetries.inc();
      // Nodes that keep colliding on one auction are desynchronised by a random wait (tracked: stop() waits).
      const requeued = new Promise<void>((resolve) =>
        setTimeout(
          () => {
            this.queue = mergeBySeq(again, this.queue);
            this.scheduleDrain();
            resolve();
          },
          retryDelayMs(Math.max(...again.map((c) => c.attempts!))),
        ),
      );
      this.retrying.add(requeued);
      void requeued.finally(() => this.retrying.delete(requeued));
    }
    if (retry && batch.every((c) => c.attempts! < MAX_ATTEMPTS)) return;
    this.logger.error({ err, size: batch.length - again.length }, 'batch commit failed');
    const answer =
      err instanceof AppError || err instanceof StoreUnavailableError
        ? err
        : new AppError('SERVICE_UNAVAILABLE', 'Storage did not accept the write');
    for (const command of batch) if (!retry || command.attempts! >= MAX_ATTEMPTS) command.reject(answer);
  }

  /** Answers a keyed bid with the answer stored under its key (or decides it again if there is none). */
  private answerFromStoredKey(command: Extract<EngineCommand, { type: 'bid' }>): void {
    this.store
      .findIdempotencyRecord(command.bidderId, command.auctionId, command.idempotencyKey!)
      .then((stored) => {
        if (stored === null) {
          this.queue = mergeBySeq([command], this.queue);
          this.scheduleDrain();
        } else command.resolve(replayOf(stored, command.requestHash));
      })
      .catch((error: unknown) => command.reject(toError(error)));
  }

  /**
   * Decides a batch (applies every command to the latest decided state) and
   * starts its durable commit; resolves (wrapped, so that it is not awaited
   * here) with the commit's promise, which answers the callers and publishes
   * once the transaction is on disk.
   */
  private async runBatch(commands: EngineCommand[]): Promise<{ commit: Promise<void> }> {
    if (this.store.concurrentWriters) return { commit: this.transactAndAnswer(commands) };
    const working = await this.loadWorkingSet(commands);
    const candidates = new Map<string, Candidate[]>();
    for (const id of auctionsNeedingCandidates(commands, working))
      candidates.set(id, await this.store.settlementCandidates(id));
    const decision = decideBatch(commands, working, this.clock.now(), candidates);
    const batch = commitBatchOf(decision);
    const changed = batch.auctions.map((a) => a.after);
    for (const state of changed) this.decided.set(state.id, state);
    const commit = this.commitAndAnswer(commands, batch, decision, changed, this.lastCommit);
    this.lastCommit = commit;
    return { commit };
  }

  private async commitAndAnswer(
    commands: EngineCommand[],
    batch: CommitBatch,
    decision: BatchDecision,
    changed: Auction[],
    previous: Promise<void>,
  ): Promise<void> {
    let result: CommitResult = { notificationSeqs: [] };
    // INVARIANT: an answer never rests on a state that is not durable. A batch that writes nothing (only
    // refusals, say) may have been judged against the previous batch's states: it waits for that commit,
    // and fails with it. Batches that write are ordered after it by the writer and guarded by versions.
    if (batch.bids.length === 0 && batch.auctions.length === 0) await previous;
    else {
      const started = performance.now();
      result = await this.store.commitBatch(batch);
      this.metrics.commitDuration.observe((performance.now() - started) / 1000);
      this.metrics.commitBatchSize.observe(commands.length);
    }
    this.answerCommitted(commands, batch, decision, changed, result);
  }

  /**
   * The batch when other nodes write the same auctions: decided inside the store's transaction, on the
   * states read under the auctions' row locks, so it can never be decided on a stale copy (no version
   * conflict to retry; a retried transaction decides again). Refusals are judged under the locks too, so
   * they rest on a committed state.
   */
  private async transactAndAnswer(commands: EngineCommand[]): Promise<void> {
    let decision: BatchDecision | null = null;
    let batch: CommitBatch | null = null;
    const started = performance.now();
    const ids = [...new Set(commands.map((c) => c.auctionId))];
    const result = await this.store.transact(ids, async (locked, reads) => {
      const candidates = new Map<string, Candidate[]>();
      for (const id of auctionsNeedingCandidates(commands, locked))
        candidates.set(id, await reads.settlementCandidates(id));
      decision = decideBatch(commands, locked, this.clock.now(), candidates);
      batch = commitBatchOf(decision);
      return batch;
    });
    this.metrics.commitDuration.observe((performance.now() - started) / 1000);
    this.metrics.commitBatchSize.observe(commands.length);
    const decided = decision as BatchDecision | null;
    const written = batch as CommitBatch | null;
    if (decided === null || written === null) throw new Error('transact committed without deciding');
    this.answerCommitted(
      commands,
      written,
      decided,
      written.auctions.map((a) => a.after),
      result,
    );
  }

  /** Durable from here on: installs the new states, answers every command, publishes. */
  private answerCommitted(
    commands: EngineCommand[],
    batch: CommitBatch,
    decision: BatchDecision,
    changed: Auction[],
    result: CommitResult,
  ): void {
    for (const state of changed) {
      // Never over a newer copy (with other writers, a read may already have cached a later state).
      const known = this.cache.get(state.id);
      if (!known || known.version <= state.version) this.cache.set(state.id, state);
      if (this.decided.get(state.id) === state) this.decided.delete(state.id);
    }
    for (const outcome of decision.bidOutcomes) this.metrics.bids.inc({ outcome });
    for (const result of decision.closedResults) this.metrics.closed.inc({ result });
    const answeredAt = performance.now();
    commands.forEach((command, i) => {
      if (command.type === 'bid') this.metrics.bidLatency.observe((answeredAt - command.enqueuedAt) / 1000);
      (command.resolve as (value: unknown) => void)(decision.answers[i]);
    });
    this.publish(batch, result);
    // The closer re-arms if a due time (an end, a payment or offer deadline, an ending-soon moment that
    // moved) now comes before its timer.
    for (const state of changed) {
      const due = dueAt(state);
      if (due !== null) this.announceDueTime(due);
    }
    for (const moved of batch.endingSoonDue ?? []) this.announceDueTime(moved.dueAt);
  }

  /**
   * Publishes a committed batch's events and notifications. Guarded: the batch is durable and answered, so
   * a bus that throws is logged and never fails it (subscribers fill the gap from the store).
   */
  private publish(batch: CommitBatch, result: CommitResult): void {
    try {
      for (const event of batch.events) this.bus.publish(auctionTopic(event.auctionId), event);
      const seqs = result.notificationSeqs;
      batch.notifications.forEach((n, i) => this.bus.publish(userTopic(n.userId), { ...n, seq: seqs[i]! }));
      for (const notice of result.endingSoon ?? []) this.bus.publish(userTopic(notice.userId), notice);
    } catch (error) {
      this.logger.error({ err: toError(error) }, 'publishing a committed batch failed; subscribers will catch up');
    }
  }

  private async loadWorkingSet(commands: EngineCommand[]): Promise<Map<string, Auction>> {
    const working = new Map<string, Auction>();
    const missing: string[] = [];
    for (const command of commands) {
      if (working.has(command.auctionId)) continue;
      const cached = this.decided.get(command.auctionId) ?? this.cache.get(command.auctionId);
      if (cached) working.set(command.auctionId, cached);
      else missing.push(command.auctionId);
    }
    if (missing.length > 0) {
      const loaded = await this.store.loadAuctions([...new Set(missing)]);
      for (const [id, state] of loaded) working.set(id, state);
    }
    return working;
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

/** The stored first answer to a key, as the answer to a retry (or a refusal when the body differs). */
function replayOf(stored: IdempotencyRecord, requestHash: string): BidOutcome {
  if (stored.requestHash !== requestHash) return { kind: 'idempotency_key_reused' };
  const body = JSON.parse(stored.response) as { bid: BidView; auction: AuctionView; leading?: boolean };
  return {
    kind: 'decided',
    accepted: stored.accepted,
    bid: body.bid,
    auction: body.auction,
    leading: body.leading ?? body.bid.status === 'accepted',
    replayed: true,
    json: stored.response,
  };
}

/** Whether a key conflict concerns this command's key. */
function conflicts(error: IdempotencyKeyConflictError, command: Extract<EngineCommand, { type: 'bid' }>): boolean {
  return error.keys.some(
    (k) => k.bidderId === command.bidderId && k.auctionId === command.auctionId && k.key === command.idempotencyKey,
  );
}

function asReplay(outcome: BidOutcome): BidOutcome {
  return outcome.kind === 'decided' ? { ...outcome, replayed: true } : outcome;
}
