/**
 * The Store contract's inventory part (api.md "Inventory sync"): each seller's items under the seller's own
 * ids, and the links from items to the auctions that sell them, pending while an auction shows an older
 * revision than its item's. Run against every adapter by store.contract.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type InventoryContent, inventoryContent } from '../src/domain/index.ts';
import { type InventoryItemInput, InvalidCursorError, type Store } from '../src/store/index.ts';
import type { StoreUnderTest } from './store.contract.ts';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const SECOND = 1000;

function content(name: string, overrides: Partial<InventoryContent> = {}): InventoryContent {
  return inventoryContent({
    name,
    description: `about ${name}`,
    imageUrl: null,
    category: null,
    attributes: {},
    location: null,
    ...overrides,
  });
}

const entry = (externalId: string, name: string, overrides: Partial<InventoryContent> = {}): InventoryItemInput => ({
  externalId,
  content: content(name, overrides),
});

export function inventoryContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  async function withStore(fn: (store: Store, handle: StoreUnderTest) => Promise<void>): Promise<void> {
    const handle = await makeStore();
    try {
      await fn(handle.store, handle);
    } finally {
      await handle.cleanup();
    }
  }

  describe(`Store contract: ${name}: inventory`, () => {
    test('upsert: created at revision 1, unchanged writes nothing, a change is revision + 1', async () => {
      await withStore(async (store) => {
        const full = content('Camry', {
          images: ['https://img.example/1.jpg', 'https://img.example/2.jpg'],
          category: 'vehicles',
          attributes: { year: 2019, make: 'Toyota', runs: true },
          location: { country: 'DE', region: null, city: 'Munich' },
        });
        const [created] = await store.upsertInventoryItems('s1', [{ externalId: 'car-1', content: full }], T0, T0);
        assert.equal(created!.outcome, 'created');
        assert.deepEqual(created!.item, {
          sellerId: 's1',
          externalId: 'car-1',
          content: full,
          revision: 1,
          createdAt: T0,
          updatedAt: T0,
          deletedAt: null,
        });
        // The same content, its attributes in another order: unchanged, nothing written (not even updatedAt).
        const reordered = { ...full, attributes: { runs: true, make: 'Toyota', year: 2019 } };
        const [same] = await store.upsertInventoryItems(
          's1',
          [{ externalId: 'car-1', content: reordered }],
          T0 + SECOND,
          T0,
        );
        assert.equal(same!.outcome, 'unchanged');
        assert.equal(same!.item.revision, 1);
        assert.equal(same!.item.updatedAt, T0);
        const [changed] = await store.upsertInventoryItems(
          's1',
          [entry('car-1', 'Camry, serviced')],
          T0 + 2 * SECOND,
          T0,
        );
        assert.equal(changed!.outcome, 'updated');
        assert.equal(changed!.item.revision, 2);
        assert.equal(changed!.item.createdAt, T0);
        assert.equal(changed!.item.updatedAt, T0 + 2 * SECOND);
        assert.deepEqual((await store.findInventoryItems('s1', ['car-1'])).get('car-1'), changed!.item);
      });
    });

    test('entries apply in array order, an externalId given twice applies twice; one result per entry', async () => {
      await withStore(async (store) => {
        const results = await store.upsertInventoryItems(
          's1',
          [entry('a', 'A'), entry('b', 'B'), entry('a', 'A2'), entry('a', 'A2'), entry('b', 'B')],
          T0,
          T0,
        );
        assert.deepEqual(
          results.map((r) => [r.item.externalId, r.outcome, r.item.revision]),
          [
            ['a', 'created', 1],
            ['b', 'created', 1],
            ['a', 'updated', 2],
            ['a', 'unchanged', 2],
            ['b', 'unchanged', 1],
          ],
        );
        const stored = await store.findInventoryItems('s1', ['a', 'b']);
        assert.equal(stored.get('a')!.content.name, 'A2');
        assert.equal(stored.get('a')!.revision, 2);
        assert.deepEqual(await store.upsertInventoryItems('s1', [], T0, T0), []);
      });
    });

    test("each seller has its own space: the same externalId, two items; another seller's is absent", async () => {
      await withStore(async (store) => {
        await store.upsertInventoryItems('s1', [entry('sku-1', 'One')], T0, T0);
        const [other] = await store.upsertInventoryItems('s2', [entry('sku-1', 'Two')], T0, T0);
        assert.equal(other!.outcome, 'created');
        assert.equal((await store.findInventoryItems('s1', ['sku-1'])).get('sku-1')!.content.name, 'One');
        assert.equal((await store.findInventoryItems('s2', ['sku-1'])).get('sku-1')!.content.name, 'Two');
        assert.equal((await store.findInventoryItems('s3', ['sku-1'])).size, 0);
        assert.equal(await store.deleteInventoryItem('s3', 'sku-1', T0, T0), null);
        assert.equal(await store.linkInventoryAuction(link('s3', 'sku-1', 'a1', 1), T0), false);
        assert.deepEqual(
          (await store.listInventoryItems('s2', 10, null)).items.map((i) => i.content.name),
          ['Two'],
        );
      });
    });

    test('listing: living items in creation order, keyset pages; a cursor is tied to its seller', async () => {
      await withStore(async (store) => {
        const ids = Array.from({ length: 7 }, (_, i) => `item-${i}`);
        await store.upsertInventoryItems(
          's1',
          ids.map((id) => entry(id, id)),
          T0,
          T0,
        );
        await store.upsertInventoryItems('s2', [entry('x', 'x')], T0, T0);
        await store.deleteInventoryItem('s1', 'item-3', T0, T0);
        // A change keeps an item's place.
        await store.upsertInventoryItems('s1', [entry('item-0', 'renamed')], T0, T0);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.listInventoryItems('s1', 2, cursor);
          seen.push(...page.items.map((i) => i.externalId));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null && pages < 10);
        assert.deepEqual(seen, ['item-0', 'item-1', 'item-2', 'item-4', 'item-5', 'item-6']);
        const first = await store.listInventoryItems('s1', 2, null);
        await assert.rejects(store.listInventoryItems('s2', 2, first.nextCursor), InvalidCursorError);
      });
    });

    test('delete: a tombstone (revision + 1) that listings leave out; again is null; a new upsert is created', async () => {
      await withStore(async (store) => {
        await store.upsertInventoryItems('s1', [entry('sku', 'Lamp')], T0, T0);
        const tombstone = await store.deleteInventoryItem('s1', 'sku', T0 + SECOND, T0);
        assert.ok(tombstone);
        assert.equal(tombstone.revision, 2);
        assert.equal(tombstone.deletedAt, T0 + SECOND);
        assert.equal((await store.findInventoryItems('s1', ['sku'])).get('sku')!.deletedAt, T0 + SECOND);
        assert.equal((await store.listInventoryItems('s1', 10, null)).items.length, 0);
        assert.equal(await store.deleteInventoryItem('s1', 'sku', T0 + 2 * SECOND, T0), null);
        assert.equal(await store.linkInventoryAuction(link('s1', 'sku', 'a1', 2), T0), false);
        const [again] = await store.upsertInventoryItems('s1', [entry('sku', 'Lamp')], T0 + 3 * SECOND, T0);
        assert.equal(again!.outcome, 'created');
        assert.equal(again!.item.revision, 3);
        assert.equal(again!.item.createdAt, T0 + 3 * SECOND);
        assert.equal(again!.item.deletedAt, null);
        assert.equal((await store.listInventoryItems('s1', 10, null)).items.length, 1);
      });
    });

    test('links: a change makes every link of the item pending; settling shows the revision (never lowered)', async () => {
      await withStore(async (store) => {
        await store.upsertInventoryItems('s1', [entry('sku', 'v1'), entry('other', 'o')], T0, T0);
        assert.equal(await store.linkInventoryAuction(link('s1', 'sku', 'a1', 1), T0 + 10 * SECOND), true);
        assert.equal(await store.linkInventoryAuction(link('s1', 'sku', 'a2', 1), T0 + 10 * SECOND), true);
        assert.equal(await store.linkInventoryAuction(link('s1', 'other', 'a3', 1), T0 + 10 * SECOND), true);
        assert.equal(await store.linkInventoryAuction(link('s1', 'sku', 'a1', 1), T0), true, 'again: no change');
        assert.equal(await store.linkInventoryAuction(link('s1', 'missing', 'a4', 1), T0), false);
        assert.deepEqual(await store.claimInventoryLinks(T0 + HOURS, T0 + HOURS, 10), [], 'nothing pending');

        await store.upsertInventoryItems('s1', [entry('sku', 'v2')], T0 + SECOND, T0 + 2 * SECOND);
        const links = (await store.inventoryLinksOf('s1', ['sku', 'other'])).sort((a, b) =>
          a.auctionId.localeCompare(b.auctionId),
        );
        assert.deepEqual(
          links.map((l) => [l.auctionId, l.shownRevision, l.itemRevision]),
          [
            ['a1', 1, 2],
            ['a2', 1, 2],
            ['a3', 1, 1],
          ],
        );
        assert.equal(links[0]!.nextAttemptAt, T0 + 2 * SECOND);
        assert.deepEqual(await store.claimInventoryLinks(T0 + SECOND, T0 + 5 * SECOND, 10), [], 'not due yet');

        await store.settleInventoryLinks([
          { sellerId: 's1', externalId: 'sku', auctionId: 'a1', shownRevision: 2, over: false },
          { sellerId: 's1', externalId: 'sku', auctionId: 'a2', shownRevision: 2, over: true },
          { sellerId: 's1', externalId: 'sku', auctionId: 'unknown', shownRevision: 2, over: false },
        ]);
        // A late settlement cannot lower what is shown.
        await store.settleInventoryLinks([
          { sellerId: 's1', externalId: 'sku', auctionId: 'a1', shownRevision: 1, over: false },
        ]);
        assert.deepEqual(
          (await store.inventoryLinksOf('s1', ['sku'])).map((l) => [l.auctionId, l.shownRevision, l.itemRevision]),
          [['a1', 2, 2]],
        );
        assert.deepEqual(await store.claimInventoryLinks(T0 + HOURS, T0 + HOURS, 10), []);
      });
    });

    test('claim: due pending links, longest due first, at most limit; leased until leaseUntil', async () => {
      await withStore(async (store) => {
        await store.upsertInventoryItems('s1', [entry('a', 'a'), entry('b', 'b')], T0, T0);
        for (const [item, auction] of [
          ['a', 'x1'],
          ['a', 'x2'],
          ['b', 'x3'],
        ] as const)
          await store.linkInventoryAuction(link('s1', item, auction, 1), T0);
        await store.upsertInventoryItems('s1', [entry('b', 'b2')], T0, T0 + 1 * SECOND);
        await store.upsertInventoryItems('s1', [entry('a', 'a2')], T0, T0 + 2 * SECOND);
        const first = await store.claimInventoryLinks(T0 + 5 * SECOND, T0 + 60 * SECOND, 2);
        assert.equal(first.length, 2);
        assert.ok(
          first.some((l) => l.auctionId === 'x3'),
          'the longest due are taken first',
        );
        assert.ok(first.every((l) => l.nextAttemptAt === T0 + 60 * SECOND && l.itemRevision > l.shownRevision));
        const second = await store.claimInventoryLinks(T0 + 5 * SECOND, T0 + 60 * SECOND, 10);
        assert.equal(second.length, 1, 'the leased ones are not taken again');
        assert.ok(!first.some((l) => l.auctionId === second[0]!.auctionId));
        assert.deepEqual(await store.claimInventoryLinks(T0 + 6 * SECOND, T0 + 60 * SECOND, 10), []);
        // The lease ran out (the claimer died): they come back.
        assert.equal((await store.claimInventoryLinks(T0 + 60 * SECOND, T0 + 120 * SECOND, 10)).length, 3);
      });
    });

    test('a link taken with an older revision than the item has is pending at once; a delete makes links pending', async () => {
      await withStore(async (store) => {
        await store.upsertInventoryItems('s1', [entry('sku', 'v1')], T0, T0);
        await store.upsertInventoryItems('s1', [entry('sku', 'v2')], T0, T0);
        // The auction was built from revision 1; the item moved on before the link.
        assert.equal(await store.linkInventoryAuction(link('s1', 'sku', 'late', 1), T0 + SECOND), true);
        const [late] = await store.claimInventoryLinks(T0 + SECOND, T0 + 9 * SECOND, 10);
        assert.deepEqual([late?.auctionId, late?.shownRevision, late?.itemRevision], ['late', 1, 2]);
        await store.settleInventoryLinks([{ ...late!, shownRevision: 2, over: false }]);

        await store.deleteInventoryItem('s1', 'sku', T0 + 2 * SECOND, T0 + 3 * SECOND);
        const [gone] = await store.claimInventoryLinks(T0 + 3 * SECOND, T0 + 9 * SECOND, 10);
        assert.deepEqual([gone?.auctionId, gone?.shownRevision, gone?.itemRevision], ['late', 2, 3]);
      });
    });

    test('durable: items and pending links survive a reopen', async (t) => {
      const handle = await makeStore();
      try {
        if (!handle.reopen) return t.skip('no reopen');
        await handle.store.upsertInventoryItems('s1', [entry('sku', 'v1')], T0, T0);
        await handle.store.linkInventoryAuction(link('s1', 'sku', 'a1', 1), T0);
        await handle.store.upsertInventoryItems('s1', [entry('sku', 'v2')], T0, T0);
        const store = await handle.reopen();
        assert.equal((await store.findInventoryItems('s1', ['sku'])).get('sku')!.revision, 2);
        assert.equal((await store.claimInventoryLinks(T0, T0 + SECOND, 10)).length, 1);
      } finally {
        await handle.cleanup();
      }
    });

    test('two writers on one storage: one created, revisions never collide, no link claimed twice', async () => {
      const handle = await makeStore();
      try {
        const other = handle.openAnother ? await handle.openAnother() : handle.store;
        const writers = [handle.store, other];
        const outcomes = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            writers[i % 2]!.upsertInventoryItems('s1', [entry('race', `version ${i}`)], T0 + i, T0),
          ),
        );
        const results = outcomes.map((r) => r[0]!);
        assert.equal(results.filter((r) => r.outcome === 'created').length, 1);
        assert.deepEqual(
          results.map((r) => r.item.revision).sort((a, b) => a - b),
          [1, 2, 3, 4, 5, 6],
        );
        const stored = (await handle.store.findInventoryItems('s1', ['race'])).get('race')!;
        assert.equal(stored.revision, 6);
        assert.equal(stored.content.name, results.find((r) => r.item.revision === 6)!.item.content.name);

        for (let i = 0; i < 20; i++) await handle.store.linkInventoryAuction(link('s1', 'race', `a${i}`, 1), T0);
        await handle.store.upsertInventoryItems('s1', [entry('race', 'final')], T0, T0);
        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, i) => writers[i % 2]!.claimInventoryLinks(T0, T0 + 60 * SECOND, 5)),
        );
        const claimed = claims.flat().map((l) => l.auctionId);
        assert.equal(claimed.length, 20);
        assert.equal(new Set(claimed).size, 20, 'no link claimed twice');
      } finally {
        await handle.cleanup();
      }
    });

    test('bulk: a thousand items in one call, then the same thousand unchanged', async () => {
      await withStore(async (store) => {
        const items = Array.from({ length: 1000 }, (_, i) =>
          entry(`bulk-${i}`, `Item ${i}`, { attributes: { n: i }, category: 'bulk' }),
        );
        const started = Date.now();
        const created = await store.upsertInventoryItems('s1', items, T0, T0);
        const unchanged = await store.upsertInventoryItems('s1', items, T0 + SECOND, T0);
        const ms = Date.now() - started;
        assert.ok(created.every((r) => r.outcome === 'created'));
        assert.ok(unchanged.every((r) => r.outcome === 'unchanged' && r.item.updatedAt === T0));
        assert.ok(ms < 5000, `two bulk upserts took ${ms} ms`);
      });
    });
  });
}

const HOURS = 3 * 3600 * SECOND;

function link(sellerId: string, externalId: string, auctionId: string, shownRevision: number) {
  return { sellerId, externalId, auctionId, shownRevision, createdAt: T0 };
}
