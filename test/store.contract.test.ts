import { join } from 'node:path';
import { SqliteStore } from '../src/store/index.ts';
import { type StoreUnderTest, storeContract } from './store.contract.ts';
import { tempDir } from './support/harness.ts';

/**
 * Runs the Store contract against every adapter named in GAVEL_TEST_STORES
 * (comma-separated, default "sqlite"). A name without a factory here fails the
 * run: an adapter that is asked for and not tested must not pass silently.
 * A new adapter adds one entry (e.g. `postgres`: a fresh schema per store).
 */
const factories: Record<string, () => Promise<StoreUnderTest>> = {
  /** A real database file in a fresh temp directory (never ':memory:': durability is part of the contract). */
  async sqlite() {
    const dir = tempDir('gavel-store-');
    const filename = join(dir.path, 'gavel.db');
    let current = new SqliteStore({ filename });
    return {
      store: current,
      async reopen() {
        await current.close();
        current = new SqliteStore({ filename });
        return current;
      },
      async cleanup() {
        await current.close();
        dir.remove();
      },
    };
  },
};

const requested = (process.env.GAVEL_TEST_STORES ?? 'sqlite')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name.length > 0);
if (requested.length === 0) throw new Error('GAVEL_TEST_STORES names no store adapter');
const unknown = requested.filter((name) => !Object.hasOwn(factories, name));
if (unknown.length > 0)
  throw new Error(
    `GAVEL_TEST_STORES names unknown store adapter(s): ${unknown.join(', ')} (known: ${Object.keys(factories).join(', ')})`,
  );

for (const name of requested) storeContract(name, factories[name]!);
