import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { toError } from '../error-catalogue.ts';
import type { NewMail, QaItemRecord, Store, WebhookEvent } from '../store/index.ts';
import { PeriodicJob } from '../scheduler/periodic-job.ts';
import { type PersonalDataOptions } from './personal-data.ts';
import { screenText } from './built-in-rules.ts';
import { ModerationUnavailableError, type Moderator } from './moderator.ts';

export interface ModerationQueueOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The external service (`GAVEL_MODERATION_URL`); null: the built-in rules decide alone. */
  moderator: Moderator | null;
  /** Failed attempts at the service after which an item is parked for a moderator. Default 3. */
  maxAttempts?: number;
  /** Wait after the first failure, ms; doubled after each further one, with jitter. Default 5,000. */
  retryBaseMs?: number;
  /** How often the queue is read for due items, ms. Default 1,000. */
  pollMs?: number;
  /** A taken item not finished within this time goes back to the queue (its taker died), ms. Default 30,000. */
  leaseMs?: number;
  /** Items taken per read. Default 20. */
  batchSize?: number;
  /** Called once an item is published (the live room announces questions). */
  onPublished?: (item: QaItemRecord) => void;
  /**
   * What a question's publication reports, written in the same transaction as the publication: the
   * `question.published` webhook event and the seller's `question` mail (each undefined: nothing to write).
   */
  publicationOf?: (item: QaItemRecord) => Promise<Publication>;
  personalData?: PersonalDataOptions;
}

/** What a question's publication reports (see ModerationQueueOptions.publicationOf). */
export interface Publication {
  webhook?: WebhookEvent;
  mail?: NewMail;
}

/** A question or answer as its author sent it, before any moderation. */
export type Submission = Pick<QaItemRecord, 'id' | 'kind' | 'auctionId' | 'questionId' | 'authorId' | 'text'>;

/**
 * Moderates questions and answers, and keeps the queue of those the external service has not judged yet.
 *
 * Every item goes through the built-in rules first (profanity: `rejected`; personal data: replaced). With
 * no external service, a clean item is `published`. With one, the item is stored `pending_review` and
 * queued BEFORE the service is asked, so that a crash at any point leaves it in the queue, never
 * lost and never published unchecked; then the service is asked once at once, so that most items are
 * decided before their author is answered. A failure (down, error, slow, nonsense) leaves the item queued:
 * the worker asks again after 5 s, 10 s, … (jittered), and after `maxAttempts` failures parks it for a
 * moderator (the dead letter). Any number of nodes may run the worker: items are taken with a lease.
 */
export class ModerationQueue {
  private readonly o: Required<
    Omit<ModerationQueueOptions, 'onPublished' | 'personalData' | 'moderator' | 'publicationOf'>
  > &
    ModerationQueueOptions;
  private readonly job: PeriodicJob;

  constructor(options: ModerationQueueOptions) {
    this.o = {
      maxAttempts: 3,
      retryBaseMs: 5_000,
      pollMs: 1_000,
      leaseMs: 30_000,
      batchSize: 20,
      ...options,
    };
    this.job = new PeriodicJob('moderation queue pass', () => this.drainOnce(), this.o.pollMs, options.logger);
  }

  /** Screens, stores and (when there is a service) asks it once. Resolves with the item as stored now. */
  async submit(submission: Submission): Promise<{ item: QaItemRecord; inserted: boolean }> {
    const now = this.o.clock.now();
    const screened = screenText(submission.text, this.o.personalData);
    const refused = screened.verdict === 'refused';
    const item: QaItemRecord = {
      ...submission,
      // Personal data replaced either way: a refused text is still shown to its author (and to the seller).
      text: screened.text,
      status: refused ? 'rejected' : this.o.moderator === null ? 'published' : 'pending_review',
      createdAt: now,
      attempts: 0,
      lastError: null,
      // Queued with a lease: the attempt below holds it; if this process dies first, any node's worker takes
      // the item once the lease runs out.
      nextAttemptAt: !refused && this.o.moderator !== null ? now + this.o.leaseMs : null,
      parked: false,
    };
    const p = item.status === 'published' ? await this.publicationOf(item) : {};
    if ((await this.o.store.insertQaItem(item, p.webhook, p.mail)) === 'already_answered')
      return { item, inserted: false };
    if (item.status === 'published') this.o.onPublished?.(item);
    if (item.status !== 'pending_review') return { item, inserted: true };
    return { item: await this.attempt(item), inserted: true };
  }

  /**
   * A moderator's decision on a queued or parked item: the item as settled, read once for the caller and
   * the announcement; null when it was decided already.
   */
  async decide(id: string, decision: 'approve' | 'reject'): Promise<QaItemRecord | null> {
    const status = decision === 'approve' ? 'published' : 'rejected';
    const before = status === 'published' ? await this.o.store.findQaItem(id) : null;
    const p = before ? await this.publicationOf(before) : {};
    if (!(await this.o.store.settleQaItem(id, status, p.webhook, p.mail))) return null;
    const item = await this.o.store.findQaItem(id);
    if (item && status === 'published') this.o.onPublished?.(item);
    return item;
  }

  /** Questions only: a published answer is neither a `question.published` event nor a mail. */
  private async publicationOf(item: QaItemRecord): Promise<Publication> {
    return item.kind === 'question' ? ((await this.o.publicationOf?.(item)) ?? {}) : {};
  }

  start(): void {
    if (this.o.moderator !== null) this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One pass over the due items; concurrent calls share it. Failures are logged; the next pass retries. */
  drain(): Promise<void> {
    return this.job.run();
  }

  private async drainOnce(): Promise<void> {
    while (!this.job.stopped) {
      const now = this.o.clock.now();
      const due = await this.o.store.claimQaModeration(now, now + this.o.leaseMs, this.o.batchSize);
      for (const item of due) await this.attempt(item);
      if (due.length < this.o.batchSize) return;
    }
  }

  /** Asks the service about one item and stores what came of it. Resolves with the item as stored now. */
  private async attempt(item: QaItemRecord): Promise<QaItemRecord> {
    const moderator = this.o.moderator!;
    try {
      const verdict = await moderator.review({ id: item.id, text: item.text });
      const status = verdict === 'allow' ? 'published' : 'rejected';
      const p = status === 'published' ? await this.publicationOf(item) : {};
      if (await this.o.store.settleQaItem(item.id, status, p.webhook, p.mail)) {
        const settled = { ...item, status, nextAttemptAt: null, parked: false } as const;
        if (status === 'published') this.o.onPublished?.(settled);
        return settled;
      }
      return (await this.o.store.findQaItem(item.id)) ?? item;
    } catch (error) {
      if (!(error instanceof ModerationUnavailableError))
        this.o.logger.error({ err: toError(error), id: item.id }, 'moderation attempt failed unexpectedly');
      const attempts = item.attempts + 1;
      const parked = attempts >= this.o.maxAttempts;
      const failure = {
        attempts,
        lastError: toError(error).message.slice(0, 500),
        nextAttemptAt: parked ? null : this.o.clock.now() + this.backoffMs(attempts),
        parked,
      };
      if (parked) this.o.logger.warn({ id: item.id, attempts }, 'moderation item parked for review');
      await this.o.store.recordQaModerationFailure(item.id, failure);
      return { ...item, ...failure };
    }
  }

  /** 5 s, 10 s, 20 s, … after the n-th failure, each between 50 % and 100 % of that (full jitter's upper half). */
  private backoffMs(failures: number): number {
    const ceiling = this.o.retryBaseMs * 2 ** (failures - 1);
    return Math.round(ceiling * (0.5 + Math.random() * 0.5));
  }
}
