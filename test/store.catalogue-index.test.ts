/**
 * The catalogue index's freshness (src/store/indexed-catalogue.ts) on the real adapters: an answer includes
 * every change committed before it, through any store on the same storage; a PostgreSQL transaction that
 * commits after a later one is not skipped; a store too big to wait for answers by SQL until the index is
 * loaded. What the index answers (filters, sorts, facets) is the catalogue contract's, which runs on both
 * paths (store.contract.test.ts).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { IndexedCatalogue } from '../src/store/indexed-catalogue.ts';
import { type AuctionListQuery, NO_FILTERS, type Store } from '../src/store/index.ts';
import { PostgresStore } from '../src/store/postgres/index.ts';
import { SqliteCatalogueSource } from '../src/store/sqlite/catalogue-source.ts';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import { AuctionBook, insertScenarioUsers } from './store.contract.ts';
import { SELLER, T0, makeAuction } from './support/auction-scenarios.ts';
import { tempDir } from './support/harness.ts';
import { TEST_PG_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';

const HOUR = 3_600_000;
let n = 0;
const id = (prefix: string) => `${prefix}-${process.pid}-${++n}`;

function listing(filters: Partial<typeof NO_FILTERS>, overrides: Partial<AuctionListQuery> = {}): AuctionListQuery {
  return {
    status: null,
    sellerId: null,
    terms: [],
    filters: { ...NO_FILTERS, ...filters },
    sort: 'ending_soon',
    limit: 50,
    cursor: null,
    now: T0 + 1,
    ...overrides,
  };
}

const ids = async (store: Store, query: AuctionListQuery) => (await store.listAuctions(query)).items.map((a) => a.id);

interface TwoStores {
  writer: Store;
  reader: Store;
  cleanup(): Promise<void>;
  database?: { url: string };
}

const adapters: Record<string, () => Promise<TwoStores | string>> = {
  async sqlite() {
    const dir = tempDir('gavel-catalogue-index-');
    const filename = join(dir.path, 'gavel.db');
    const writer = new SqliteStore({ filename });
    const reader = new SqliteStore({ filename });
    return {
      writer,
      reader,
      async cleanup() {
        await reader.close();
        await writer.close();
        dir.remove();
      },
    };
  },
  async postgres() {
    const reason = await serviceUnavailable('PostgreSQL (GAVEL_TEST_PG_URL)', TEST_PG_URL);
    if (reason !== null) return reason;
    const database = await createTestDatabase();
    const writer = await PostgresStore.open({ url: database.url });
    const reader = await PostgresStore.open({ url: database.url });
    return {
      writer,
      reader,
      database,
      async cleanup() {
        await reader.close();
        await writer.close();
        await database.drop();
      },
    };
  },
};

for (const [name, open] of Object.entries(adapters)) {
  describe(`catalogue index: ${name}`, () => {
    test('an answer includes every change committed before it through another store (new auction, bid, cancel, item change)', async (t) => {
      const stores = await open();
      if (typeof stores === 'string') return t.skip(stores);
      try {
        const { writer, reader } = stores;
        await insertScenarioUsers(writer);
        const book = new AuctionBook(writer);
        const catalogue = { category: 'clocks', attributes: { maker: 'Junghans' }, location: null };
        const first = await book.insert(
          makeAuction({ id: id('clock'), sellerId: SELLER, startingPrice: 1_000, catalogue }),
        );
        // The reader's index is loaded now, with the first auction.
        assert.deepEqual(await ids(reader, listing({ categories: ['clocks'] })), [first.id]);

        const second = await book.insert(
          makeAuction({ id: id('clock'), sellerId: SELLER, startingPrice: 5_000, endDate: T0 + 2 * HOUR, catalogue }),
        );
        assert.deepEqual(await ids(reader, listing({ categories: ['clocks'] })), [first.id, second.id]);

        await book.commit([{ type: 'bid', auctionId: first.id, bidderId: 'alice', amount: 9_000, now: T0 + 1 }]);
        assert.deepEqual(await ids(reader, listing({ categories: ['clocks'] }, { sort: 'price_desc' })), [
          first.id,
          second.id,
        ]);
        const page = await reader.listAuctions(listing({ minPrice: 8_000 }));
        assert.deepEqual(
          page.items.map((a) => [a.id, a.currentPrice]),
          [[first.id, 9_000]],
        );
        const facets = await reader.auctionFacets({ ...listing({ categories: ['clocks'] }) });
        assert.deepEqual(facets.price, { min: 5_000, max: 9_000 });

        await book.commit([{ type: 'cancel', auctionId: second.id, now: T0 + 2 }]);
        assert.deepEqual(await ids(reader, listing({ categories: ['clocks'] }, { status: 'open' })), [first.id]);

        const renamed = { ...book.state(first.id) };
        const changed = {
          ...renamed,
          version: renamed.version + 1,
          category: 'watches',
          attributes: { maker: 'Stowa' },
        };
        await writer.commitBatch({
          bids: [],
          auctions: [{ before: renamed.version, after: changed, catalogueChanged: true }],
          events: [],
          idempotency: [],
          notifications: [],
        });
        assert.deepEqual(await ids(reader, listing({ categories: ['clocks'] })), [second.id]);
        assert.deepEqual(
          await ids(reader, listing({ attributes: [{ key: 'maker', values: ['stowa'], min: null, max: null }] })),
          [first.id],
        );
      } finally {
        await stores.cleanup();
      }
    });

    test('two stores writing in turn: each lists every auction either wrote, in order', async (t) => {
      const stores = await open();
      if (typeof stores === 'string') return t.skip(stores);
      try {
        const { writer, reader } = stores;
        await insertScenarioUsers(writer);
        const books = [new AuctionBook(writer), new AuctionBook(reader)];
        const catalogue = { category: 'lamps', attributes: {}, location: null };
        const created: string[] = [];
        for (let i = 0; i < 12; i++) {
          const auction = makeAuction({ id: id('lamp'), sellerId: SELLER, endDate: T0 + HOUR + i * 1_000, catalogue });
          await books[i % 2]!.insert(auction);
          created.push(auction.id);
          for (const store of [writer, reader])
            assert.deepEqual(await ids(store, listing({ categories: ['lamps'] })), created, `after ${i + 1}`);
        }
      } finally {
        await stores.cleanup();
      }
    });
  });
}

describe('catalogue index: postgres, commits out of order', () => {
  test('a transaction that began first and commits after a later one is still seen', async (t) => {
    const stores = await adapters.postgres!();
    if (typeof stores === 'string') return t.skip(stores);
    const client = new pg.Client({ connectionString: stores.database!.url });
    await client.connect();
    try {
      const { writer, reader } = stores;
      await insertScenarioUsers(writer);
      const book = new AuctionBook(writer);
      const slow = await book.insert(makeAuction({ id: id('slow'), sellerId: SELLER }));
      assert.deepEqual(await ids(reader, listing({ countries: ['FR'] })), []);

      // A writer's transaction takes its id first and stays open…
      await client.query('BEGIN');
      await client.query(`UPDATE auctions SET country = 'FR' WHERE auction_id = $1`, [slow.id]);
      // …while a later transaction commits and the reader catches up past it.
      const later = await book.insert(
        makeAuction({
          id: id('later'),
          sellerId: SELLER,
          catalogue: { category: null, attributes: {}, location: { country: 'FR', region: null, city: null } },
        }),
      );
      assert.deepEqual(await ids(reader, listing({ countries: ['FR'] })), [later.id]);
      await client.query('COMMIT');
      assert.deepEqual((await ids(reader, listing({ countries: ['FR'] }))).sort(), [slow.id, later.id].sort());
    } finally {
      await client.end();
      await stores.cleanup();
    }
  });
});

describe('catalogue index: loading', () => {
  const dir = tempDir('gavel-catalogue-load-');
  after(() => dir.remove());

  test('while a big store loads, the index does not answer (the store answers by SQL); then it does, with changes made during the load', async () => {
    const filename = join(dir.path, 'gavel.db');
    const store = new SqliteStore({ filename, catalogueIndex: false });
    try {
      await insertScenarioUsers(store);
      const auctions = Array.from({ length: 30 }, (_, i) =>
        makeAuction({ id: id('lot'), sellerId: SELLER, startingPrice: 1_000 + i, endDate: T0 + HOUR + i }),
      );
      await store.insertAuctions(auctions);
      const source = new SqliteCatalogueSource(store.db);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let reads = 0;
      // A source whose full load pauses after its first chunk, so that a change can land meanwhile.
      const paused = Object.assign(Object.create(source) as SqliteCatalogueSource, {
        async rowsAfter(afterSeq: number, limit: number) {
          if (reads++ === 1) await gate;
          return source.rowsAfter(afterSeq, limit);
        },
      });
      const index = new IndexedCatalogue(paused, { waitForLoadUpTo: 10, loadChunk: 10 });
      const query = { ...listing({}), after: null };
      assert.equal(await index.list(query), null, 'not loaded: the caller answers');
      const late = makeAuction({ id: id('late'), sellerId: SELLER, startingPrice: 1, endDate: T0 + 30 * 60_000 });
      await store.insertAuctions([late]);
      release();
      let page = await index.list(query);
      for (let i = 0; page === null && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        page = await index.list(query);
      }
      assert.ok(page !== null, 'loaded');
      assert.equal(page.items.length, 31);
      assert.equal(page.items[0]!.id, late.id, 'the auction stored during the load, soonest end first');
      assert.deepEqual(
        page.items.map((a) => a.id),
        (await store.listAuctions(listing({}))).items.map((a) => a.id),
        'the same answer as the SQL',
      );
    } finally {
      await store.close();
    }
  });
});
