import { readdirSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

const migrationsDir = new URL('./migrations/', import.meta.url);

/**
 * Applies numbered migrations (`NNN-name.sql`) that have not run yet, each in
 * its own transaction, and records them in `schema_migrations`.
 */
export function migrate(db: Database.Database): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const ran: number[] = [];
  for (const [version, file] of knownMigrations()) {
    if (applied.has(version)) continue;
    const sql = readFileSync(new URL(file, migrationsDir), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        file,
        Date.now(),
      );
    })();
    ran.push(version);
  }
  return ran;
}

/**
 * The migrations this version of Gavel has, oldest first: version → file name, as `schema_migrations`
 * records them (a restore refuses a database that has run one this version does not know).
 */
export function knownMigrations(): Map<number, string> {
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort();
  return new Map(files.map((file) => [Number(file.slice(0, 3)), file]));
}
