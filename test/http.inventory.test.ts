import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { SystemClock } from '../src/clock.ts';
import { type GavelApp, buildApp } from '../src/http/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { PostgresStore } from '../src/store/postgres/index.ts';
import {
  type AuctionBody,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createTestStorage,
  createUser,
  startTestApp,
  TEST_SCRYPT,
} from './support/harness.ts';
import { TEST_PG_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';
import { expectProblem } from './support/problem.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * Inventory sync (api.md "Inventory sync"): a seller's external system pushes items under its own ids;
 * auctions sell them and follow their changes until they end: in reads at once, and as item_updated events.
 */

interface ItemBody {
  externalId: string;
  name: string;
  description: string;
  imageUrl: string | null;
  images: string[];
  category: string | null;
  attributes: Record<string, unknown>;
  location: { country: string; region: string | null; city: string | null } | null;
  revision: number;
  updatedAt: string;
}

interface SyncBody {
  created: number;
  updated: number;
  unchanged: number;
  failed: { line: number; code: string; detail: string }[];
}

const HOUR = 3600_000;

let t: TestApp;
let seller: TestUser;
let other: TestUser;
let bidder: TestUser;

before(async () => {
  t = await startTestApp({ listen: true, heartbeatMs: 500 });
  seller = await createUser(t.app, 'inv_seller');
  other = await createUser(t.app, 'inv_other');
  bidder = await createUser(t.app, 'inv_bidder');
});
after(() => t.dispose());

const put = (who: TestUser, id: string, payload: unknown) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/v1/inventory/items/${encodeURIComponent(id)}`,
    headers: who.auth,
    payload: payload as object,
  });
const getItem = (who: TestUser, id: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/inventory/items/${encodeURIComponent(id)}`, headers: who.auth });
const deleteItem = (who: TestUser, id: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/v1/inventory/items/${encodeURIComponent(id)}`, headers: who.auth });
const readAuction = async (id: string, who?: TestUser) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${id}`, headers: who?.auth ?? {} });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { auction: AuctionBody & { item: { name: string; description: string } } }).auction;
};
const postAuction = (who: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auctions',
    headers: who.auth,
    payload: { startingPrice: 1000, endDate: new Date(Date.now() + HOUR).toISOString(), ...payload },
  });
const fromInventory = async (who: TestUser, externalId: string, overrides: Record<string, unknown> = {}) => {
  const res = await postAuction(who, { itemExternalId: externalId, ...overrides });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { auction: AuctionBody & { item: { name: string } } }).auction;
};
const sync = (who: TestUser, body: string | Buffer, contentType = 'application/x-ndjson') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/inventory/sync',
    headers: { ...who.auth, 'content-type': contentType },
    payload: body,
  });
let counter = 0;
const freshId = (prefix = 'sku') => `${prefix}-${++counter}.A:b_c`;

const car = {
  name: 'Toyota Camry',
  description: 'One owner',
  images: ['https://img.example/camry-1.jpg', 'https://img.example/camry-2.jpg'],
  category: 'vehicles',
  attributes: { make: 'Toyota', model: 'Camry', year: 2019, mileage: 42000 },
  location: { country: 'DE', region: 'Bavaria', city: 'Munich' },
};

