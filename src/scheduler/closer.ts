import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Sequencer } from '../engine/index.ts';
import { toError } from '../error-catalogue.ts';
import type { Store } from '../store/index.ts';

/** Delay before another round when something due was left over by the last one. */
const RETRY_DUE_MS = 50;

export interface CloserOptions {
  store: Store;
  sequencer: Sequencer;
  clock: Clock;
  logger: Logger;
  /** Due auctions (and due ending-soon moments) fetched per round. Default 500. */
  batchSize?: number;
  /**
   * ending_soon notifications written per transaction when a moment is handed out; an auction with more
   * watchers and bidders gets them over several transactions (short ones: the SQLite writer also commits
   * the bids). Default 1,000.
   */
  endingSoonPerTransaction?: number;
  /**
   * Longest the timer sleeps before looking at the index again, in ms.
   * Default 60,000 on one node: a safety net against clock steps; correctness
   * never depends on it because the bid path refuses late bids by itself.
   * 1,000 when other nodes write the same store (see the constructor).
   */
  maxSleepMs?: number;
}

/**
 * Closes auctions at their end, and runs out payment and second-chance offer
 * windows, from the store's due-time index: one timer, armed for the earliest
 * due time (an active auction's `endDate`, a pending settlement's deadline). When it fires, everything due is
 * closed through the sequencer (so a close is ordered with the bids around it)
 * and the timer is re-armed. Creations and extensions that end earlier than
 * the armed time re-arm it. Costs one indexed read per wake-up, never a scan,
 * whether ten auctions are open or ten million.
 *
 * The same timer hands out the watchlist's ending_soon notices: it wakes for the earlier of the due-time
 * index and the ending-soon index (each auction's moment 15 minutes before its end), and each round, after
 * closing, delivers the due moments (Sequencer.deliverEndingSoon: one transaction per batch, exactly once).
 */
export class Closer {
  private readonly store: Store;
  private readonly sequencer: Sequencer;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly endingSoonPerTransaction: number;
  private readonly maxSleepMs: number;
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;

  constructor(options: CloserOptions) {
    this.store = options.store;
    this.sequencer = options.sequencer;
    this.clock = options.clock;
    this.logger = options.logger;
    this.batchSize = options.batchSize ?? 500;
    this.endingSoonPerTransaction = options.endingSoonPerTransaction ?? 1_000;
    // With other nodes, auctions are created and extended where this closer hears nothing of it; it looks
    // at the index every second so that an auction is closed on time even when its own node is gone.
    this.maxSleepMs = options.maxSleepMs ?? (options.store.concurrentWriters ? 1_000 : 60_000);
  }

  /** Closes everything overdue (auctions that ended while the server was down), then arms the timer. */
  /**
   * Subscribes to due-time hints and starts the first round, without waiting for it: a node that was down
   * while many auctions ended has a backlog of closes (50,000 took 6 s), which must not hold start-up
   * (fastify fails a start whose onReady takes 10 s). Meanwhile the rules refuse bids at or after an
   * auction's end, and reads derive the status from the clock.
   */
  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe = this.sequencer.onDueTime((endDate) => this.hint(endDate));
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.clearTimer();
    if (this.running) await this.running;
  }

  /** An auction now ends at `endDate`: wake earlier if that is before the armed time. */
  hint(endDate: number): void {
    if (this.stopped || endDate >= this.armedFor) return;
    this.arm(endDate);
  }

  /** Runs one closing round now (also what the timer calls). Concurrent calls coalesce. */
  tick(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.closeDue()
      .catch((error) => {
        this.logger.error({ err: toError(error) }, 'closing round failed; retrying in 1s');
        if (!this.stopped) this.arm(this.clock.now() + 1000);
      })
      .finally(() => {
        this.running = null;
        if (this.rerun && !this.stopped) {
          this.rerun = false;
          void this.tick();
        }
      });
    return this.running;
  }

  private async closeDue(): Promise<void> {
    this.clearTimer();
    for (;;) {
      if (this.stopped) return;
      const now = this.clock.now();
      const due = await this.store.dueAuctionIds(now, this.batchSize);
      if (due.length === 0) break;
      const results = await Promise.all(due.map((id) => this.sequencer.tick(id)));
      const changed = results.filter(Boolean).length;
      if (changed > 0) this.logger.debug({ changed }, 'ran due closes and settlement deadlines');
      // A full page that changed nothing would come back identical: stop rather than spin.
      if (due.length < this.batchSize || changed === 0) break;
    }
    await this.deliverEndingSoon();
    const [nextDue, nextEndingSoon] = await Promise.all([this.store.nextDueTime(), this.store.nextEndingSoonTime()]);
    const next =
      nextDue === null ? nextEndingSoon : nextEndingSoon === null ? nextDue : Math.min(nextDue, nextEndingSoon);
    // Still due after the round: left out because another node holds it (or a tick failed). Look again
    // soon, not at once, so that a busy row never makes this loop spin.
    if (next !== null && !this.stopped) this.arm(Math.max(next, this.clock.now() + RETRY_DUE_MS));
  }

  /** Hands out every due ending-soon moment (watchers' and bidders' ending_soon), as long as that gets anywhere. */
  private async deliverEndingSoon(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const { due, progress } = await this.sequencer.deliverEndingSoon(this.batchSize, this.endingSoonPerTransaction);
      if (due > 0 && progress) this.logger.debug({ due }, 'handed out ending-soon moments');
      // Nothing due, or nothing this node could take (another node holds them): the re-arm below looks again.
      if (due === 0 || !progress) break;
    }
  }

  private arm(at: number): void {
    this.clearTimer();
    this.armedFor = at;
    const delay = Math.min(Math.max(0, at - this.clock.now()), this.maxSleepMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = Infinity;
      void this.tick();
    }, delay);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Infinity;
  }
}
