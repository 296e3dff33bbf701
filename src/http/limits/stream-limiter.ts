import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A slot taken (give it back with `release`, any number of calls) or the limit that is used up. */
export type StreamSlot = { release: () => void } | { refused: number };

/** How often a node says it is alive, and how long the others believe it without hearing again. */
const HEARTBEAT_MS = 3_000;
const NODE_TTL_MS = 10_000;
/** A Redis answer slower than this counts as Redis being away: the node decides alone. */
const SHARED_TIMEOUT_MS = 500;

/**
 * Takes slots under each key when every key's total over the living nodes leaves room.
 * KEYS: one hash per key (field: node id, value: that node's open streams), then the nodes' zset (node id →
 * expiry, in Redis's own clock). ARGV: this node's id, then per key its limit and this node's count with
 * the new stream. Fields of nodes whose heartbeat expired are dropped on the way: a node that died holding
 * streams does not hold their slots for ever. Returns 0, or the 1-based index of the refusing key.
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nodes = KEYS[#KEYS]
local me = ARGV[1]
for i = 1, #KEYS - 1 do
  local total = 0
  local fields = redis.call('HGETALL', KEYS[i])
  for j = 1, #fields, 2 do
    local node = fields[j]
    if node ~= me then
      local expiry = redis.call('ZSCORE', nodes, node)
      if expiry and tonumber(expiry) > now then total = total + tonumber(fields[j + 1])
      else redis.call('HDEL', KEYS[i], node) end
    end
  end
  if total + tonumber(ARGV[2 * i + 1]) > tonumber(ARGV[2 * i]) then return i end
end
for i = 1, #KEYS - 1 do redis.call('HSET', KEYS[i], me, ARGV[2 * i + 1]) end
return 0`;

/** Sets this node's count under each key (absolute, so a lost update is corrected by the next one). */
const SET_SCRIPT = `
for i = 1, #KEYS do
  if tonumber(ARGV[i + 1]) > 0 then redis.call('HSET', KEYS[i], ARGV[1], ARGV[i + 1])
  else redis.call('HDEL', KEYS[i], ARGV[1]) end
end
return 0`;

const HEARTBEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return 0`;

export interface SharedStreamCounts {
  redis: Redis;
  /** Key prefix in Redis. Default `gavel:`. */
  prefix?: string;
  logger?: Logger;
  /** Defaults 3 s and 10 s (tests shorten them). */
  heartbeatMs?: number;
  nodeTtlMs?: number;
}

export interface StreamLimits {
  enabled: boolean;
  perAddress: number;
  perUser: number;
}

/**
 * Caps on open event streams (SSE and WebSocket): per client address and per signed-in user (contract: 50
 * and 20). A stream takes one slot under each of its keys and gives them back when it closes, exactly once.
 *
 * On one node the counts are this process's. With `shared` (Redis, several nodes) the limits hold over all
 * nodes: each node writes its own count per key into a Redis hash, and a new stream is admitted by a script
 * that sums the living nodes' counts. While Redis does not answer, the node counts alone (the contract's
 * rule for every limit), and writes its counts back when Redis returns.
 */
export class StreamLimiter {
  private readonly open = new Map<string, number>();
  private readonly nodeId = randomBytes(8).toString('hex');
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly limits: StreamLimits,
    private readonly shared?: SharedStreamCounts,
  ) {
    if (!limits.enabled || !shared) return;
    const beat = () => void this.beat();
    beat();
    this.heartbeat = setInterval(beat, shared.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
    // Redis back after an outage: what this node opened meanwhile is counted again at once.
    shared.redis.on('ready', () => void this.beat().then(() => this.writeAll()));
  }

  async acquire(address: string, userId: string | null): Promise<StreamSlot> {
    if (!this.limits.enabled) return { release: () => {} };
    const keys: [string, number][] = [[`addr:${address}`, this.limits.perAddress]];
    if (userId !== null) keys.push([`user:${userId}`, this.limits.perUser]);
    const refusedBy = (await this.sharedAcquire(keys)) ?? this.localRefusal(keys);
    if (refusedBy !== 0) return { refused: keys[refusedBy - 1]![1] };
    for (const [key] of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const [key] of keys) {
          const left = (this.open.get(key) ?? 1) - 1;
          if (left <= 0) this.open.delete(key);
          else this.open.set(key, left);
        }
        this.write(keys.map(([key]) => key));
      },
    };
  }

  /** Streams this node holds open under a key (tests, metrics). */
  count(kind: 'addr' | 'user', id: string): number {
    return this.open.get(`${kind}:${id}`) ?? 0;
  }

  /** Stops the heartbeat; the other nodes stop counting this node's streams once its heartbeat expires. */
  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private localRefusal(keys: [string, number][]): number {
    const index = keys.findIndex(([key, max]) => (this.open.get(key) ?? 0) >= max);
    return index + 1;
  }

  /** The shared decision (0 or the refusing key's index), or null when Redis cannot give one now. */
  private async sharedAcquire(keys: [string, number][]): Promise<number | null> {
    const redis = this.shared?.redis;
    if (!redis || redis.status !== 'ready') return null;
    const args = keys.flatMap(([key, max]) => [max, (this.open.get(key) ?? 0) + 1]);
    try {
      const refused = await withTimeout(
        redis.eval(
          ACQUIRE_SCRIPT,
          keys.length + 1,
          ...keys.map(([key]) => this.hashKey(key)),
          this.nodesKey(),
          this.nodeId,
          ...args,
        ),
      );
      return Number(refused);
    } catch (error) {
      this.shared?.logger?.warn({ err: error }, 'stream slots: redis did not answer; counting on this node alone');
      return null;
    }
  }

  /** Writes this node's current counts under `keys` (best effort: the next write or reconnect corrects). */
  private write(keys: string[]): void {
    const redis = this.shared?.redis;
    if (!redis || redis.status !== 'ready' || keys.length === 0) return;
    redis
      .eval(
        SET_SCRIPT,
        keys.length,
        ...keys.map((key) => this.hashKey(key)),
        this.nodeId,
        ...keys.map((key) => this.open.get(key) ?? 0),
      )
      .catch(() => {});
  }

  private writeAll(): void {
    const keys = [...this.open.keys()];
    for (let i = 0; i < keys.length; i += 500) this.write(keys.slice(i, i + 500));
  }

  private async beat(): Promise<void> {
    const redis = this.shared?.redis;
    if (!redis || redis.status !== 'ready') return;
    const ttl = this.shared?.nodeTtlMs ?? NODE_TTL_MS;
    await redis.eval(HEARTBEAT_SCRIPT, 1, this.nodesKey(), this.nodeId, ttl).catch(() => {});
  }

  private hashKey(key: string): string {
    return `${this.shared?.prefix ?? 'gavel:'}streams:${key}`;
  }

  private nodesKey(): string {
    return `${this.shared?.prefix ?? 'gavel:'}streams:nodes`;
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis: no answer in time')), SHARED_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
