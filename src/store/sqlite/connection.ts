import Database from 'better-sqlite3';

/**
 * Opens a connection with the settings every Gavel connection shares: WAL (readers never block the
 * writer), synchronous=FULL (a commit is on disk before it returns, power cut included).
 */
export function openConnection(filename: string): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Opens a read-only connection to a database that `openConnection` has already set up (it is in WAL
 * mode, migrated): a reader thread's. It can see every committed transaction and write nothing but its
 * own `temp` schema.
 */
export function openReadOnlyConnection(filename: string): Database.Database {
  const db = new Database(filename, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
