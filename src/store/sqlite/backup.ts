import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseLock, lockFileOf } from './database-lock.ts';
import { knownMigrations } from './migrate.ts';

/** A backup or restore that was not done, and why (the message is for the operator). */
export class BackupRefusedError extends Error {
  override readonly name = 'BackupRefusedError';
}

/** What a Gavel database holds, as a backup or restore reports it. */
export interface DatabaseFacts {
  /** Its file, as given. */
  file: string;
  /** The newest schema migration it has run. */
  schemaVersion: number;
  auctions: number;
  bids: number;
  bytes: number;
}

export interface RestoreResult extends DatabaseFacts {
  /** Where the database that the restore replaced was kept (null: there was none). */
  replaced: string | null;
  /** The newest schema version this Gavel knows: a server migrates an older restored database at start-up. */
  currentSchemaVersion: number;
}

/** Pages per `backup.transfer` step after the first: every remaining page, so the copy is one step. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies a live database into `destination` with SQLite's online backup API, on a connection of its own
 * (any process may run it: the server keeps serving and bids keep committing).
 *
 * Why it is consistent, and why it finishes:
 * - The copy is made in ONE backup step. A step reads under one read transaction, and in WAL mode a read
 *   transaction sees one committed state (the database file plus the WAL frames committed before it
 *   began), whatever the writer thread commits meanwhile: the copy is that state, every bid acknowledged
 *   before the step began included (acknowledged means committed, see the sequencer).
 * - better-sqlite3 copies 100 pages per step by default, and SQLite restarts a backup from the first page
 *   whenever another connection writes between two steps: under a steady stream of bids such a backup
 *   would restart forever.
 * - The reader never blocks the writer (WAL). While the copy runs, checkpoints cannot move the WAL past
 *   the copy's snapshot, so the WAL grows by what is committed meanwhile and shrinks at a later checkpoint.
 *
 * The copy is written beside `destination`, checked (`PRAGMA quick_check`), switched to a rollback journal
 * (one self-contained file, no `-wal` to carry along), synced, and only then renamed over `destination`:
 * an interrupted backup never leaves a partial file under the backup's name.
 */
