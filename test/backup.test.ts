import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startBidStorm } from './support/bid-storm.ts';
import { type ChildServer, allBids, call, httpUser, startChildServer } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';

/**
 * `gavel backup` and `gavel restore` of the embedded store, run as an operator runs them: real processes
 * of the `gavel` command next to a real server process.
 */

const gavelBin = fileURLToPath(new URL('../bin/gavel.js', import.meta.url));
const dirs: { remove(): void }[] = [];
const servers: ChildServer[] = [];
after(async () => {
  for (const server of servers) if (server.process.exitCode === null) await server.kill9();
  for (const dir of dirs) dir.remove();
});
function dir(prefix: string) {
  const made = tempDir(prefix);
  dirs.push(made);
  return made.path;
}

/** Runs `gavel <args>` in a process of its own on the data directory `dataDir`. */
function gavel(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, GAVEL_DATA_DIR: dataDir };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [gavelBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

test('a backup taken during a bid storm restores every bid answered before it began', async (t) => {
  const liveDir = dir('gavel-backup-live-');
  const server = await startChildServer(liveDir, { GAVEL_RATE_LIMITS: 'off' });
  servers.push(server);
  const seller = await httpUser(server.url, 'backup_seller');
  const bidders = await Promise.all(Array.from({ length: 8 }, (_, i) => httpUser(server.url, `backup_bidder_${i}`)));
  const auctionIds: string[] = [];
  for (const name of ['Barometer', 'Sextant', 'Chronometer']) {
    const created = await call(
      `${server.url}/api/v1/auctions`,
      'POST',
      { item: { name }, startingPrice: 1000, endDate: new Date(Date.now() + 3600_000).toISOString() },
      seller.auth,
    );
    assert.equal(created.status, 201);
    auctionIds.push((created.body.auction as { id: string }).id);
  }

  const storm = startBidStorm({ base: server.url, auctionIds, bidders });
  let backup: Awaited<ReturnType<typeof gavel>>;
  let answeredBefore: typeof storm.answered;
  let answeredDuring: number;
  const freshDir = dir('gavel-backup-restored-');
  try {
    await storm.answeredAtLeast(150);
    // Every bid answered before the backup process starts must be in the backup.
    answeredBefore = storm.answered.slice();
    const backupFile = join(dir('gavel-backup-out-'), 'gavel-backup.db');
    backup = await gavel(['backup', backupFile], liveDir);
    answeredDuring = storm.answered.length - answeredBefore.length;
    assert.equal(backup.code, 0, `gavel backup failed:\n${backup.stdout}${backup.stderr}`);
    assert.match(backup.stdout, /backed up .* to .*gavel-backup\.db/);

    // While the server runs, its database is not replaced.
    const refused = await gavel(['restore', backupFile], liveDir);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /in use by another Gavel process/);

    // Restored into a fresh data directory, it is a sound database with every bid answered before.
    const restored = await gavel(['restore', backupFile], freshDir);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    const db = new Database(join(freshDir, 'gavel.db'), { readonly: true });
    try {
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
  } finally {
    await storm.stop();
  }
  t.diagnostic(`bids answered before the backup: ${answeredBefore.length}, while it ran: ${answeredDuring}`);
  t.diagnostic(backup.stdout.trim().split('\n')[0]!);
  assert.ok(answeredDuring > 0, 'no bid was answered while the backup ran: the storm did not go on');
  assert.equal(storm.connectionErrors, 0);
  await server.terminate();

  const restoredServer = await startChildServer(freshDir);
  servers.push(restoredServer);
  for (const auctionId of auctionIds) {
    const stored = new Map((await allBids(restoredServer.url, auctionId)).map((bid) => [bid.id, bid]));
    for (const bid of answeredBefore.filter((b) => b.auctionId === auctionId)) {
      const found = stored.get(bid.bidId);
      assert.ok(found, `bid ${bid.bidId} (${bid.status}), answered before the backup began, is not in it`);
      assert.equal(found.amount, bid.amount);
      assert.equal(found.status, bid.status);
    }
  }
  await restoredServer.terminate();
});

test('restore refuses what is not a Gavel database this version knows, and leaves the database alone', async () => {
  const dataDir = dir('gavel-restore-refusals-');
  const files = dir('gavel-restore-files-');
  // A real database to protect, made by the migrate command.
  assert.equal((await gavel(['migrate'], dataDir)).code, 0);
  const original = readFileSync(join(dataDir, 'gavel.db'));

  writeFileSync(
    join(files, 'notes.txt'),
    'not a database at all, just some text that is long enough to matter\n'.repeat(100),
  );
  const other = new Database(join(files, 'other.db'));
  other.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
  other.close();
  // A Gavel database that a newer version migrated further.
  const backup = await gavel(['backup', join(files, 'newer.db')], dataDir);
  assert.equal(backup.code, 0, backup.stderr);
  const newer = new Database(join(files, 'newer.db'));
  newer.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('999-future.sql');
  newer.close();

  for (const [file, expected] of [
    ['notes.txt', /not a SQLite database/],
    ['other.db', /not a Gavel database/],
    ['newer.db', /999-future\.sql/],
    ['missing.db', /no backup at/],
  ] as const) {
    const result = await gavel(['restore', join(files, file)], dataDir);
    assert.equal(result.code, 1, `${file}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, expected, file);
  }
  assert.deepEqual(readFileSync(join(dataDir, 'gavel.db')), original, 'the database was touched');
  assert.deepEqual(
    readdirSync(dataDir).filter((name) => name.includes('replaced') || name.includes('restoring')),
    [],
  );
});

test('a restore keeps the database it replaces, with what only its WAL held', async () => {
  const dataDir = dir('gavel-restore-keeps-');
  const files = dir('gavel-restore-keeps-files-');
  const server = await startChildServer(dataDir);
  servers.push(server);
  await httpUser(server.url, 'kept_early');
  assert.equal((await gavel(['backup', join(files, 'backup.db')], dataDir)).code, 0);
  await httpUser(server.url, 'kept_late');
  // Killed: what it committed last is in gavel.db-wal, not yet in gavel.db.
  await server.kill9();
  assert.ok(existsSync(join(dataDir, 'gavel.db-wal')));

  const result = await gavel(['restore', join(files, 'backup.db')], dataDir);
  assert.equal(result.code, 0, result.stderr);
  const kept = readdirSync(dataDir).filter((name) => name.startsWith('gavel.db.replaced-'));
  assert.equal(kept.length, 1, readdirSync(dataDir).join(', '));
  assert.match(result.stdout, new RegExp(kept[0]!.replace(/[.]/g, '\\.')));
  const usernames = (file: string) => {
    const db = new Database(join(dataDir, file), { readonly: true });
    try {
      return db.prepare('SELECT username FROM users ORDER BY username').pluck().all();
    } finally {
      db.close();
    }
  };
  assert.deepEqual(usernames(kept[0]!), ['kept_early', 'kept_late']);
  assert.deepEqual(usernames('gavel.db'), ['kept_early']);
});

test('gavel: usage on stderr and exit code 2 for an unknown command or a missing file', async () => {
  const dataDir = dir('gavel-usage-');
  for (const args of [['frobnicate'], [], ['backup'], ['restore', 'a.db', 'b.db']]) {
    const result = await gavel(args, dataDir);
    assert.equal(result.code, 2, `gavel ${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /Usage: gavel <command>/);
    assert.equal(result.stdout, '');
  }
  const help = await gavel(['--help'], dataDir);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /backup <file>/);
});
