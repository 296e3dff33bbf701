import { loadConfig } from './config.ts';
import { migrate as migratePostgres } from './store/postgres/index.ts';
import { SqliteStore } from './store/sqlite/index.ts';

/**
 * `npm run migrate`: applies the pending schema migrations of the configured store and exits. Servers
 * also migrate at start-up (several at once are safe: PostgreSQL migrations run under an advisory lock);
 * this runs them alone, e.g. before a rolling deploy.
 */
const config = loadConfig();
if (config.store === 'sqlite') {
  // Opening the embedded store migrates it.
  await new SqliteStore({ filename: config.databaseFile }).close();
  console.log(`migrated ${config.databaseFile}`);
} else {
  const ran = await migratePostgres(config.store);
  console.log(ran.length === 0 ? 'no pending migrations' : `applied migrations ${ran.join(', ')}`);
}