export async function backupDatabase(databaseFile: string, destination: string): Promise<DatabaseFacts> {
  const target = resolve(destination);
  const own = [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, lockFileOf(databaseFile)].map((f) =>
    resolve(f),
  );
  if (own.includes(target)) throw new BackupRefusedError(`${destination} is the database itself or one of its files`);
  if (!existsSync(dirname(target))) throw new BackupRefusedError(`the directory of ${destination} does not exist`);
  const source = openExisting(databaseFile, 'database');
  const partial = `${target}.${process.pid}.partial`;
  try {
    await copyInOneStep(source, partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  let copied: DatabaseFacts;
  try {
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      // A newer Gavel's database is still backed up; only a restore needs to know the schema.
      copied = facts(copy, destination, { requireKnownSchema: false });
    } finally {
      copy.close();
    }
    syncFile(partial);
    renameSync(partial, target);
    syncFile(dirname(target));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { ...copied, bytes: statSync(target).size };
}

/**
 * Puts a backup in place of the database: checks that it is a Gavel database this version can run
 * (`schema_migrations` has no migration it does not know) and that SQLite finds it sound, takes the
 * database's lock (refused while a server runs on it: `DatabaseInUseError`), copies the backup beside the
 * database, keeps the database it replaces as `gavel.db.replaced-<time>`, and moves the copy into place.
 * The backup file itself is only read.
 *
 * At every moment `gavel.db` is either the old database, whole, or the new one: the old one's WAL is
 * first checkpointed into it, the kept name is a second link to it, and the copy replaces it in one
 * rename. (Should the old database be too damaged to checkpoint, it is moved aside with its WAL instead,
 * and a crash at that moment leaves no `gavel.db` until the restore is run again.)
 */
export async function restoreDatabase(backupFile: string, databaseFile: string): Promise<RestoreResult> {
  if (resolve(backupFile) === resolve(databaseFile))
    throw new BackupRefusedError(`${backupFile} is the database itself`);
  const source = openExisting(backupFile, 'backup');
  try {
    const restored = { ...facts(source, backupFile, { requireKnownSchema: true }), bytes: statSync(backupFile).size };
    const lock = DatabaseLock.acquire(databaseFile);
    try {
      const incoming = `${databaseFile}.restoring`;
      rmSync(incoming, { force: true });
      try {
        await copyInOneStep(source, incoming);
        syncFile(incoming);
      } catch (error) {
        rmSync(incoming, { force: true });
        throw error;
      }
      let replaced: string | null = null;
      if (existsSync(databaseFile)) {
        replaced = `${databaseFile}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        if (checkpointFully(databaseFile)) linkSync(databaseFile, replaced);
        else {
          // Its WAL may hold committed transactions: it goes along, under the name SQLite looks for
          // beside the kept file.
          if (existsSync(`${databaseFile}-wal`)) renameSync(`${databaseFile}-wal`, `${replaced}-wal`);
          renameSync(databaseFile, replaced);
        }
      }
      // A WAL or WAL index left beside the name would be read as the new database's own.
      rmSync(`${databaseFile}-wal`, { force: true });
      rmSync(`${databaseFile}-shm`, { force: true });
      renameSync(incoming, databaseFile);
      syncFile(dirname(resolve(databaseFile)));
      return { ...restored, replaced, currentSchemaVersion: Math.max(...knownMigrations().keys()) };
    } finally {
      lock.release();
    }
  } finally {
    source.close();
  }
}

/**
 * Moves everything in a database's WAL into the database file (no server runs on it: the caller holds
 * its lock). True when nothing is left in the WAL; false when that could not be done (a damaged file).
 */
function checkpointFully(databaseFile: string): boolean {
  try {
    const db = new Database(databaseFile, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 0) return false;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
  return !existsSync(`${databaseFile}-wal`) || statSync(`${databaseFile}-wal`).size === 0;
}

function openExisting(file: string, what: 'database' | 'backup'): Database.Database {
  if (!existsSync(file)) throw new BackupRefusedError(`no ${what} at ${file}`);
  try {
    // Read-only: a backup never writes to the live database, and a restore never to the backup.
    const db = new Database(file, { readonly: true, fileMustExist: true });
    // Opening a WAL database may meet a checkpoint's brief exclusive moment; wait for it like the server does.
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    throw new BackupRefusedError(`${file} cannot be opened as a SQLite database: ${(error as Error).message}`);
  }
}

/** `source` copied into a new file `destination`, in one backup step (see backupDatabase). */
async function copyInOneStep(source: Database.Database, destination: string): Promise<void> {
  // The first step sizes the copy and transfers nothing; the return value sets the size of every next one.
  await source.backup(destination, { progress: () => ALL_PAGES });
}

/**
 * Checks that `db` is a Gavel database that SQLite finds sound and, if asked, one whose every schema
 * migration this version knows; counts what it holds.
 */
function facts(db: Database.Database, file: string, options: { requireKnownSchema: boolean }): DatabaseFacts {
  const name = basename(file);
  let tables: Set<string>;
  try {
    tables = new Set(
      (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
  } catch (error) {
    throw new BackupRefusedError(`${name} is not a SQLite database: ${(error as Error).message}`);
  }
  if (!tables.has('schema_migrations') || !tables.has('auctions') || !tables.has('bids'))
    throw new BackupRefusedError(`${name} is not a Gavel database (it has no schema_migrations, auctions or bids)`);
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
  }[];
  const known = knownMigrations();
  const unknown = applied.filter((row) => known.get(row.version) !== row.name);
  if (options.requireKnownSchema && unknown.length > 0)
    throw new BackupRefusedError(
      `${name} has schema migrations this version of Gavel does not know (${unknown.map((row) => row.name).join(', ')}); ` +
        `it knows up to ${Math.max(...known.keys())}: use the Gavel version that made it`,
    );
  // quick_check: every page and record readable and well-formed, in time linear in the size (the full
  // integrity_check also cross-checks every index against its table, which takes much longer).
  const problems = (db.pragma('quick_check(10)') as { quick_check: string }[]).map((row) => row.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok')
    throw new BackupRefusedError(`${name} is damaged: ${problems.join('; ')}`);
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    file,
    schemaVersion: applied.at(-1)?.version ?? 0,
    auctions: count('auctions'),
    bids: count('bids'),
    bytes: 0,
  };
}

/** fsync a file or directory: a rename is durable only once its directory is. */
function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
