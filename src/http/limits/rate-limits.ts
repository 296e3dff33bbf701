import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { LruCache } from '../../engine/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { addressKey } from './client-address.ts';
import type { LimitSettings } from './limit-settings.ts';

/** A route's `config.rateLimit`, as @fastify/rate-limit reads it (absent: the route is not limited). */
type RouteRateLimit = {
  max: number;
  timeWindow: number;
  keyGenerator: (request: FastifyRequest) => Promise<string> | string;
};

type StoreCallback = (error: Error | null, result: { current: number; ttl: number }) => void;

/**
 * The in-process counter store: fixed windows per key, in a bounded LRU.
 *
 * Why not the plugin's own LocalStore: it hands every caller the *same*
 * mutable counter object, and the plugin reads it only after an `await`. A
 * burst of requests arriving together then all read the final count: 30
 * concurrent bids from one user were all refused, instead of 20 accepted and
 * 10 refused. This store answers each caller with its own snapshot.
 */
class SnapshotStore {
  private readonly windows: LruCache<string, { count: number; startedAt: number }>;

  /** The plugin constructs stores with its settings object: only a number is taken as the capacity. */
  constructor(capacity: unknown = 100_000) {
    this.windows = new LruCache(typeof capacity === 'number' ? capacity : 100_000);
  }

  incr(key: string, callback: StoreCallback, timeWindow: number): void {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) window = { count: 0, startedAt: now };
    window.count++;
    this.windows.set(key, window);
    callback(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
  }

  read(key: string, callback: StoreCallback, timeWindow: number): void {
    const now = Date.now();
    const window = this.windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) callback(null, { current: 0, ttl: 0 });
    else callback(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
  }

  /** The plugin asks each route for a child store: one store serves all (every key names its purpose). */
  child(): SnapshotStore {
    return this;
  }
}

/** INCR with the window's expiry set on the first hit; answers [count, remaining ms]. One round trip. */
const INCR_SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {current, ttl}`;
const READ_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return {0, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {tonumber(current), ttl}`;

/**
 * Counters shared by every node through Redis (scale-out mode), with the
 * contract's fallback: while Redis does not answer, each node counts alone in
 * its own memory, so the limits hold (per node) rather than vanish or fail
 * requests. Fixed windows, like the in-process store.
 */
class SharedStore {
  private readonly local: SnapshotStore;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    capacity = 100_000,
  ) {
    this.local = new SnapshotStore(capacity);
  }

  incr(key: string, callback: StoreCallback, timeWindow: number): void {
    this.run(INCR_SCRIPT, key, timeWindow, callback, () => this.local.incr(key, callback, timeWindow));
  }

  read(key: string, callback: StoreCallback, timeWindow: number): void {
    this.run(READ_SCRIPT, key, timeWindow, callback, () => this.local.read(key, callback, timeWindow));
  }

  child(): SharedStore {
    return this;
  }

  private run(script: string, key: string, timeWindow: number, callback: StoreCallback, fallback: () => void): void {
    if (this.redis.status !== 'ready') return fallback();
    this.redis.eval(script, 1, this.prefix + key, timeWindow).then(
      (result) => {
        const [current, ttl] = result as [number, number];
        callback(null, { current, ttl });
      },
      () => fallback(),
    );
  }
}

/**
 * Registers @fastify/rate-limit for the routes that ask for it (`global: false`), with the contract's
 * answer: `429 RATE_LIMITED` as a problem document, `Retry-After` and the IETF `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` headers. The counters live in this process, or in Redis when a
 * client is given, so that every node shares them (scale-out mode). Must be registered before the routes.
 */
export async function registerRateLimits(app: FastifyInstance, options: { redis?: Redis }): Promise<RateCounter> {
  // Redis going away is expected in operation (the counters fall back to this node); log it, never crash.
  options.redis?.on('error', (error: unknown) => app.log.warn({ err: error }, 'rate-limit counters: redis error'));
  // One store for every route and for the live room (bids over a socket count with bids over HTTP).
  // Room for many keys: an LRU that is too small lets an attacker reset a victim's counter by spraying keys.
  const store = options.redis ? new SharedStore(options.redis, 'gavel:rate:') : new SnapshotStore();
  await app.register(rateLimit, {
    global: false,
    enableDraftSpec: true,
    // The plugin constructs its store from a class: this one hands it the shared instance.
    store: class {
      constructor() {
        return store;
      }
    } as unknown as NonNullable<RateLimitPluginOptions['store']>,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${context.after}`, {
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
  return {
    hit: (key, windowMs) =>
      new Promise((resolve) =>
        store.incr(key, (_error, { current, ttl }) => resolve({ count: current, resetMs: ttl }), windowMs),
      ),
  };
}

/**
 * Fixed-window counters outside a route's hook (the live room's bids and chat), in the same store as the
 * routes' limits: shared by every node through Redis, or this node's alone while Redis is away.
 */
export interface RateCounter {
  /** Counts one hit under `key`; answers the window's count so far and the ms until it resets. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
}

/**
 * The per-route limits of the contract, ready to spread into a route's `config`. With the limits off
 * every entry is `{}` (no hook at all on the route, so the bid path pays nothing).
 */
export function routeRateLimits(
  settings: LimitSettings,
  userIdOf: (request: FastifyRequest) => Promise<string | null>,
) {
  const perUser =
    (purpose: string) =>
    async (request: FastifyRequest): Promise<string> => {
      // Runs after the route's own auth hook, so the session is already resolved (no second lookup).
      const userId = await userIdOf(request);
      return userId === null ? `${purpose}:addr:${addressKey(request.ip)}` : `${purpose}:user:${userId}`;
    };
  const limit = (rule: RouteRateLimit): { rateLimit?: RouteRateLimit } => (settings.enabled ? { rateLimit: rule } : {});
  return {
    bids: limit({ max: settings.bidsPerUserPerSecond, timeWindow: 1000, keyGenerator: perUser('bid') }),
    createAuction: limit({
      max: settings.auctionsPerUserPerHour,
      timeWindow: 3_600_000,
      keyGenerator: perUser('auction'),
    }),
    signUp: limit({
      max: settings.signupsPerAddressPerHour,
      timeWindow: 3_600_000,
      keyGenerator: (request) => `signup:addr:${addressKey(request.ip)}`,
    }),
  };
}

/** Sets the contract's headers on a 429 that is not produced by the plugin (log-in throttle, stream caps). */
export function refuseWithRateLimit(reply: FastifyReply, limit: number, retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  reply.header('retry-after', seconds);
  reply.header('ratelimit-limit', limit);
  reply.header('ratelimit-remaining', 0);
  reply.header('ratelimit-reset', seconds);
  return new AppError('RATE_LIMITED', `Too many requests; retry in ${seconds} s`, { retryAfterSeconds: seconds });
}
