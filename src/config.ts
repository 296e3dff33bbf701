import { resolve } from 'node:path';
import { z } from 'zod';

/** The only reader of environment variables. Every option, its variable and its default. */
const schema = z.object({
  /** `PORT`, default 3000. */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `HOST`, default 127.0.0.1 (loopback: exposing the service is a deliberate act). */
  host: z.string().min(1).default('127.0.0.1'),
  /** `GAVEL_DATA_DIR`, default ./data: holds gavel.db (SQLite, WAL). */
  dataDir: z.string().min(1).default('./data'),
  /** `LOG_LEVEL`, default info. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `GAVEL_GROUP_COMMIT`, default on. `off` commits one bid per transaction (benchmark baseline only). */
  groupCommit: z.enum(['on', 'off']).default('on'),
  /** `GAVEL_SESSION_TTL_HOURS`, default 720 (30 days). */
  sessionTtlHours: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(720),
  /** `GAVEL_HEARTBEAT_MS`, default 15000: SSE keep-alive comment interval. */
  heartbeatMs: z.coerce.number().int().min(100).max(15_000).default(15_000),
  /** `GAVEL_AUCTION_CACHE`, default 100000: auctions whose state the sequencer keeps in memory. */
  auctionCacheSize: z.coerce.number().int().min(1).default(100_000),
  /** `GAVEL_SCRYPT_N`, default 32768: scrypt cost for password hashes (tests may lower it). */
  scryptN: z.coerce
    .number()
    .int()
    .min(1024)
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
    .default(2 ** 15),
});

export type Config = z.infer<typeof schema> & { databaseFile: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.parse({
    port: env.PORT || undefined,
    host: env.HOST || undefined,
    dataDir: env.GAVEL_DATA_DIR || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    groupCommit: env.GAVEL_GROUP_COMMIT || undefined,
    sessionTtlHours: env.GAVEL_SESSION_TTL_HOURS || undefined,
    heartbeatMs: env.GAVEL_HEARTBEAT_MS || undefined,
    auctionCacheSize: env.GAVEL_AUCTION_CACHE || undefined,
    scryptN: env.GAVEL_SCRYPT_N || undefined,
  });
  return { ...parsed, databaseFile: resolve(parsed.dataDir, 'gavel.db') };
}
