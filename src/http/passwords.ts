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
 * Bounds the password hashing a node does at once. scrypt runs on libuv's
 * thread pool, off the event loop, but each hash takes tens of milliseconds
 * of a core: a flood of log-ins computing them four at a time would take both
 * cores from the bid path. One at a time (default) leaves a core to bids; a
 * bounded queue answers the overflow at once (429) instead of letting waits
 * grow without limit.
 */
export class PasswordWork {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency = 1,
    private readonly maxWaiting = 32,
  ) {}

  /** Runs `work` when a slot is free; null (nothing run) when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return { value: await work() };
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter (running stays the same), or is freed.
      if (next) next();
      else this.running--;
    }
  }
}
