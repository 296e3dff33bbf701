import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { backupDatabase } from './backup.ts';
import { openConnection } from './connection.ts';
import { SqliteStore } from './sqlite-store.ts';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'gavel-backup-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a backup holds what is committed only in the WAL, while the writer keeps its connection open', async () => {
  const file = join(dir, 'gavel.db');
  await new SqliteStore({ filename: file, catalogueIndex: false }).close();
  // A writer like the server's, that never checkpoints: what it commits stays in gavel.db-wal.
  const writer = openConnection(file);
  try {
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE probe (n INTEGER NOT NULL)');
    const insert = writer.prepare('INSERT INTO probe (n) VALUES (?)');
    for (let n = 1; n <= 500; n++) insert.run(n);
    // The premise: the main file alone does not have them (a copy of gavel.db alone would miss every row).
    copyFileSync(file, join(dir, 'main-only.db'));
    const mainOnly = new Database(join(dir, 'main-only.db'), { readonly: true });
    assert.equal(mainOnly.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'probe'").pluck().get(), 0);
    mainOnly.close();

    const copy = join(dir, 'copy.db');
    const facts = await backupDatabase(file, copy);
    assert.ok(facts.bytes > 0);
    const backup = new Database(copy, { readonly: true });
    try {
      assert.deepEqual(backup.prepare('SELECT count(*) AS n, sum(n) AS total FROM probe').get(), {
        n: 500,
        total: (500 * 501) / 2,
      });
      // One self-contained file: rollback journal, nothing to carry beside it.
      assert.equal(backup.pragma('journal_mode', { simple: true }), 'delete');
      assert.deepEqual(backup.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      backup.close();
    }
    // The live database was only read: its writer goes on.
    insert.run(501);
  } finally {
    writer.close();
  }
});

test('a backup finishes while another connection commits all the time', async () => {
  // better-sqlite3's default backup copies 100 pages a step, and SQLite restarts a backup whenever another
  // connection commits between two steps. Measured on a 50 MB database with a commit every 5 ms from another
  // process, it restarted 2,869 times in 15 s and never finished; in one step it took 77 ms. Here, against
  // this writer, the stepped backup did not finish in 30 s, the one-step backup in under a second.
  const file = join(dir, 'busy.db');
  const seed = openConnection(file);
  seed.exec(
    'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  seed.exec('CREATE TABLE auctions (id TEXT PRIMARY KEY); CREATE TABLE bids (id TEXT PRIMARY KEY, note TEXT)');
  const insert = seed.prepare('INSERT INTO bids (id, note) VALUES (?, ?)');
  seed.transaction(() => {
    for (let n = 0; n < 120_000; n++) insert.run(`seed-${n}`, 'x'.repeat(200));
  })();
  seed.close();

  // A writer thread with a connection of its own, committing one row after another until told to stop
  // (without fsync, so that commits come faster than backup steps).
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const writer = new Worker(
    `const { workerData } = require('node:worker_threads');
     const Database = require(workerData.betterSqlite3);
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 5000');
     db.pragma('synchronous = OFF');
     const insert = db.prepare('INSERT INTO bids (id, note) VALUES (?, ?)');
     const state = workerData.shared;
     for (let n = 0; Atomics.load(state, 0) === 0; n++) {
       insert.run('live-' + n, 'y');
       Atomics.store(state, 1, n + 1);
     }
     db.close();`,
    { eval: true, workerData: { file, shared, betterSqlite3: require.resolve('better-sqlite3') } },
  );
  try {
    while (Atomics.load(shared, 1) < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const before = Atomics.load(shared, 1);
    const backup = backupDatabase(file, join(dir, 'busy-copy.db'));
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 30_000).unref());
    const facts = await Promise.race([backup, deadline]);
    assert.notEqual(facts, 'late', 'the backup did not finish within 30 s while the writer committed');
    if (facts === 'late') return;
    assert.ok(facts.bids >= 120_000 + before, `${facts.bids} bids in the copy`);
  } finally {
    Atomics.store(shared, 0, 1);
    Atomics.notify(shared, 0);
    await new Promise((resolve) => writer.once('exit', resolve));
  }
});
