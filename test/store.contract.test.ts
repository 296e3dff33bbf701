import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import { PostgresStore } from '../src/store/postgres/index.ts';
import { type StoreUnderTest, storeContract } from './store.contract.ts';
import { tempDir } from './support/harness.ts';
import { serviceUnavailable } from './support/services.ts';

/** The server's maintenance database: test databases are created and dropped from it. */
const PG_URL = process.env.GAVEL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
async function onMaintenanceDb(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Runs the Store contract against every adapter named in GAVEL_TEST_STORES
 * (comma-separated, default "sqlite,postgres"). A name without a factory here fails the
 * run: an adapter that is asked for and not tested must not pass silently. An adapter whose server is
 * not reachable is skipped with the reason, unless GAVEL_REQUIRE_SERVICES=1 (then the run fails).
 */
const factories: Record<string, () => Promise<StoreUnderTest>> = {
  /** A real database file in a fresh temp directory (never ':memory:': durability is part of the contract). */
  async sqlite() {
    const dir = tempDir('gavel-store-');
    const filename = join(dir.path, 'gavel.db');
    let current = new SqliteStore({ filename });
    const others: SqliteStore[] = [];
    return {
      store: current,
      async reopen() {
        await current.close();
        current = new SqliteStore({ filename });
        return current;
      },
      async openAnother() {
        const other = new SqliteStore({ filename });
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
  async postgres() {
    const database = `gavel_test_${randomBytes(6).toString('hex')}`;
    await onMaintenanceDb(`CREATE DATABASE ${database}`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    try {
      let current = await PostgresStore.open({ url: url.href });
      const others: PostgresStore[] = [];
      return {
        store: current,
        async reopen() {
          await current.close();
          current = await PostgresStore.open({ url: url.href });
          return current;
        },
        async openAnother() {
          const other = await PostgresStore.open({ url: url.href });
          others.push(other);
          return other;
        },
        async cleanup() {
          for (const other of others) await other.close();
          await current.close();
          await onMaintenanceDb(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        },
      };
    } catch (error) {
      await onMaintenanceDb(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      throw error;
    }
  },
};

/** Why an adapter cannot be tested here (its server is unreachable), or null. */
const unavailable: Record<string, () => Promise<string | null>> = {
  postgres: () => serviceUnavailable('PostgreSQL (GAVEL_TEST_PG_URL)', PG_URL),
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
  if (reason === null || reason === undefined) storeContract(name, factories[name]!);
  else describe(`Store contract: ${name}`, () => test(`skipped: ${reason}`, (t) => t.skip(reason)));
}
