import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/index.ts';
import { PeriodicJob } from './periodic-job.ts';

export interface RetentionOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Where uploaded pictures live; without it, uploads are not swept. */
  uploadsDir?: string;
  /** Time between sweeps, ms. Default 10 minutes. */
  intervalMs?: number;
  /** Idempotency records are kept this long, ms. Default 24 hours (the contract's minimum). */
  idempotencyTtlMs?: number;
  /** An upload no auction took within this time is deleted, ms. Default 24 hours. */
  orphanUploadTtlMs?: number;
  /** The live room's chat is deleted this long after its auction ended, ms. Default 24 hours (the contract's). */
  chatTtlAfterEndMs?: number;
  /** Sent mails and settled webhook deliveries are kept this long (for their listings), ms. Default 30 days. */
  outboxTtlMs?: number;
}

const CHUNK = 1000;
const DAY = 24 * 3600_000;

/**
 * Deletes what the contract's retention rules say must not pile up: expired
 * sessions, idempotency records older than 24 hours, pictures uploaded but
 * never used by an auction, the chat of auctions that ended more than 24 hours ago, expired link tokens,
 * and sent mails and settled webhook deliveries after 30 days. Bids, accepted or rejected, are never deleted:
 * they are the audit trail. Runs at start-up and then every few minutes, in
 * small chunks so that the bid path's commits never wait behind a big delete.
 * Every node may run it at once: each step is an idempotent delete.
 */
export class Retention {
  private readonly options: Required<Omit<RetentionOptions, 'uploadsDir'>> & RetentionOptions;
  private readonly job: PeriodicJob;

  constructor(options: RetentionOptions) {
    this.options = {
      intervalMs: 10 * 60_000,
      idempotencyTtlMs: DAY,
      orphanUploadTtlMs: DAY,
      chatTtlAfterEndMs: DAY,
      outboxTtlMs: 30 * DAY,
      ...options,
    };
    this.job = new PeriodicJob('retention sweep', () => this.sweepOnce(), this.options.intervalMs, options.logger);
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One sweep; concurrent calls share it. Failures are logged and retried at the next sweep. */
  sweep(): Promise<void> {
    return this.job.run();
  }

  private async sweepOnce(): Promise<void> {
    const { store, clock, logger, uploadsDir } = this.options;
    const now = clock.now();
    let sessions = 0;
    let idempotencyKeys = 0;
    for (;;) {
      const done = await store.deleteExpired({
        now,
        idempotencyBefore: now - this.options.idempotencyTtlMs,
        limit: CHUNK,
      });
      sessions += done.sessions;
      idempotencyKeys += done.idempotencyKeys;
      if (done.sessions < CHUNK && done.idempotencyKeys < CHUNK) break;
    }
    let uploads = 0;
    if (uploadsDir !== undefined) {
      for (;;) {
        const names = await store.unattachedUploadsBefore(now - this.options.orphanUploadTtlMs, CHUNK);
        if (names.length === 0) break;
        // The file first, then its row: a crash in between leaves a row without a file, swept next time.
        await Promise.all(names.map((name) => unlink(join(uploadsDir, name)).catch(() => undefined)));
        await store.deleteUploads(names);
        uploads += names.length;
        if (names.length < CHUNK) break;
      }
    }
    let chatMessages = 0;
    for (;;) {
      const deleted = await store.deleteEndedChat(now - this.options.chatTtlAfterEndMs, CHUNK);
      chatMessages += deleted;
      if (deleted < CHUNK) break;
    }
    const outbox = { emailTokens: 0, mails: 0, webhookDeliveries: 0 };
    for (;;) {
      const done = await store.deleteSettledOutbox({
        now,
        settledBefore: now - this.options.outboxTtlMs,
        limit: CHUNK,
      });
      outbox.emailTokens += done.emailTokens;
      outbox.mails += done.mails;
      outbox.webhookDeliveries += done.webhookDeliveries;
      if (done.emailTokens < CHUNK && done.mails < CHUNK && done.webhookDeliveries < CHUNK) break;
    }
    if (
      sessions +
        idempotencyKeys +
        uploads +
        chatMessages +
        outbox.emailTokens +
        outbox.mails +
        outbox.webhookDeliveries >
      0
    )
      logger.info(
        { sessions, idempotencyKeys, uploads, chatMessages, ...outbox },
        'retention: deleted expired records',
      );
  }
}