describe('items', () => {
  test('PUT: 201 when new, 200 unchanged (same revision and updatedAt), 200 changed (revision + 1)', async () => {
    const id = freshId();
    const created = await put(seller, id, car);
    assert.equal(created.statusCode, 201, created.body);
    const item = (created.json() as { item: ItemBody }).item;
    assert.deepEqual(item, {
      externalId: id,
      name: 'Toyota Camry',
      description: 'One owner',
      imageUrl: 'https://img.example/camry-1.jpg',
      images: car.images,
      category: 'vehicles',
      attributes: { make: 'Toyota', mileage: 42000, model: 'Camry', year: 2019 },
      location: { country: 'DE', region: 'Bavaria', city: 'Munich' },
      revision: 1,
      updatedAt: item.updatedAt,
    });

    await new Promise((r) => setTimeout(r, 5));
    const again = await put(seller, id, {
      ...car,
      attributes: { year: 2019, mileage: 42000, model: 'Camry', make: 'Toyota' },
    });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual((again.json() as { item: ItemBody }).item, item, 'unchanged: same revision, same updatedAt');

    const changed = await put(seller, id, { ...car, attributes: { ...car.attributes, mileage: 43000 } });
    assert.equal(changed.statusCode, 200);
    const next = (changed.json() as { item: ItemBody }).item;
    assert.equal(next.revision, 2);
    assert.equal(next.attributes.mileage, 43000);
    assert.ok(next.updatedAt > item.updatedAt);
    // PUT replaces the whole item: what is left out takes its default.
    const bare = (await put(seller, id, { name: 'Camry' })).json() as { item: ItemBody };
    assert.deepEqual(
      [bare.item.revision, bare.item.category, bare.item.images, bare.item.location],
      [3, null, [], null],
    );
    assert.deepEqual((await getItem(seller, id)).json(), bare);
  });

  test('validation: the id pattern, a strict body, auth', async () => {
    expectProblem(await put(seller, 'has space', car), 'VALIDATION_FAILED');
    expectProblem(await put(seller, 'x'.repeat(101), car), 'VALIDATION_FAILED');
    expectProblem(await put(seller, freshId(), { ...car, price: 5 }), 'VALIDATION_FAILED');
    expectProblem(await put(seller, freshId(), { description: 'no name' }), 'VALIDATION_FAILED');
    expectProblem(
      await put(seller, freshId(), {
        ...car,
        images: Array.from({ length: 11 }, (_, i) => `https://i.example/${i}.jpg`),
      }),
      'VALIDATION_FAILED',
    );
    const anonymous = await t.app.inject({ method: 'PUT', url: `/api/v1/inventory/items/${freshId()}`, payload: car });
    expectProblem(anonymous, 'UNAUTHENTICATED');
  });

  test("each seller has its own space: the same id, two items; another seller's is 404 ITEM_NOT_FOUND", async () => {
    const id = freshId('shared');
    assert.equal((await put(seller, id, { name: 'Mine' })).statusCode, 201);
    assert.equal((await put(other, id, { name: 'Theirs' })).statusCode, 201, 'new in their own space');
    assert.equal(((await getItem(seller, id)).json() as { item: ItemBody }).item.name, 'Mine');
    assert.equal(((await getItem(other, id)).json() as { item: ItemBody }).item.name, 'Theirs');
    const onlyOther = freshId('theirs');
    await put(other, onlyOther, { name: 'Not yours' });
    expectProblem(await getItem(seller, onlyOther), 'ITEM_NOT_FOUND');
    expectProblem(await deleteItem(seller, onlyOther), 'ITEM_NOT_FOUND');
    expectProblem(await postAuction(seller, { itemExternalId: onlyOther }), 'ITEM_NOT_FOUND');
    assert.equal(((await getItem(other, onlyOther)).json() as { item: ItemBody }).item.revision, 1);
  });

  test('GET /inventory/items pages through the seller’s own items, oldest first', async () => {
    const lister = await createUser(t.app, 'inv_lister');
    const ids = Array.from({ length: 5 }, () => freshId('list'));
    for (const id of ids) await put(lister, id, { name: id });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/inventory/items?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url, headers: lister.auth });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { items: ItemBody[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.externalId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen, ids);
  });
});

