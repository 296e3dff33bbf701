import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { toError } from '../../error-catalogue.ts';
import type { Bus, BusListener, BusMessage, Unsubscribe } from '../bus.ts';

export interface RedisBusOptions {
  /** `redis://host:port/db` (GAVEL_BUS). */
  url: string;
  logger: Logger;
  /** Prefix of every channel, so that several deployments can share one Redis. Default `gavel:`. */
  prefix?: string;
}

/**
 * Bus over Redis pub/sub, for many nodes: one connection publishes, one
 * subscribes. A node subscribes to a channel only while one of its clients
 * watches that topic, and unsubscribes when the last one leaves.
 *
 * Redis pub/sub is fire-and-forget: a message published while a node is
 * disconnected never reaches it. That is by design here: every message about
 * an auction carries its version and the realtime hub fills gaps (and a lost
 * last message) from the store, so Redis carries speed and PostgreSQL truth.
 * Publishing never queues while Redis is down (no unbounded offline queue);
 * it fails fast and is logged. ioredis reconnects by itself, and every
 * connection subscribes to every topic watched on this node.
 */
export class RedisBus implements Bus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly logger: Logger;
  /** Local listeners per topic; the Redis channel is subscribed while a topic has at least one. */
  private readonly topics = new Map<string, { entries: Set<{ listener: BusListener }>; ready: Promise<void> }>();
  private closed = false;
  private failedPublishes = 0;
  private lastFailureLog = 0;

  constructor(options: RedisBusOptions) {
    this.prefix = options.prefix ?? 'gavel:';
    this.logger = options.logger;
    const common: RedisOptions = {
      // Reconnect forever with a capped backoff; the node keeps serving bids meanwhile.
      retryStrategy: (attempt) => Math.min(1000, 50 * attempt),
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    };
    // Auto-pipelining: a committed batch's events (one PUBLISH each) leave in one socket write, not one
    // write per event (a profile of the PostgreSQL benchmark showed ~5% of the node's time in those writes).
    this.publisher = new Redis(options.url, { ...common, enableOfflineQueue: false, enableAutoPipelining: true });
    this.subscriber = new Redis(options.url, { ...common, autoResubscribe: true });
    for (const [name, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      client.on('error', (error: unknown) => {
        if (!this.closed) this.logger.warn({ err: toError(error), connection: name }, 'redis bus connection error');
      });
    }
    this.subscriber.on('message', (channel: string, text: string) => this.deliver(channel, text));
    // ioredis re-subscribes on reconnect only the channels Redis had confirmed: a topic first watched while
    // Redis was down would stay deaf for as long as it is watched. So every (re)connection subscribes to
    // every topic this node has listeners for (subscribing twice to a channel is harmless).
    this.subscriber.on('ready', () => this.subscribeAll());
  }

  private subscribeAll(): void {
    const channels = [...this.topics.keys()].map((topic) => this.prefix + topic);
    for (let i = 0; i < channels.length; i += 1000)
      this.subscriber.subscribe(...channels.slice(i, i + 1000)).catch((error: unknown) => {
        this.logger.warn({ err: toError(error) }, 'redis resubscribe failed; retried at the next reconnection');
      });
  }

  get connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  publish(topic: string, message: BusMessage): void {
    if (this.closed) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      this.logger.error({ err: toError(error), topic }, 'bus message is not serializable');
      return;
    }
    this.publisher.publish(this.prefix + topic, text).catch((error: unknown) => {
      // Counted and logged once every 10 s: while Redis is down every committed batch fails here, and one
      // log line per event would turn an outage into a log flood.
      this.failedPublishes++;
      const now = Date.now();
      if (now - this.lastFailureLog < 10_000) return;
      this.logger.warn(
        { err: toError(error), failed: this.failedPublishes },
        'redis publish failed; subscribers catch up from the store',
      );
      this.lastFailureLog = now;
      this.failedPublishes = 0;
    });
  }

  async subscribe(topic: string, listener: BusListener): Promise<Unsubscribe> {
    let subscription = this.topics.get(topic);
    if (!subscription) {
      const created: { entries: Set<{ listener: BusListener }>; ready: Promise<void> } = {
        entries: new Set(),
        ready: this.subscriber.subscribe(this.prefix + topic).then(() => undefined),
      };
      subscription = created;
      this.topics.set(topic, created);
      // A failed SUBSCRIBE (Redis down) is not fatal: the next connection subscribes to it (subscribeAll),
      // and the hub's store sync covers the meantime. The topic stays registered for that.
      created.ready = created.ready.catch((error: unknown) => {
        this.logger.warn({ err: toError(error), topic }, 'redis subscribe failed; will resubscribe on reconnect');
      });
    }
    const entry = { listener };
    subscription.entries.add(entry);
    await subscription.ready;
    const owner = subscription;
    return () => {
      if (!owner.entries.delete(entry) || owner.entries.size > 0 || this.topics.get(topic) !== owner) return;
      this.topics.delete(topic);
      if (!this.closed)
        this.subscriber.unsubscribe(this.prefix + topic).catch((error: unknown) => {
          this.logger.debug({ err: toError(error), topic }, 'redis unsubscribe failed');
        });
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.topics.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private deliver(channel: string, text: string): void {
    if (!channel.startsWith(this.prefix)) return;
    const subscription = this.topics.get(channel.slice(this.prefix.length));
    if (!subscription) return;
    let message: BusMessage;
    try {
      message = JSON.parse(text) as BusMessage;
    } catch (error) {
      this.logger.warn({ err: toError(error), channel }, 'unreadable bus message dropped');
      return;
    }
    for (const { listener } of subscription.entries) {
      try {
        listener(message);
      } catch (error) {
        // A failing subscriber must never affect the others.
        this.logger.error({ err: toError(error), channel }, 'bus listener failed');
      }
    }
  }
}
