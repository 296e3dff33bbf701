import type { Socket } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { Redis } from 'ioredis';
import { MemoryBus } from './bus/memory/index.ts';
import { RedisBus } from './bus/redis/index.ts';
import { SystemClock } from './clock.ts';
import type { Config } from './config.ts';
import { type GavelApp, buildApp } from './http/index.ts';
import { createMetrics } from './metrics.ts';
import { fileTransport, smtpTransport } from './email/transport.ts';
import { HttpModerator } from './moderation/index.ts';
import { PostgresStore } from './store/postgres/index.ts';
import { DatabaseLock, SqliteStore } from './store/sqlite/index.ts';

/** After SIGTERM, connections still open this long are cut (ms). */
const SHUTDOWN_CUT_CONNECTIONS_MS = 7000;
/** After SIGTERM, the process exits (code 1) if the shutdown has not finished by then (ms). */
const SHUTDOWN_EXIT_MS = 9500;

/**
 * Builds the real service from a configuration and serves it until SIGTERM
 * or SIGINT, then shuts down gracefully (used by main.ts and the demo).
 */
export async function startServer(config: Config): Promise<GavelApp & { url: string }> {
  const logger = pino({ level: config.logLevel });
  const redisUrl = config.bus === 'memory' ? null : config.bus;
  // One server per embedded database, held for the process's life: a second server on the same data
  // directory, or a `gavel restore` into it, is refused instead of corrupting what this one serves.
  const lock = config.store === 'sqlite' ? DatabaseLock.acquire(config.databaseFile) : null;
  const store =
    config.store === 'sqlite'
      ? new SqliteStore({ filename: config.databaseFile, catalogueIndex: config.catalogueIndex === 'on' })
      : await PostgresStore.open({ url: config.store, catalogueIndex: config.catalogueIndex === 'on' });
  const gavel = await buildApp({
    store,
    bus: redisUrl === null ? new MemoryBus(logger) : new RedisBus({ url: redisUrl, logger }),
    // Rate-limit counters shared by every node; while Redis is down, each node counts alone.
    redis:
      redisUrl === null
        ? undefined
        : new Redis(redisUrl, {
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            retryStrategy: (n) => Math.min(1000, 50 * n),
          }),
    clock: new SystemClock(),
    logger,
    metrics: createMetrics({ catalogueIndexSize: () => store.catalogueIndex().auctions }),
    groupCommit: config.groupCommit === 'on',
    sessionTtlMs: config.sessionTtlHours * 3600 * 1000,
    heartbeatMs: config.heartbeatMs,
    fanoutWorkers: config.fanoutWorkers,
    auctionCacheSize: config.auctionCacheSize,
    scryptCost: { N: config.scryptN, r: 8, p: 1 },
    uploadsDir: join(config.dataDir, 'uploads'),
    limits: { ...config.limits, enabled: config.rateLimits === 'on' },
    trustProxy: config.trustProxy,
    moderator: config.moderationUrl === undefined ? null : new HttpModerator({ url: config.moderationUrl }),
    moderators: config.moderators,
    allowedOrigins: config.allowedOrigins,
    liveVideoSources: config.liveVideoSources.length > 0 ? config.liveVideoSources : undefined,
    mail: {
      publicUrl:
        config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
      transport:
        config.smtpUrl === undefined
          ? fileTransport(join(config.dataDir, 'mail'), logger)
          : smtpTransport(config.smtpUrl),
      ...(config.mailFrom === undefined ? {} : { from: config.mailFrom }),
    },
    webhooks: {
      allowPrivate: config.webhookAllowPrivate === 'true',
      retryForMs: config.webhookRetryHours * 3_600_000,
    },
  });
  const { app } = gavel;
  // After the app's own onClose hooks: the store is closed by then.
  app.addHook('onClose', async () => lock?.release());
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    {
      store: config.store === 'sqlite' ? config.databaseFile : 'postgres',
      bus: config.bus === 'memory' ? 'memory' : 'redis',
      groupCommit: config.groupCommit,
      rateLimits: config.rateLimits,
    },
    'gavel is serving',
  );

  // Every open connection, so that shutdown can cut the ones that outlive its graceful steps.
  const connections = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing bids in flight');
    // The graceful steps answer every queued bid and ask every stream to reconnect elsewhere. A connection
    // that outlives them (a request that never ends, a client caught mid-upgrade) would hold app.close()
    // forever: it is cut so that the stores still close, and a shutdown stuck anyway ends the process.
    setTimeout(() => {
      logger.warn({ connections: connections.size }, 'shutdown: cutting the connections still open');
      for (const socket of connections) socket.destroy();
    }, SHUTDOWN_CUT_CONNECTIONS_MS).unref();
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_EXIT_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { ...gavel, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}` };
}
