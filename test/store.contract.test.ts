import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import { PostgresStore } from '../src/store/postgres/index.ts';
import { type StoreUnderTest, storeContract } from './store.contract.ts';
import { inventoryContract } from './store.contract-inventory.ts';
import { watchlistContract } from './store.contract-watchlist.ts';
import { catalogueContract } from './store.contract-catalogue.ts';
import { webhookContract } from './store.contract-webhooks.ts';
import { emailContract } from './store.contract-email.ts';
import { tempDir } from './support/harness.ts';
import { TEST_PG_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';

/**
 * Runs the Store contract against every adapter named in GAVEL_TEST_STORES
 * (comma-separated, default "sqlite,postgres"). A name without a factory here fails the
 * run: an adapter that is asked for and not tested must not pass silently. An adapter whose server is
 * not reachable is skipped with the reason, unless GAVEL_REQUIRE_SERVICES=1 (then the run fails).
 */
const factories: Record<string, (options?: { catalogueIndex?: boolean }) => Promise<StoreUnderTest>> = {
  /** A real database file in a fresh temp directory (never ':memory:': durability is part of the contract). */
  async sqlite(options = {}) {
    const dir = tempDir('gavel-store-');
    const filename = join(dir.path, 'gavel.db');
    let current = new SqliteStore({ filename, ...options });
    const others: SqliteStore[] = [];
    return {
      store: current,
      async reopen() {
        await current.close();
        current = new SqliteStore({ filename, ...options });
        return current;
      },
      async openAnother() {
        const other = new SqliteStore({ filename, ...options });
        others.push(other);
        return other;
      },
      async cleanup() {
        for (const other of others) await other.close();
        await current.close();
        dir.remove();
      },
    };
  },

  /**
   * A fresh database per store (CREATE DATABASE gavel_test_<random> on GAVEL_TEST_PG_URL's server), migrated
   * by the store itself; dropped WITH (FORCE) afterwards, whatever connections are left.
   */
  async postgres(options = {}) {
    const database = await createTestDatabase();
    try {
      let current = await PostgresStore.open({ url: database.url, ...options });
      const others: PostgresStore[] = [];
      return {
        store: current,
        async reopen() {
          await current.close();
          current = await PostgresStore.open({ url: database.url, ...options });
          return current;
        },
        async openAnother() {
          const other = await PostgresStore.open({ url: database.url, ...options });
          others.push(other);
          return other;
        },
        async cleanup() {
          for (const other of others) await other.close();
          await current.close();
          await database.drop();
        },
      };
    } catch (error) {
      await database.drop();
      throw error;
    }
  },
};

/** Why an adapter cannot be tested here (its server is unreachable), or null. */
const unavailable: Record<string, () => Promise<string | null>> = {
  postgres: () => serviceUnavailable('PostgreSQL (GAVEL_TEST_PG_URL)', TEST_PG_URL),
};

const requested = (process.env.GAVEL_TEST_STORES ?? 'sqlite,postgres')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name.length > 0);
if (requested.length === 0) throw new Error('GAVEL_TEST_STORES names no store adapter');
const unknown = requested.filter((name) => !Object.hasOwn(factories, name));
if (unknown.length > 0)
  throw new Error(
    `GAVEL_TEST_STORES names unknown store adapter(s): ${unknown.join(', ')} (known: ${Object.keys(factories).join(', ')})`,
  );

for (const name of requested) {
  const reason = await unavailable[name]?.();
  if (reason === null || reason === undefined) {
    const factory = factories[name]!;
    storeContract(name, () => factory());
    // Listings and facets have two paths: the catalogue index (the default) and the SQL (searches, and
    // until the index is loaded). Both answer the same contract.
    catalogueContract(name, () => factory());
    catalogueContract(`${name} (SQL, no catalogue index)`, () => factory({ catalogueIndex: false }));
    watchlistContract(name, () => factory());
    inventoryContract(name, () => factory());
    webhookContract(name, () => factory());
    emailContract(name, () => factory());
  } else describe(`Store contract: ${name}`, () => test(`skipped: ${reason}`, (t) => t.skip(reason)));
}
