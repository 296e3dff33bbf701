import type { Config } from './config.ts';
import { migrate as migratePostgres } from './store/postgres/index.ts';
import { DatabaseLock, SqliteStore } from './store/sqlite/index.ts';

/**
 * `gavel migrate` (`npm run migrate`): applies the pending schema migrations of the configured store and
 * says what it did. Servers also migrate at start-up (several at once are safe: PostgreSQL migrations run
 * under an advisory lock); this runs them alone, e.g. before a rolling deploy.
 *
 * The embedded database is migrated only while no server runs on it (its lock, database-lock.ts): a
 * running server migrated it when it started, and a newer schema under an older running server could
 * break it. A busy database throws `DatabaseInUseError`.
 */
export async function migrateStore(config: Config): Promise<string> {
  if (config.store !== 'sqlite') {
    const ran = await migratePostgres(config.store);
    return ran.length === 0 ? 'no pending migrations' : `applied migrations ${ran.join(', ')}`;
  }
  const lock = DatabaseLock.acquire(config.databaseFile);
  try {
    // Opening the embedded store migrates it.
    await new SqliteStore({ filename: config.databaseFile, catalogueIndex: false }).close();
    return `migrated ${config.databaseFile}`;
  } finally {
    lock.release();
  }
}
