import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Bus } from '../src/bus/index.ts';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { RedisBus } from '../src/bus/redis/index.ts';
import { type BusUnderTest, busContract } from './bus.contract.ts';
import { TEST_REDIS_URL, serviceUnavailable } from './support/services.ts';

/**
 * Runs the Bus contract against every adapter named in GAVEL_TEST_BUSES
 * (comma-separated, default "memory,redis"). Redis is the machine's shared
 * server (GAVEL_TEST_REDIS_URL), with a channel prefix of its own per run.
 */
const logger = pino({ level: 'silent' });
const factories: Record<string, { make: () => Promise<BusUnderTest>; skip: () => Promise<string | null> }> = {
  memory: {
    async make() {
      const bus = new MemoryBus(logger);
      return { open: () => bus, cleanup: () => bus.close() };
    },
    skip: async () => null,
  },
  redis: {
    async make() {
      const prefix = `gavel-test-${randomUUID()}:`;
      const buses: Bus[] = [];
      return {
        open() {
          const bus = new RedisBus({ url: TEST_REDIS_URL, logger, prefix });
          buses.push(bus);
          return bus;
        },
        async cleanup() {
          await Promise.all(buses.map((b) => b.close()));
        },
      };
    },
    skip: () => serviceUnavailable('Redis', TEST_REDIS_URL),
  },
};

const requested = (process.env.GAVEL_TEST_BUSES ?? 'memory,redis')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name.length > 0);
const unknown = requested.filter((name) => !Object.hasOwn(factories, name));
if (requested.length === 0 || unknown.length > 0)
  throw new Error(`GAVEL_TEST_BUSES: unknown or no adapter (${unknown.join(', ')}; known: memory, redis)`);

for (const name of requested) busContract(name, factories[name]!.make, factories[name]!.skip);
