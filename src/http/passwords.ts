import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Worker } from 'node:worker_threads';

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

type Derive = (password: string, salt: Buffer, cost: ScryptCost) => Promise<Buffer>;

/** scrypt on libuv's pool: for callers without a PasswordThread (scripts, tests of this module). */
const deriveOnPool: Derive = (password, salt, cost) =>
  new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

/**
 * The thread that derives the node's password hashes (password-thread.mjs): one at a time, at a lower
 * scheduling priority than the event loop, so that hashing never competes with bids for the CPU.
 */
export class PasswordThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(key: Buffer): void; reject(error: Error): void }>();
  private nextId = 1;

  /** Started at the first hash (an app that never hashes never starts it). */
  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./password-thread.mjs', import.meta.url));
    worker.on('message', ({ id, key, error }: { id: number; key?: Uint8Array; error?: string }) => {
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (!waiting) return;
      if (key) waiting.resolve(Buffer.from(key));
      else waiting.reject(new Error(error ?? 'scrypt failed'));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.failAll(new Error('password thread exited'));
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  readonly derive: Derive = (password, salt, cost) => {
    const id = this.nextId++;
    const worker = this.thread();
    // Referenced only while work is pending: an idle thread never keeps the process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, salt, keyLength: KEY_LENGTH, cost });
    });
  };

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
  derive: Derive = deriveOnPool,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(
  password: string,
  stored: string,
  derive: Derive = deriveOnPool,
): Promise<boolean> {
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
 * round-robin, with at most 4 waiting per address and 64 in all, so
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
    private readonly maxWaitingPerClient = 4,
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
