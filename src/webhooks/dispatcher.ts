import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { toError } from '../error-catalogue.ts';
import type { Metrics } from '../metrics.ts';
import { PeriodicJob } from '../scheduler/periodic-job.ts';
import type { ClaimedWebhookDelivery, Store, WebhookDeliveryOutcome } from '../store/index.ts';
import { signatureHeader } from './signature.ts';
import { ForbiddenAddressError, type UrlPolicy, guardedLookup, isForbiddenAddress } from './url-policy.ts';

export interface WebhookDispatcherOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  policy: UrlPolicy;
  /** How often the outbox is read for due deliveries, ms. Default 250. */
  pollMs?: number;
  /** An attempt with no full answer this long fails ("no answer within 5 s"), ms. Default 5,000. */
  timeoutMs?: number;
  /** How long a claimed delivery is this node's before another may take it over, ms. Default 30,000. */
  leaseMs?: number;
  /** The first retry's delay (each next one doubles, with jitter), ms. Default 5,000. */
  retryBaseMs?: number;
  /** The longest delay between two tries, ms. Default 1 hour. */
  retryMaxMs?: number;
  /** A delivery still failing this long after its event is `failed`, ms. Default 24 hours. */
  retryForMs?: number;
  /** Attempts in flight at once on this node (slow receivers hold theirs, never the others'). Default 64. */
  maxInFlight?: number;
}

/** What is sent: the same body on every attempt (only the signature's time changes). */
export function deliveryBody(d: Pick<ClaimedWebhookDelivery, 'eventId' | 'type' | 'createdAt' | 'data'>): string {
  return `{"id":${JSON.stringify(d.eventId)},"type":${JSON.stringify(d.type)},"createdAt":${JSON.stringify(
    new Date(d.createdAt).toISOString(),
  )},"data":${d.data}}`;
}

/**
 * Sends the outbox's deliveries (docs/webhooks.md). Every node runs one: the store hands each due delivery
 * to one node at a time (a lease), so a delivery is made by one node, and again only when that attempt
 * failed or its node died. Attempts run concurrently and never on the bid path: a receiver that hangs
 * holds one of `maxInFlight` slots for at most `timeoutMs`, and nothing else.
 */
export class WebhookDispatcher {
  private readonly o: Required<Omit<WebhookDispatcherOptions, 'metrics'>> & { metrics?: Metrics };
  private readonly job: PeriodicJob;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lookup: ReturnType<typeof guardedLookup>;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(options: WebhookDispatcherOptions) {
    this.o = {
      pollMs: 250,
      timeoutMs: 5_000,
      leaseMs: 30_000,
      retryBaseMs: 5_000,
      retryMaxMs: 3_600_000,
      retryForMs: 24 * 3_600_000,
      maxInFlight: 64,
      ...options,
    };
    this.lookup = guardedLookup(options.policy);
    // Keep-alive: a busy receiver gets one connection reused, not one per event. Each new connection's
    // address is checked again by `lookup`.
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: 8, lookup: this.lookup } as http.AgentOptions),
      https: new https.Agent({ keepAlive: true, maxSockets: 8, lookup: this.lookup } as https.AgentOptions),
    };
    this.job = new PeriodicJob('webhook deliveries', () => this.dispatchOnce(), this.o.pollMs, options.logger);
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  /** Stops claiming and waits for the attempts in flight (each ends within `timeoutMs`). */
  async stop(): Promise<void> {
    await this.job.stop();
    await Promise.allSettled([...this.inFlight]);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** One read of the outbox now (tests, and after a manual retry). */
  dispatch(): Promise<void> {
    return this.job.run();
  }

  private async dispatchOnce(): Promise<void> {
    const room = this.o.maxInFlight - this.inFlight.size;
    if (room <= 0 || this.job.stopped) return;
    const now = this.o.clock.now();
    const claimed = await this.o.store.claimWebhookDeliveries(now, now + this.o.leaseMs, room);
    for (const delivery of claimed) {
      const attempt = this.attempt(delivery).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }
  }

  private async attempt(delivery: ClaimedWebhookDelivery): Promise<void> {
    const started = performance.now();
    const error = await this.send(delivery).then(
      () => null,
      (e: unknown) => toError(e),
    );
    this.o.metrics?.webhookDeliveryDuration.observe((performance.now() - started) / 1000);
    const at = this.o.clock.now();
    const outcome = this.outcomeOf(delivery, error, at);
    this.o.metrics?.webhookDeliveries.inc({ outcome: outcome.outcome });
    try {
      await this.o.store.settleWebhookDeliveries([outcome]);
    } catch (e) {
      // The lease runs out and the delivery is tried again (same id): at least once.
      this.o.logger.warn({ err: toError(e), deliveryId: delivery.id }, 'webhook delivery outcome not stored');
    }
  }

  private outcomeOf(d: ClaimedWebhookDelivery, error: Error | null, at: number): WebhookDeliveryOutcome {
    const base = { id: d.id, leaseUntil: d.leaseUntil, at };
    if (error === null) return { ...base, outcome: 'delivered' };
    const message = error.message.slice(0, 500);
    const delay = this.retryDelay(d.attempts);
    // A manual retry is one more attempt; an event older than the retry period is given up.
    if (d.manual || at + delay > d.createdAt + this.o.retryForMs) return { ...base, outcome: 'failed', error: message };
    return { ...base, outcome: 'retry', error: message, nextAttemptAt: at + delay };
  }

  /** Exponential backoff with jitter: attempt n waits between half and all of base × 2^(n−1) (capped). */
  private retryDelay(attempts: number): number {
    const full = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
    return Math.round(full / 2 + Math.random() * (full / 2));
  }

  /** One POST; resolves on a 2xx answer read whole, rejects with what went wrong otherwise. */
  private send(d: ClaimedWebhookDelivery): Promise<void> {
    const url = new URL(d.url);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    // An address in the URL itself is never looked up: checked here instead.
    if (!this.o.policy.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host))
      return Promise.reject(new ForbiddenAddressError(`${host} is an address webhooks may not reach`));
    const body = deliveryBody(d);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<void>((resolve, reject) => {
      const request = client.request(url, {
        method: 'POST',
        agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
        lookup: this.lookup as unknown as http.RequestOptions['lookup'],
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Gavel-Webhooks/1',
          'gavel-signature': signatureHeader(d.secret, body, Math.floor(this.o.clock.now() / 1000)),
          'gavel-event-id': d.eventId,
          'gavel-event-type': d.type,
          'gavel-delivery-id': d.id,
        },
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      request.on('error', (error: Error) =>
        reject(
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? new Error(`no answer within ${this.o.timeoutMs} ms`)
            : error,
        ),
      );
      request.on('response', (response) => {
        // Redirects are never followed: a 3xx is a failure like any other non-2xx.
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // Nobody needs a receiver's long answer: stop reading it (the attempt is judged on the status).
          if (read > 64 * 1024) response.destroy();
        });
        response.on('error', () => undefined);
        response.on('close', () => {
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`HTTP ${status}`));
        });
      });
      request.end(body);
    });
  }
}
