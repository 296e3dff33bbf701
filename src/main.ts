import pino from 'pino';
import { MemoryBus } from './bus/index.ts';
import { SystemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { buildApp } from './http/index.ts';
import { createMetrics } from './metrics.ts';
import { SqliteStore } from './store/index.ts';

/** Builds real clients from the configuration and serves until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const store = new SqliteStore({ filename: config.databaseFile });
  const { app } = await buildApp({
    store,
    bus: new MemoryBus(logger),
    clock: new SystemClock(),
    logger,
    metrics: createMetrics(),
    groupCommit: config.groupCommit === 'on',
    sessionTtlMs: config.sessionTtlHours * 3600 * 1000,
    heartbeatMs: config.heartbeatMs,
    auctionCacheSize: config.auctionCacheSize,
    scryptCost: { N: config.scryptN, r: 8, p: 1 },
  });
  await app.listen({ port: config.port, host: config.host });
  logger.info({ database: config.databaseFile, groupCommit: config.groupCommit }, 'gavel is serving');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing bids in flight');
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
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
