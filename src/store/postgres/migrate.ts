import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

const migrationsDir = new URL('./migrations/', import.meta.url);

/**
 * The key of the session-level advisory lock every migrating node takes first ("gave" in ASCII): nodes
 * started at once against an empty database queue on it, and each one after the first finds the
 * migrations applied.
 */
const MIGRATION_LOCK_KEY = 0x67617665;

/**
 * Applies the numbered migrations (`NNN-name.sql`) that have not run yet, each in its own transaction,
 * records them in `schema_migrations`, and returns the versions it applied. Safe to run from several
 * processes at once: everything happens under one advisory lock. This is what `npm run migrate` calls.
 */
export async function migrate(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'gavel-migrate' });
  // An 'error' event without a listener would crash the process; the failing query rejects anyway.
  client.on('error', () => {});
  await client.connect();
  try {
    return await migrateWith(client);
  } finally {
    await client.end();
  }
}

/** `migrate` on a connection the caller owns (and ends). */
export async function migrateWith(client: pg.ClientBase): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const ran: number[] = [];
    for (const file of migrationFiles()) {
      const version = Number(file.slice(0, 3));
      if (applied.has(version)) continue;
      const sql = readFileSync(new URL(file, migrationsDir), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          version,
          file,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
      ran.push(version);
    }
    return ran;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
  }
}

function migrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort();
}
