/**
 * The SQLite adapter's search, beyond the Store contract: it runs on a reader thread, migration 002
 * rebuilds the full-text index of an existing database (with its prefix index), a prefix shared by too many
 * indexed words matches the whole word only, and terms are split exactly as the index splits words.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Auction } from '../src/domain/index.ts';
import { type AuctionListQuery } from '../src/store/index.ts';
import { SqliteStore, type SqliteStoreOptions } from '../src/store/sqlite/index.ts';
import { SEARCH_TOKENIZER } from '../src/store/sqlite/auction-listing.ts';
import { auctionColumns } from '../src/store/sqlite/sqlite-writer.ts';
import { makeAuction } from './support/auction-scenarios.ts';
import { tempDir } from './support/harness.ts';

const migrations = new URL('../src/store/sqlite/migrations/', import.meta.url);

let counter = 0;
function auction(name: string, description = ''): Auction {
  return makeAuction({ id: `search-${process.pid}-${++counter}`, item: { name, description, imageUrl: null } });
}

/** An auction row as version 1 of the schema had it (later migrations add columns). */
function insertRow(db: Database.Database, a: Auction): void {
  const { buyNow: _buyNow, bidCount: _bidCount, ...columns } = auctionColumns(a);
  db.prepare(
    `INSERT INTO auctions (id, seller_id, lifecycle, start_date, end_date, due_at, list_price, created_at, version, item_name, item_description, state)
     VALUES (@id, @sellerId, @lifecycle, @startDate, @endDate, @dueAt, @listPrice, @createdAt, @version, @itemName, @itemDescription, @state)`,
  ).run({
    ...columns,
    sellerId: a.sellerId,
    startDate: a.startDate,
    createdAt: a.createdAt,
    itemName: a.item.name,
    itemDescription: a.item.description,
  });
}

function query(terms: string[]): AuctionListQuery {
  return { status: null, sellerId: null, terms, sort: 'newest', limit: 100, cursor: null, now: Date.now() };
}

async function withStore(
  options: Omit<SqliteStoreOptions, 'filename'>,
  fn: (store: SqliteStore) => Promise<void>,
): Promise<void> {
  const dir = tempDir('gavel-search-');
  const store = new SqliteStore({ filename: join(dir.path, 'gavel.db'), ...options });
  try {
    await fn(store);
  } finally {
    await store.close();
    dir.remove();
  }
}

async function names(store: SqliteStore, ...terms: string[]): Promise<string[]> {
  return (await store.listAuctions(query(terms))).items.map((a) => a.item.name).sort();
}

describe('SQLite search', () => {
  test('listings run off the event loop (on a reader thread): the loop turns while one is answered', async () => {
    await withStore({}, async (store) => {
      await store.listAuctions(query([])); // the reader thread is started
      let turned = false;
      setImmediate(() => (turned = true));
      await store.listAuctions(query(['leica']));
      assert.ok(turned, 'a listing answered without letting the event loop turn ran on it');
    });
  });

  test('migration 002 rebuilds the full-text index of a database written at version 1, and it stays maintained', async () => {
    const dir = tempDir('gavel-search-migration-');
    const filename = join(dir.path, 'gavel.db');
    try {
      // A database as version 1 left it, with auctions in it.
      const v1 = new Database(filename);
      v1.pragma('journal_mode = WAL');
      v1.exec(
        'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
      );
      v1.exec(readFileSync(new URL('001-initial.sql', migrations), 'utf8'));
      v1.prepare("INSERT INTO schema_migrations VALUES (1, '001-initial.sql', 0)").run();
      v1.prepare("INSERT INTO users VALUES ('seller', 'seller', 'Seller', 'x', 0)").run();
      const old = [auction('Leica M6', 'Boxed, 1986'), auction('Leather strap', 'fits a Leica camera')];
      for (const a of old) insertRow(v1, a);
      v1.close();

      const store = new SqliteStore({ filename });
      try {
        const ddl = store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'auctions_fts'").pluck().get();
        assert.match(String(ddl), /prefix\s*=\s*'3'/);
        assert.ok(String(ddl).includes(`'${SEARCH_TOKENIZER}'`), 'terms are tokenized as the index tokenizes');
        // The rebuilt index agrees with its content table, row for row.
        store.db.prepare("INSERT INTO auctions_fts (auctions_fts, rank) VALUES ('integrity-check', 1)").run();
        assert.deepEqual(await names(store, 'lei'), ['Leather strap', 'Leica M6']);
        assert.deepEqual(await names(store, 'leica', 'boxed'), ['Leica M6']);
        assert.deepEqual(await names(store, 'camera'), ['Leather strap']);
        assert.deepEqual(await names(store, '1986'), ['Leica M6']);

        // New auctions are indexed by the same triggers.
        await store.insertAuctions([auction('Leitz lens', 'Summicron')]);
        assert.deepEqual(await names(store, 'lei'), ['Leather strap', 'Leica M6', 'Leitz lens']);
        assert.deepEqual(await names(store, 'summ'), ['Leitz lens']);
        store.db.prepare("INSERT INTO auctions_fts (auctions_fts, rank) VALUES ('integrity-check', 1)").run();
      } finally {
        await store.close();
      }
    } finally {
      dir.remove();
    }
  });

  test('a prefix that more indexed words start with than searchPrefixWordsMax matches the whole word only', async () => {
    await withStore({ searchPrefixWordsMax: 3 }, async (store) => {
      await store.insertUser({ id: 'seller', username: 'seller', displayName: 'S', passwordHash: 'x', createdAt: 0 });
      await store.insertAuctions([auction('Zebra set', 'zebra1 zebra2 zebra3 zebra4')]);
      await store.insertAuctions([auction('Zebr', 'a word of its own')]);
      await store.insertAuctions([auction('Quokka print', 'quokka1 quokka2')]);
      // "zebr": five words start with it (zebr, zebra, zebra1…4 minus duplicates): too many, whole word only.
      assert.deepEqual(await names(store, 'zebr'), ['Zebr']);
      assert.deepEqual(await names(store, 'zebra1'), ['Zebra set']);
      // Three characters: read from the prefix index, never too broad.
      assert.deepEqual(await names(store, 'zeb'), ['Zebr', 'Zebra set']);
      // "quok": three words (quokka, quokka1, quokka2): within the limit, a prefix.
      assert.deepEqual(await names(store, 'quok'), ['Quokka print']);
    });
  });

  test('a term is split into words exactly as the index splits them; a trailing piece shorter than 3 characters is a whole word', async () => {
    await withStore({}, async (store) => {
      await store.insertUser({ id: 'seller', username: 'seller', displayName: 'S', passwordHash: 'x', createdAt: 0 });
      await store.insertAuctions([auction('lei x ray')]);
      await store.insertAuctions([auction('lei xylophone')]);
      // U+19B0 is a letter to JavaScript's \p{L} but a separator to SQLite's unicode61 tokenizer: the term
      // is the phrase "lei x", and its last word is one letter, so it is no prefix (no one-letter expansion).
      assert.deepEqual(await names(store, 'lei\u19B0x'), ['lei x ray']);
      // A term with nothing the index can read matches nothing (it is not dropped).
      assert.deepEqual(await names(store, '\u19B0'), []);
      assert.deepEqual(await names(store, 'lei', '\u19B0'), []);
    });
  });
});
