import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Another process holds the lock: a server is using the database (or a restore is replacing it). */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
  constructor(
    readonly databaseFile: string,
    readonly lockFile: string,
  ) {
    super(`${databaseFile} is in use by another Gavel process (it holds ${lockFile})`);
  }
}

/** The lock file beside a database: `gavel.db` → `gavel.db.lock`. */
export const lockFileOf = (databaseFile: string): string => `${databaseFile}.lock`;

/**
 * Says that one process owns a data directory's database: the server holds it while it runs, and a
 * restore while it replaces the file, so a restore never swaps the database under a running server and a
 * server never starts on a half-restored one.
 *
 * The lock is SQLite's own EXCLUSIVE lock on an empty database file beside the real one (`gavel.db.lock`),
 * taken by a transaction that is never committed. It is an fcntl lock: the kernel drops it when its
 * process ends, however it ends (`kill -9` and power cuts included), so a lock is never stale and a
 * lock file left on disk means nothing. SQLite tracks the lock per file inside one process too, so two
 * holders in one process conflict like two processes. Never open the lock file other than through SQLite:
 * closing any descriptor of a file drops the process's fcntl locks on it.
 *
 * The database itself cannot serve as the lock: in WAL mode readers and the writer share it by design.
 */
export class DatabaseLock {
  private constructor(
    private readonly connection: Database.Database,
    readonly lockFile: string,
  ) {}

  /**
   * Takes the lock at once, or throws `DatabaseInUseError` (it never waits). Creates the database's
   * directory if it is missing, as opening the store would.
   */
  static acquire(databaseFile: string): DatabaseLock {
    const lockFile = lockFileOf(databaseFile);
    mkdirSync(dirname(lockFile), { recursive: true });
    const connection = new Database(lockFile);
    try {
      connection.pragma('busy_timeout = 0');
      // Nothing is ever written: no journal file either (one left by a kill -9 would only be litter).
      connection.pragma('journal_mode = MEMORY');
      connection.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      connection.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(databaseFile, lockFile);
      throw error;
    }
    return new DatabaseLock(connection, lockFile);
  }

  /** Lets the next process take it (ending the process does the same). */
  release(): void {
    if (this.connection.open) this.connection.close();
  }
}