describe('auctions of inventory items', () => {
  test('created with itemExternalId: the item and catalogue come from the inventory item', async () => {
    const id = freshId('car');
    await put(seller, id, car);
    const auction = (await fromInventory(seller, id)) as AuctionBody & Record<string, unknown>;
    assert.deepEqual(auction.item, {
      name: car.name,
      description: car.description,
      imageUrl: car.images[0],
      images: car.images,
    });
    assert.equal(auction.category, 'vehicles');
    assert.deepEqual(auction.attributes, { make: 'Toyota', mileage: 42000, model: 'Camry', year: 2019 });
    assert.deepEqual(auction.location, car.location);
    assert.equal(auction.itemExternalId, id, 'the seller sees which item it sells');
    assert.equal('itemExternalId' in (await readAuction(auction.id)), false, 'others do not');
  });

  test('creation: exactly one of item and itemExternalId; no catalogue beside itemExternalId; unknown 404', async () => {
    const id = freshId();
    await put(seller, id, { name: 'Lamp' });
    expectProblem(await postAuction(seller, { itemExternalId: id, item: { name: 'Lamp' } }), 'VALIDATION_FAILED');
    expectProblem(await postAuction(seller, {}), 'VALIDATION_FAILED');
    for (const extra of [{ category: 'lamps' }, { attributes: {} }, { location: null }])
      expectProblem(await postAuction(seller, { itemExternalId: id, ...extra }), 'VALIDATION_FAILED');
    expectProblem(await postAuction(seller, { itemExternalId: 'never-pushed' }), 'ITEM_NOT_FOUND');
    expectProblem(await postAuction(seller, { itemExternalId: 'bad id' }), 'VALIDATION_FAILED');
    // The ordinary creation is unchanged.
    assert.equal((await postAuction(seller, { item: { name: 'Plain' }, category: 'misc' })).statusCode, 201);
  });

  test('PATCH cannot edit what the inventory owns (409 ITEM_MANAGED_BY_INVENTORY); the terms it can', async () => {
    const id = freshId();
    await put(seller, id, { name: 'Managed' });
    const auction = await fromInventory(seller, id);
    const patch = (payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/auctions/${auction.id}`, headers: seller.auth, payload });
    expectProblem(await patch({ item: { name: 'Edited' } }), 'ITEM_MANAGED_BY_INVENTORY');
    expectProblem(await patch({ category: 'other' }), 'ITEM_MANAGED_BY_INVENTORY');
    const res = await patch({ startingPrice: 500 });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('a change shows at once in reads, and as item_updated on the stream within 5 s of the answer', async () => {
    const id = freshId('watch');
    await put(seller, id, car);
    const first = await fromInventory(seller, id);
    const second = await fromInventory(seller, id);
    const sse = await SseClient.open(`${baseUrl(t.app)}/api/v1/auctions/${first.id}/events`);
    try {
      await sse.waitFor((c) => c.events.length >= 1);
      const res = await put(seller, id, { ...car, name: 'Toyota Camry Hybrid', description: 'Serviced' });
      assert.equal(res.statusCode, 200, res.body);
      const answeredAt = Date.now();
      // Reads right after the answer: one auction, the other, and a listing.
      for (const auction of [first, second]) {
        const now = await readAuction(auction.id);
        assert.equal(now.item.name, 'Toyota Camry Hybrid');
        assert.equal(now.version, auction.version + 1);
      }
      const listed = await t.app.inject({ method: 'GET', url: `/api/v1/auctions?sellerId=${seller.id}&limit=100` });
      const names = (listed.json() as { items: { id: string; item: { name: string } }[] }).items
        .filter((a) => a.id === first.id || a.id === second.id)
        .map((a) => a.item.name);
      assert.deepEqual(names, ['Toyota Camry Hybrid', 'Toyota Camry Hybrid']);

      await sse.waitFor((c) => c.events.some((e) => e.event === 'item_updated'), 5000);
      assert.ok(Date.now() - answeredAt < 5000);
      const event = sse.events.find((e) => e.event === 'item_updated')!;
      const data = JSON.parse(event.data) as { auction: AuctionBody & { item: { name: string } } };
      assert.equal(event.id, String(first.version + 1));
      assert.equal(data.auction.item.name, 'Toyota Camry Hybrid');
      assert.equal('itemExternalId' in data.auction, false, 'events carry the public view');

      // The same body again: nothing changes, no event.
      const before = sse.events.length;
      assert.equal(
        (await put(seller, id, { ...car, name: 'Toyota Camry Hybrid', description: 'Serviced' })).statusCode,
        200,
      );
      assert.equal((await readAuction(first.id)).version, first.version + 1);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(sse.events.filter((e) => e.event !== 'snapshot').length, before - 1);
    } finally {
      sse.close();
    }
  });

  test('closed auctions keep the item as it was when they closed; open ones follow', async () => {
    const id = freshId('closing');
    await put(seller, id, { name: 'Original' });
    const closing = await fromInventory(seller, id, { endDate: new Date(Date.now() + 400).toISOString() });
    const open = await fromInventory(seller, id);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await readAuction(closing.id)).status, 'closed');
    const closedVersion = (await readAuction(closing.id)).version;
    assert.equal((await put(seller, id, { name: 'Renamed' })).statusCode, 200);
    const closed = await readAuction(closing.id);
    assert.equal(closed.item.name, 'Original');
    assert.equal(closed.version, closedVersion);
    assert.equal((await readAuction(open.id)).item.name, 'Renamed');
  });
});

describe('deleting an item', () => {
  test('204: its scheduled and open auctions are cancelled, ended ones stay; the item is gone', async () => {
    const id = freshId('del');
    await put(seller, id, { name: 'To go' });
    const ended = await fromInventory(seller, id, { endDate: new Date(Date.now() + 300).toISOString() });
    const open = await fromInventory(seller, id);
    const scheduled = await fromInventory(seller, id, {
      startDate: new Date(Date.now() + HOUR).toISOString(),
      endDate: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 500));
    const endedBefore = await readAuction(ended.id);
    assert.equal(endedBefore.status, 'closed');

    const res = await deleteItem(seller, id);
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await readAuction(open.id)).status, 'cancelled');
    assert.equal((await readAuction(scheduled.id)).status, 'cancelled');
    const { serverTime: _then, ...endedThen } = endedBefore;
    const { serverTime: _now, ...endedNow } = await readAuction(ended.id);
    assert.deepEqual(endedNow, endedThen, 'an ended auction stays as it was');
    expectProblem(await getItem(seller, id), 'ITEM_NOT_FOUND');
    expectProblem(await deleteItem(seller, id), 'ITEM_NOT_FOUND');
    expectProblem(await postAuction(seller, { itemExternalId: id }), 'ITEM_NOT_FOUND');
    // Pushed again, it is a new item.
    assert.equal((await put(seller, id, { name: 'Back' })).statusCode, 201);
  });

  test('409 ITEM_HAS_BIDS when one of its open auctions has an accepted bid: nothing changes', async () => {
    const id = freshId('bids');
    await put(seller, id, { name: 'Popular' });
    const withBid = await fromInventory(seller, id);
    const without = await fromInventory(seller, id);
    const bid = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${withBid.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    assert.equal(bid.statusCode, 201, bid.body);
    const versions = [(await readAuction(withBid.id)).version, (await readAuction(without.id)).version];
    const refused = expectProblem(await deleteItem(seller, id), 'ITEM_HAS_BIDS');
    assert.deepEqual(refused.auctionIds, [withBid.id]);
    assert.deepEqual([(await readAuction(withBid.id)).version, (await readAuction(without.id)).version], versions);
    assert.equal((await readAuction(without.id)).status, 'open');
    assert.equal(((await getItem(seller, id)).json() as { item: ItemBody }).item.revision, 1);
  });
});

describe('sync', () => {
  test('10,000 lines: the good ones taken, each bad line reported alone; a repeat is all unchanged, no event', async () => {
    const syncer = await createUser(t.app, 'inv_sync');
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++)
      lines.push(
        JSON.stringify({
          externalId: `bulk-${i}`,
          name: `Item ${i}`,
          description: `Bulk item number ${i}`,
          category: i % 2 === 0 ? 'even' : 'odd',
          attributes: { n: i, heavy: i % 3 === 0 },
          location: { country: 'FR', city: 'Lyon' },
        }),
      );
    lines[41] = '{"externalId": "broken-json", "name": '; // line 42
    lines[99] = JSON.stringify({ externalId: 'no-name' }); // line 100
    lines[4999] = JSON.stringify({ externalId: 'bad id!', name: 'x' }); // line 5000
    lines[9998] = JSON.stringify({ externalId: 'bulk-x', name: 'x', colour: 'red' }); // line 9999
    const body = `${lines.join('\n')}\n`;

    // An auction of one of the items, to see that a repeat creates no event.
    const first = await sync(syncer, `${lines[0]}\n`);
    assert.equal(first.statusCode, 200, first.body);
    const auction = await fromInventory(syncer, 'bulk-0');

    const started = Date.now();
    const res = await sync(syncer, body);
    const ms = Date.now() - started;
    assert.equal(res.statusCode, 200, res.body);
    const result = res.json() as SyncBody;
    assert.deepEqual(
      result.failed.map((f) => [f.line, f.code]),
      [
        [42, 'VALIDATION_FAILED'],
        [100, 'VALIDATION_FAILED'],
        [5000, 'VALIDATION_FAILED'],
        [9999, 'VALIDATION_FAILED'],
      ],
    );
    assert.ok(result.failed.every((f) => f.detail.length > 0));
    assert.deepEqual([result.created, result.updated, result.unchanged], [9995, 0, 1]);
    assert.ok(ms < 20_000, `the sync took ${ms} ms`);
    console.log(`inventory sync: 10,000 lines in ${ms} ms`);
    const page = (
      await t.app.inject({ method: 'GET', url: '/api/v1/inventory/items?limit=100', headers: syncer.auth })
    ).json() as {
      items: ItemBody[];
    };
    assert.equal(page.items[1]!.externalId, 'bulk-1');
    assert.deepEqual(page.items[1]!.attributes, { heavy: false, n: 1 });

    const repeat = await sync(syncer, body);
    assert.equal(repeat.statusCode, 200);
    const again = repeat.json() as SyncBody;
    assert.deepEqual([again.created, again.updated, again.unchanged, again.failed.length], [0, 0, 9996, 4]);
    assert.equal((await readAuction(auction.id)).version, auction.version, 'no event for an unchanged item');
    assert.equal((await t.store.eventsAfter(auction.id, 0, 10)).length, 0);
  });

  test('a changed line updates its auctions; a sync never deletes; an id twice applies twice', async () => {
    const id = freshId('synced');
    await put(seller, id, { name: 'Before' });
    const auction = await fromInventory(seller, id);
    const kept = freshId('kept');
    await put(seller, kept, { name: 'Not in the sync' });
    const res = await sync(
      seller,
      [JSON.stringify({ externalId: id, name: 'During' }), '', JSON.stringify({ externalId: id, name: 'After' })].join(
        '\r\n',
      ),
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { created: 0, updated: 2, unchanged: 0, failed: [] });
    const now = await readAuction(auction.id);
    assert.equal(now.item.name, 'After');
    assert.equal(((await getItem(seller, kept)).json() as { item: ItemBody }).item.name, 'Not in the sync');
  });

  test('the body: x-ndjson only (415), at most 50 MiB (413)', async () => {
    expectProblem(
      await sync(seller, JSON.stringify({ externalId: 'a', name: 'a' }), 'application/json'),
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const tooBig = Buffer.alloc(50 * 1024 * 1024 + 1, 0x20);
    expectProblem(await sync(seller, tooBig), 'PAYLOAD_TOO_LARGE');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inventory/sync',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: '{}',
    });
    expectProblem(anonymous, 'UNAUTHENTICATED');
  });
});

describe('crash between an item change and its auctions', () => {
  test('a change stored but not brought to its auctions reaches them after a restart, within 5 s', async () => {
    const storage = await createTestStorage();
    try {
      const first = await startTestApp({ storage });
      let auctionId: string;
      let version: number;
      let owner: TestUser;
      let changedAt: number;
      try {
        owner = await createUser(first.app, 'inv_crash');
        const id = 'crash-1';
        const created = await first.app.inject({
          method: 'PUT',
          url: `/api/v1/inventory/items/${id}`,
          headers: owner.auth,
          payload: { name: 'Before the crash' },
        });
        assert.equal(created.statusCode, 201);
        const auction = await createAuction(first.app, owner, { itemExternalId: id, item: undefined });
        auctionId = auction.id;
        version = auction.version;
        // What a PUT's own transaction writes (the item and the pending marker), and then the node dies
        // before it brings the change to the auction.
        const now = Date.now();
        const [result] = await first.store.upsertInventoryItems(
          owner.id,
          [
            {
              externalId: id,
              content: {
                name: 'After the crash',
                description: '',
                imageUrl: null,
                images: [],
                category: null,
                attributes: {},
                location: null,
              },
            },
          ],
          now,
          first.inventory.dueAt(now),
        );
        assert.equal(result!.outcome, 'updated');
        changedAt = Date.now();
      } finally {
        await first.dispose();
      }
      const second = await startTestApp({ storage, listen: true, heartbeatMs: 500 });
      try {
        const sse = await SseClient.open(`${baseUrl(second.app)}/api/v1/auctions/${auctionId}/events`, {
          'last-event-id': String(version),
        });
        try {
          await sse.waitFor((c) => c.events.some((e) => e.event === 'item_updated'), 5000);
          assert.ok(Date.now() - changedAt < 5000, `took ${Date.now() - changedAt} ms`);
          console.log(
            `inventory: a change left pending by a crash reached its auction ${Date.now() - changedAt} ms later`,
          );
          const read = await second.app.inject({ method: 'GET', url: `/api/v1/auctions/${auctionId}` });
          const now = (read.json() as { auction: AuctionBody & { item: { name: string } } }).auction;
          assert.equal(now.item.name, 'After the crash');
          assert.equal(now.version, version + 1);
        } finally {
          sse.close();
        }
      } finally {
        await second.dispose();
      }
    } finally {
      await storage.remove();
    }
  });
});

describe('two nodes sharing PostgreSQL', async () => {
  const skip = await serviceUnavailable('PostgreSQL', TEST_PG_URL);
  if (skip) {
    test(`skipped: ${skip}`, { skip }, () => {});
    return;
  }
  let database: { url: string; drop(): Promise<void> };
  const nodes: GavelApp[] = [];
  before(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const logger = pino({ level: 'silent' });
      // A bus of its own per node: nothing one node publishes reaches the other's watchers, which must
      // find the other node's events in the store.
      const node = await buildApp({
        store: await PostgresStore.open({ url: database.url }),
        bus: new MemoryBus(logger),
        clock: new SystemClock(),
        logger,
        metrics: createMetrics({ defaultMetrics: false }),
        scryptCost: TEST_SCRYPT,
        streamSyncMs: 1000,
        heartbeatMs: 500,
      });
      await node.app.listen({ port: 0, host: '127.0.0.1' });
      nodes.push(node);
    }
  });
  after(async () => {
    for (const node of nodes) await node.app.close();
    await database?.drop();
  });

  test('a change on one node shows at once in the other node’s reads, and on its streams within 5 s', async () => {
    const [a, b] = nodes as [GavelApp, GavelApp];
    const owner = await createUser(a.app, 'inv_nodes');
    const put = (node: GavelApp, payload: object) =>
      node.app.inject({ method: 'PUT', url: '/api/v1/inventory/items/n-1', headers: owner.auth, payload });
    assert.equal((await put(a, { name: 'On node A' })).statusCode, 201);
    const auction = await createAuction(b.app, owner, { itemExternalId: 'n-1', item: undefined });
    const sse = await SseClient.open(`${baseUrl(b.app)}/api/v1/auctions/${auction.id}/events`);
    try {
      await sse.waitFor((c) => c.events.length >= 1);
      assert.equal((await put(a, { name: 'Changed on node A' })).statusCode, 200);
      const answeredAt = Date.now();
      const read = await b.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}` });
      const seen = (read.json() as { auction: AuctionBody & { item: { name: string } } }).auction;
      assert.equal(seen.item.name, 'Changed on node A');
      assert.equal(seen.version, auction.version + 1);
      await sse.waitFor((c) => c.events.some((e) => e.event === 'item_updated'), 5000);
      assert.ok(Date.now() - answeredAt < 5000);
    } finally {
      sse.close();
    }
  });

  test('a change one node stored but did not bring to its auctions (it died) is swept by the other', async () => {
    const [a, b] = nodes as [GavelApp, GavelApp];
    const owner = await createUser(a.app, 'inv_nodes');
    const put = (payload: object) =>
      a.app.inject({ method: 'PUT', url: '/api/v1/inventory/items/n-2', headers: owner.auth, payload });
    assert.equal((await put({ name: 'Before' })).statusCode, 201);
    const auction = await createAuction(a.app, owner, { itemExternalId: 'n-2', item: undefined });
    const sse = await SseClient.open(`${baseUrl(b.app)}/api/v1/auctions/${auction.id}/events`);
    try {
      await sse.waitFor((c) => c.events.length >= 1);
      // Node A's PUT transaction (the item and the pending marker), then node A stops before the rest.
      const now = Date.now();
      const content = {
        name: 'After',
        description: '',
        imageUrl: null,
        images: [],
        category: null,
        attributes: {},
        location: null,
      };
      // Node A's sweep stops with it: only node B can finish the change.
      await a.inventory.stop();
      const store = await PostgresStore.open({ url: database.url, migrate: false });
      try {
        await store.upsertInventoryItems(owner.id, [{ externalId: 'n-2', content }], now, a.inventory.dueAt(now));
      } finally {
        await store.close();
      }
      await sse.waitFor((c) => c.events.some((e) => e.event === 'item_updated'), 5000);
      assert.ok(Date.now() - now < 5000, `took ${Date.now() - now} ms`);
      const read = await b.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}` });
      assert.equal((read.json() as { auction: { item: { name: string } } }).auction.item.name, 'After');
    } finally {
      sse.close();
    }
  });
});

describe('the API document', () => {
  test('every inventory operation is documented under the Inventory tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/inventory/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.tags]),
      );
    assert.deepEqual(operations.map(([key]) => key).sort(), [
      'DELETE /api/v1/inventory/items/{externalId}',
      'GET /api/v1/inventory/items',
      'GET /api/v1/inventory/items/{externalId}',
      'POST /api/v1/inventory/sync',
      'PUT /api/v1/inventory/items/{externalId}',
    ]);
    assert.ok(operations.every(([, tags]) => (tags as string[]).includes('Inventory')));
  });
});
