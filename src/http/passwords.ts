import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost parameters. N = 2^15 with r = 8 takes ~50–100 ms and 32 MiB per
 * hash on this kind of machine: slow enough to make guessing expensive, quick
 * enough for sign-up and log-in. Stored with each hash, so they can be raised.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash that never matches, at the configured cost: verified against when the
 * username is unknown, so the response time does not reveal who exists.
 */
export function unknownUserHash(cost: ScryptCost): string {
  const zeros = (n: number) => Buffer.alloc(n).toString('base64url');
  return ['scrypt', cost.N, cost.r, cost.p, zeros(16), zeros(KEY_LENGTH)].join('$');
}

/**
 * Bounds the password hashing a node does at once, fairly between clients.
 *
 * scrypt runs on libuv's thread pool, off the event loop, but each hash takes
 * tens of milliseconds of a core: a flood of log-ins computing them four at a
 * time would take both cores from the bid path. One at a time (default)
 * leaves a core to bids. Waiting work is queued per client address and served
 * round-robin, with at most a few waiting per address and a bounded total, so
 * a handful of flooding addresses cannot fill the queue ahead of a real user:
 * their log-in waits for at most one hash per other waiting address. Work
 * over the bounds is refused at once (429) instead of waiting without limit.
 */
export class PasswordWork {
  private running = 0;
  /** Waiting work per client address, in arrival order; the Map's order is the round-robin order. */
  private readonly waiting = new Map<string, (() => void)[]>();
  private waitingCount = 0;

  constructor(
    private readonly concurrency = 1,
    private readonly maxWaiting = 64,
    private readonly maxWaitingPerClient = 2,
  ) {}

  /** Runs `work` for `client` when a slot is free; null (nothing run) when its queue is full. */
  async run<T>(work: () => Promise<T>, client = ''): Promise<{ value: T } | null> {
    if (this.running >= this.concurrency) {
      const queue = this.waiting.get(client) ?? [];
      if (queue.length >= this.maxWaitingPerClient || this.waitingCount >= this.maxWaiting) return null;
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        this.waiting.set(client, queue);
        this.waitingCount++;
      });
    } else this.running++;
    try {
      return { value: await work() };
    } finally {
      this.next();
    }
  }

  /** Hands the slot to the first waiting client's oldest work, moving that client to the back; or frees it. */
  private next(): void {
    const first = this.waiting.entries().next();
    if (first.done) {
      this.running--;
      return;
    }
    const [client, queue] = first.value;
    const resolve = queue.shift()!;
    this.waitingCount--;
    this.waiting.delete(client);
    if (queue.length > 0) this.waiting.set(client, queue);
    resolve();
  }
}
