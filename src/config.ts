import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS } from './http/limits/limit-settings.ts';

/** A comma-separated list; blanks around entries and empty entries are dropped. Default: empty. */
const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== ''),
  );

const positiveInt = z.coerce.number().int().min(1).max(1_000_000_000);

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
  /** `GAVEL_GROUP_COMMIT`, default on. `off` commits one bid, or one new auction, per transaction (benchmark baseline only). */
  groupCommit: z.enum(['on', 'off']).default('on'),
  /**
   * `GAVEL_CATALOGUE_INDEX`, default on: listings and facets without search terms are answered from an
   * in-memory index of every auction's catalogue facts (~230 bytes per auction, loaded at start-up in the
   * background; SQL answers until it is). `off`: SQL only, no memory per auction.
   */
  catalogueIndex: z.enum(['on', 'off']).default('on'),
  /** `GAVEL_SESSION_TTL_HOURS`, default 720 (30 days). */
  sessionTtlHours: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(720),
  /** `GAVEL_HEARTBEAT_MS`, default 15000: SSE keep-alive comment interval. */
  heartbeatMs: z.coerce.number().int().min(100).max(15_000).default(15_000),
  /**
   * `GAVEL_FANOUT_WORKERS`, default 2: child processes that serve the auction event streams, so that
   * thousands of watchers never slow the bid path; 0 serves them in the main process.
   */
  fanoutWorkers: z.coerce.number().int().min(0).max(64).default(2),
  /** `GAVEL_AUCTION_CACHE`, default 100000: auctions whose state the sequencer keeps in memory. */
  auctionCacheSize: z.coerce.number().int().min(1).default(100_000),
  /** `GAVEL_SCRYPT_N`, default 32768: scrypt cost for password hashes (tests may lower it). */
  scryptN: z.coerce
    .number()
    .int()
    .min(1024)
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
    .default(2 ** 15),
  /**
   * `GAVEL_STORE`: unset or `sqlite` (the embedded store in GAVEL_DATA_DIR) or a `postgres://` URL
   * (PostgreSQL is the source of truth; any number of nodes may share it).
   */
  store: z
    .string()
    .default('sqlite')
    .refine((s) => s === 'sqlite' || /^postgres(ql)?:\/\//.test(s), 'sqlite or a postgres:// URL'),
  /**
   * `GAVEL_BUS`: unset or `memory` (one process) or a `redis://` URL: live events and rate-limit counters
   * cross nodes through Redis.
   */
  bus: z
    .string()
    .default('memory')
    .refine((s) => s === 'memory' || /^rediss?:\/\//.test(s), 'memory or a redis:// URL'),
  /** `GAVEL_RATE_LIMITS`, default on. `off` turns off the rate limits, stream caps and connection caps (load tests only). */
  rateLimits: z.enum(['on', 'off']).default('on'),
  /** `GAVEL_TRUST_PROXY`: comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed. */
  trustProxy: commaList,
  /**
   * `GAVEL_MODERATION_URL`: an external moderation service for questions and answers (it receives
   * `POST { id, text }` and answers `{ verdict: "allow" | "block" }` within 2 s). Unset: the built-in rules alone.
   */
  moderationUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `GAVEL_ALLOWED_ORIGINS`: comma-separated origins (`https://shop.example`) besides the server's own whose
   * pages may use the session cookie for changes and live-room sockets.
   */
  allowedOrigins: commaList,
  /**
   * `GAVEL_LIVE_VIDEO_SOURCES`: comma-separated CSP sources the web page may play sellers' live video from
   * (`https://cdn.example`, or `https:` for any https origin, the default).
   */
  liveVideoSources: commaList.refine(
    (sources) => sources.every((source) => /^[a-z][a-z0-9+.-]*:(\/\/[^\s;,']+)?$/i.test(source)),
    'CSP sources such as https: or https://cdn.example',
  ),
  /** `GAVEL_MODERATORS`: comma-separated usernames who may read the moderation queue and decide its items. */
  moderators: commaList,
  /**
   * `GAVEL_WEBHOOK_ALLOW_PRIVATE`, default false: `true` lets webhooks reach loopback, private and link-local
   * addresses (tests, private networks). Off, such URLs are refused at registration and at each delivery.
   */
  webhookAllowPrivate: z.enum(['true', 'false']).default('false'),
  /**
   * `GAVEL_PUBLIC_URL`, default `http://<HOST>:<PORT>`: where people reach the service; every link in a mail
   * starts with it (never with a request's Host header, which a client chooses).
   */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `GAVEL_SMTP_URL`: `smtp://user:pass@host:port` (`smtps://` for TLS) where mail is sent. Unset: each mail
   * is written as an `.eml` file under `GAVEL_DATA_DIR/mail/` (a laptop needs no mail server).
   */
  smtpUrl: z.url({ protocol: /^smtps?$/ }).optional(),
  /** `GAVEL_MAIL_FROM`, default `Gavel <no-reply@<public host>>`: the From of every mail. */
  mailFrom: z.string().min(3).max(200).optional(),
  /** `GAVEL_WEBHOOK_RETRY_HOURS`, default 24: how long a failing webhook delivery is retried before it is `failed`. */
  webhookRetryHours: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /** `GAVEL_LIMIT_*`: each limit of the contract (see docs/operations.md for the names and defaults). */
  limits: z.object({
    loginFailuresPerUsername: positiveInt.default(DEFAULT_LIMITS.loginFailuresPerUsername),
    loginFailuresPerAddress: positiveInt.default(DEFAULT_LIMITS.loginFailuresPerAddress),
    signupsPerAddressPerHour: positiveInt.default(DEFAULT_LIMITS.signupsPerAddressPerHour),
    bidsPerUserPerSecond: positiveInt.default(DEFAULT_LIMITS.bidsPerUserPerSecond),
    auctionsPerUserPerHour: positiveInt.default(DEFAULT_LIMITS.auctionsPerUserPerHour),
    streamsPerAddress: positiveInt.default(DEFAULT_LIMITS.streamsPerAddress),
    streamsPerUser: positiveInt.default(DEFAULT_LIMITS.streamsPerUser),
    connectionsPerAddress: positiveInt.default(DEFAULT_LIMITS.connectionsPerAddress),
    uploadsPerUserPerDay: positiveInt.default(DEFAULT_LIMITS.uploadsPerUserPerDay),
  }),
});

export type Config = z.infer<typeof schema> & { databaseFile: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.parse({
    port: env.PORT || undefined,
    host: env.HOST || undefined,
    dataDir: env.GAVEL_DATA_DIR || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    groupCommit: env.GAVEL_GROUP_COMMIT || undefined,
    catalogueIndex: env.GAVEL_CATALOGUE_INDEX || undefined,
    sessionTtlHours: env.GAVEL_SESSION_TTL_HOURS || undefined,
    heartbeatMs: env.GAVEL_HEARTBEAT_MS || undefined,
    auctionCacheSize: env.GAVEL_AUCTION_CACHE || undefined,
    fanoutWorkers: env.GAVEL_FANOUT_WORKERS || undefined,
    scryptN: env.GAVEL_SCRYPT_N || undefined,
    store: env.GAVEL_STORE || undefined,
    bus: env.GAVEL_BUS || undefined,
    rateLimits: env.GAVEL_RATE_LIMITS || undefined,
    trustProxy: env.GAVEL_TRUST_PROXY || undefined,
    moderationUrl: env.GAVEL_MODERATION_URL || undefined,
    moderators: env.GAVEL_MODERATORS || undefined,
    webhookAllowPrivate: env.GAVEL_WEBHOOK_ALLOW_PRIVATE || undefined,
    publicUrl: env.GAVEL_PUBLIC_URL || undefined,
    smtpUrl: env.GAVEL_SMTP_URL || undefined,
    mailFrom: env.GAVEL_MAIL_FROM || undefined,
    webhookRetryHours: env.GAVEL_WEBHOOK_RETRY_HOURS || undefined,
    allowedOrigins: env.GAVEL_ALLOWED_ORIGINS || undefined,
    liveVideoSources: env.GAVEL_LIVE_VIDEO_SOURCES || undefined,
    limits: {
      loginFailuresPerUsername: env.GAVEL_LIMIT_LOGIN_FAILURES_PER_USERNAME || undefined,
      loginFailuresPerAddress: env.GAVEL_LIMIT_LOGIN_FAILURES_PER_ADDRESS || undefined,
      signupsPerAddressPerHour: env.GAVEL_LIMIT_SIGNUPS_PER_HOUR || undefined,
      bidsPerUserPerSecond: env.GAVEL_LIMIT_BIDS_PER_SECOND || undefined,
      auctionsPerUserPerHour: env.GAVEL_LIMIT_AUCTIONS_PER_HOUR || undefined,
      streamsPerAddress: env.GAVEL_LIMIT_STREAMS_PER_ADDRESS || undefined,
      streamsPerUser: env.GAVEL_LIMIT_STREAMS_PER_USER || undefined,
      connectionsPerAddress: env.GAVEL_LIMIT_CONNECTIONS_PER_ADDRESS || undefined,
      uploadsPerUserPerDay: env.GAVEL_LIMIT_UPLOADS_PER_DAY || undefined,
    },
  });
  return { ...parsed, databaseFile: resolve(parsed.dataDir, 'gavel.db') };
}
