import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { toError } from '../error-catalogue.ts';
import type { Metrics } from '../metrics.ts';
import { PeriodicJob } from '../scheduler/periodic-job.ts';
import type { ClaimedMail, MailOutcome, Store } from '../store/index.ts';
import { renderMail } from './render.ts';
import { unsubscribeToken } from './tokens.ts';
import type { MailTransport } from './transport.ts';

/** "At most one outbid mail per auction per user per 15 minutes, counted from the last one sent." */
export const OUTBID_MAIL_WINDOW_MS = 15 * 60_000;

export interface MailDispatcherOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  transport: MailTransport;
  /** `GAVEL_PUBLIC_URL`: every link in a mail starts with it (never with a request's Host header). */
  publicUrl: string;
  /** The From address. Default `Gavel <no-reply@<public host>>`. */
  from?: string;
  /** How often the outbox is read, ms. Default 500. */
  pollMs?: number;
  /** A claimed mail is this node's this long, ms. Default 60,000. */
  leaseMs?: number;
  /** The first retry's delay (doubling, with jitter), ms. Default 10,000. */
  retryBaseMs?: number;
  /** The longest delay between tries, ms. Default 1 hour. */
  retryMaxMs?: number;
  /** A mail still failing this long after it was queued is `failed`, ms. Default 3 days. */
  retryForMs?: number;
  /** Mails sent at once. Default 4. */
  concurrency?: number;
}

/**
 * Sends the mail outbox (docs/email.md): every node runs one; each mail is one node's at a time (a lease),
 * sent at least once with one Message-ID (its outbox id) on every attempt, retried with backoff while the
 * SMTP server refuses or is down, never dropped.
 */
export class MailDispatcher {
  private readonly o: Required<Omit<MailDispatcherOptions, 'metrics'>> & { metrics?: Metrics };
  private readonly job: PeriodicJob;
  private readonly domain: string;

  constructor(options: MailDispatcherOptions) {
    const host = new URL(options.publicUrl).hostname;
    this.domain = host.includes('.') ? host : `${host}.invalid`;
    this.o = {
      from: `Gavel <no-reply@${this.domain}>`,
      pollMs: 500,
      leaseMs: 60_000,
      retryBaseMs: 10_000,
      retryMaxMs: 3_600_000,
      retryForMs: 3 * 24 * 3_600_000,
      concurrency: 4,
      ...options,
      publicUrl: options.publicUrl.replace(/\/+$/, ''),
    };
    this.job = new PeriodicJob('mail outbox', () => this.dispatchOnce(), this.o.pollMs, options.logger);
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  async stop(): Promise<void> {
    await this.job.stop();
    this.o.transport.close();
  }

  /** One read of the outbox now (or the one running). */
  dispatch(): Promise<void> {
    return this.job.run();
  }

  private async dispatchOnce(): Promise<void> {
    while (!this.job.stopped) {
      const now = this.o.clock.now();
      const claimed = await this.o.store.claimMails(
        now,
        now + this.o.leaseMs,
        this.o.concurrency,
        OUTBID_MAIL_WINDOW_MS,
      );
      if (claimed.length === 0) return;
      const outcomes = await Promise.all(claimed.map((mail) => this.attempt(mail)));
      try {
        await this.o.store.settleMails(outcomes);
      } catch (error) {
        // Their leases run out and they are sent again (same Message-ID): at least once.
        this.o.logger.warn({ err: toError(error) }, 'mail outcomes not stored');
        return;
      }
      if (claimed.length < this.o.concurrency) return;
    }
  }

  private async attempt(mail: ClaimedMail): Promise<MailOutcome> {
    const base = { id: mail.id, leaseUntil: mail.leaseUntil };
    try {
      await this.o.transport.send(this.compose(mail));
      this.o.metrics?.mails.inc({ kind: mail.kind, outcome: 'sent' });
      return { ...base, at: this.o.clock.now(), outcome: 'sent' };
    } catch (e) {
      const error = toError(e).message.slice(0, 500);
      const at = this.o.clock.now();
      const full = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.min(30, mail.attempts - 1));
      const delay = Math.round(full / 2 + Math.random() * (full / 2));
      if (at + delay > mail.createdAt + this.o.retryForMs) {
        this.o.metrics?.mails.inc({ kind: mail.kind, outcome: 'failed' });
        this.o.logger.error({ mailId: mail.id, kind: mail.kind, error }, 'mail failed for good');
        return { ...base, at, outcome: 'failed', error };
      }
      this.o.metrics?.mails.inc({ kind: mail.kind, outcome: 'retry' });
      this.o.logger.warn({ mailId: mail.id, kind: mail.kind, error, retryInMs: delay }, 'mail not sent; retrying');
      return { ...base, at, outcome: 'retry', error, nextAttemptAt: at + delay };
    }
  }

  private compose(mail: ClaimedMail) {
    const notification = mail.kind !== 'verify_email' && mail.kind !== 'reset_password';
    const unsubscribeUrl =
      notification && mail.mailKey !== null
        ? `${this.o.publicUrl}/api/v1/unsubscribe?token=${encodeURIComponent(unsubscribeToken(mail.mailKey, mail.userId, mail.kind))}`
        : null;
    const rendered = renderMail(mail, { publicUrl: this.o.publicUrl, unsubscribeUrl });
    const headers: Record<string, string> = {};
    if (notification) headers['Gavel-Notification'] = mail.kind;
    if (unsubscribeUrl) {
      // RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click` to the link.
      headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    return {
      from: this.o.from,
      to: mail.to,
      ...rendered,
      messageId: `<${mail.id}@${this.domain}>`,
      headers,
    };
  }
}
