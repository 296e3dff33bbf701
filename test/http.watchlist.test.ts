import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENDING_SOON_LEAD_MS } from '../src/domain/index.ts';
import { type ChildServer, call, httpUser, startChildServer } from './support/child-server.ts';
import {
  type AuctionBody,
  ManualClock,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
  tempDir,
  testStoreKind,
} from './support/harness.ts';
import { createTestDatabase } from './support/services.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * The watchlist (api.md "Watchlist"): PUT / DELETE / GET /api/v1/me/watchlist, `watcherCount` in reads, and
 * the `ending_soon` notification on /api/v1/me/events: once per user and auction, to watchers and bidders,
 * 15 minutes before the end (handed out by the closer from the ending-soon index) or at once past that,
 * and never again after a restart.
 */

const MINUTE = 60_000;

type WatchlistPage = {
  items: (AuctionBody & { watcherCount: number; item: Record<string, unknown> })[];
  nextCursor: string | null;
};

function watchRequest(app: TestApp, method: 'PUT' | 'DELETE', auctionId: string, user: TestUser | null) {
  return app.app.inject({
    method,
    url: `/api/v1/me/watchlist/${encodeURIComponent(auctionId)}`,
    headers: user ? user.auth : {},
  });
}

async function readAuction(app: TestApp, id: string): Promise<AuctionBody & { watcherCount?: number }> {
  const res = await app.app.inject({ url: `/api/v1/auctions/${id}` });
  assert.equal(res.statusCode, 200);
  return res.json().auction as AuctionBody & { watcherCount?: number };
}

async function watchlistPage(app: TestApp, user: TestUser, query = ''): Promise<WatchlistPage> {
  const res = await app.app.inject({ url: `/api/v1/me/watchlist${query}`, headers: user.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as WatchlistPage;
}

/** The ending_soon notifications stored for a user (what a stream resumed from 0 replays). */
async function storedEndingSoon(app: TestApp, user: TestUser) {
  return (await app.store.userEventsAfter(user.id, 0, 1_000)).filter((e) => e.type === 'ending_soon');
}

const endingSoonEvents = (stream: SseClient) => stream.events.filter((e) => e.event === 'ending_soon');

describe('the watchlist over HTTP', () => {
  let app: TestApp;
  let base: string;
  let seller: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  before(async () => {
    app = await startTestApp({ listen: true });
    base = baseUrl(app.app);
    seller = await createUser(app.app, 'seller');
    alice = await createUser(app.app, 'alice');
    bob = await createUser(app.app, 'bob');
    carol = await createUser(app.app, 'carol');
  });
  after(() => app.dispose());

  const openEvents = async (user: TestUser, lastEventId?: string) => {
    const stream = await SseClient.open(`${base}/api/v1/me/events`, {
      authorization: user.auth.authorization,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    });
    assert.equal(stream.status, 200);
    return stream;
  };
  const bid = (auctionId: string, user: TestUser, amount: number) =>
    app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auctionId}/bids`,
      headers: user.auth,
      payload: { amount },
    });

  test('PUT and DELETE are idempotent 204s; an unknown auction is 404 AUCTION_NOT_FOUND; no session is 401', async () => {
    const auction = await createAuction(app.app, seller);
    for (let i = 0; i < 2; i++) {
      const put = await watchRequest(app, 'PUT', auction.id, alice);
      assert.equal(put.statusCode, 204);
      assert.equal(put.body, '');
    }
    for (let i = 0; i < 2; i++) assert.equal((await watchRequest(app, 'DELETE', auction.id, alice)).statusCode, 204);
    assert.equal((await watchRequest(app, 'DELETE', auction.id, bob)).statusCode, 204, 'never watched: still 204');
    for (const method of ['PUT', 'DELETE'] as const) {
      const missing = await watchRequest(app, method, 'no-such-auction', alice);
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'AUCTION_NOT_FOUND');
      const anonymous = await watchRequest(app, method, auction.id, null);
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
    }
    const list = await app.app.inject({ url: '/api/v1/me/watchlist' });
    assert.equal(list.statusCode, 401);
    assert.equal(list.json().code, 'UNAUTHENTICATED');
    const tooLong = await watchRequest(app, 'PUT', 'x'.repeat(129), alice);
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().code, 'VALIDATION_FAILED');
  });

  test('watcherCount counts distinct watchers in reads; watching makes no new version and no event', async () => {
    const auction = await createAuction(app.app, seller);
    const before = await readAuction(app, auction.id);
    assert.equal(before.watcherCount, 0);
    for (const user of [alice, alice, bob, carol, bob])
      assert.equal((await watchRequest(app, 'PUT', auction.id, user)).statusCode, 204);
    const watched = await readAuction(app, auction.id);
    assert.equal(watched.watcherCount, 3);
    assert.equal(watched.version, before.version, 'no state change');
    assert.deepEqual(await app.store.eventsAfter(auction.id, 0, 100), [], 'no event');
    const [item] = (await watchlistPage(app, alice)).items.filter((a) => a.id === auction.id);
    assert.equal(item?.watcherCount, 3);
    await watchRequest(app, 'DELETE', auction.id, carol);
    await watchRequest(app, 'DELETE', auction.id, carol);
    assert.equal((await readAuction(app, auction.id)).watcherCount, 2);
    // The auction's own stream carries no watcherCount (events leave it out).
    const stream = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
    await stream.waitFor((s) => s.events.length >= 1);
    assert.equal(stream.events[0]!.event, 'snapshot');
    assert.ok(!stream.events[0]!.data.includes('watcherCount'));
    stream.close();
  });

  test('GET /me/watchlist: soonest end first, pages without repeats or gaps, only mine, list items with watcherCount', async () => {
    const watcher = await createUser(app.app, 'lister');
    const now = Date.now();
    const ends = [50, 10, 30, 40, 10, 20, 60].map((m) => now + m * MINUTE);
    const auctions: AuctionBody[] = [];
    for (const [i, end] of ends.entries())
      auctions.push(
        await createAuction(app.app, seller, {
          endDate: new Date(end).toISOString(),
          item: { name: `Watched ${i}`, description: 'd'.repeat(300) },
        }),
      );
    for (const i of [3, 0, 6, 1, 5, 2, 4]) await watchRequest(app, 'PUT', auctions[i]!.id, watcher);
    await watchRequest(app, 'PUT', auctions[0]!.id, alice);
    const expected = auctions
      .map((a, created) => ({ a, created }))
      .sort((x, y) => Date.parse(x.a.endDate) - Date.parse(y.a.endDate) || x.created - y.created)
      .map((x) => x.a.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await watchlistPage(app, watcher, query);
      assert.ok(page.items.length <= 2);
      for (const item of page.items) {
        assert.equal(typeof item.watcherCount, 'number');
        assert.equal(item.item.descriptionTruncated, true, 'the list summary shape');
        assert.ok((item.item.description as string).length <= 201);
      }
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, expected);
    assert.deepEqual(
      (await watchlistPage(app, watcher)).items.map((a) => a.id),
      expected,
      'default limit 20',
    );
    for (const item of (await watchlistPage(app, watcher)).items)
      assert.equal(item.watcherCount, item.id === auctions[0]!.id ? 2 : 1, 'alice watches the first one too');

    for (const query of ['?limit=0', '?limit=101', '?cursor=garbage', '?sort=newest']) {
      const res = await app.app.inject({ url: `/api/v1/me/watchlist${query}`, headers: watcher.auth });
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().code, 'VALIDATION_FAILED');
    }
    // Another user's cursor is not mine.
    const mine = await watchlistPage(app, watcher, '?limit=1');
    const foreign = await app.app.inject({
      url: `/api/v1/me/watchlist?cursor=${encodeURIComponent(mine.nextCursor!)}`,
      headers: alice.auth,
    });
    assert.equal(foreign.statusCode, 400);
  });

  test('ending_soon at once on a short auction: each watcher and each bidder hears it once, live and durably', async () => {
    const auction = await createAuction(app.app, seller, {
      startingPrice: 100,
      endDate: new Date(Date.now() + 60_000).toISOString(),
    });
    const [sellerStream, aliceStream, bobStream, carolStream] = await Promise.all(
      [seller, alice, bob, carol].map((u) => openEvents(u)),
    );
    const streams = [sellerStream!, aliceStream!, bobStream!, carolStream!];
    await Promise.all(streams.map((s) => s.waitFor((c) => c.events.length >= 1)));
    const aliceReady = aliceStream!.events[0]!.id!;

    assert.equal((await watchRequest(app, 'PUT', auction.id, alice)).statusCode, 204);
    await aliceStream!.waitFor((s) => endingSoonEvents(s).length === 1);
    const notice = JSON.parse(endingSoonEvents(aliceStream!)[0]!.data) as {
      type: string;
      auction: AuctionBody & { watcherCount?: number };
    };
    assert.equal(notice.type, 'ending_soon');
    assert.equal(notice.auction.id, auction.id);
    assert.equal(notice.auction.status, 'open');
    assert.equal(notice.auction.watcherCount, undefined, 'notifications leave watcherCount out');
    assert.equal(notice.auction.reservePrice, undefined, 'the public view');
    // Watching again, or after unwatching, tells nobody again.
    await watchRequest(app, 'PUT', auction.id, alice);
    await watchRequest(app, 'DELETE', auction.id, alice);
    await watchRequest(app, 'PUT', auction.id, alice);

    // Bidders: with the bid's commit, once.
    assert.equal((await bid(auction.id, bob, 100)).statusCode, 201);
    await bobStream!.waitFor((s) => endingSoonEvents(s).length === 1);
    assert.equal((await bid(auction.id, bob, 110)).statusCode, 201);
    // Carol both watches and bids: once.
    await watchRequest(app, 'PUT', auction.id, carol);
    assert.equal((await bid(auction.id, carol, 200)).statusCode, 201);
    await carolStream!.waitFor((s) => endingSoonEvents(s).length === 1);
    // Bob is outbid after his second bid: his stream has moved past anything that bid could have sent.
    await bobStream!.waitFor((s) => s.events.some((e) => e.event === 'outbid'));
    await sleep(300);

    assert.equal(endingSoonEvents(aliceStream!).length, 1);
    assert.equal(endingSoonEvents(bobStream!).length, 1);
    assert.equal(endingSoonEvents(carolStream!).length, 1);
    assert.equal(endingSoonEvents(sellerStream!).length, 0, 'the seller neither watches nor bids');
    for (const user of [alice, bob, carol]) assert.equal((await storedEndingSoon(app, user)).length, 1);
    assert.equal((await storedEndingSoon(app, seller)).length, 0);

    // Resumable: a reconnect with Last-Event-ID gets it again from the store.
    const resumed = await openEvents(alice, aliceReady);
    await resumed.waitFor((s) => endingSoonEvents(s).length === 1);
    assert.equal(endingSoonEvents(resumed)[0]!.id, endingSoonEvents(aliceStream!)[0]!.id);
    for (const s of [...streams, resumed]) s.close();
  });
});

describe('ending_soon at the 15-minute mark, from the closer', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 12, 0, 0));
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ clock, listen: true });
  });
  after(() => app.dispose());

  test('watchers and bidders hear it when the mark is reached, once; before it nothing', async () => {
    const base = baseUrl(app.app);
    const [seller, alice, bob, dave] = [
      await createUser(app.app, 'seller'),
      await createUser(app.app, 'alice'),
      await createUser(app.app, 'bob'),
      await createUser(app.app, 'dave'),
    ];
    const end = clock.now() + 60 * MINUTE;
    const auction = await createAuction(
      app.app,
      seller,
      { startingPrice: 100, endDate: new Date(end).toISOString() },
      clock.now(),
    );
    const other = await createAuction(
      app.app,
      seller,
      { endDate: new Date(end + 60 * MINUTE).toISOString() },
      clock.now(),
    );
    await watchRequest(app, 'PUT', auction.id, alice);
    await watchRequest(app, 'PUT', other.id, dave);
    clock.advance(MINUTE);
    const placed = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bob.auth,
      payload: { amount: 100 },
    });
    assert.equal(placed.statusCode, 201);
    const streams = await Promise.all(
      [alice, bob, dave, seller].map((u) =>
        SseClient.open(`${base}/api/v1/me/events`, { authorization: u.auth.authorization }),
      ),
    );
    await Promise.all(streams.map((s) => s.waitFor((c) => c.events.length >= 1)));

    clock.set(end - ENDING_SOON_LEAD_MS - 1);
    await app.closer.tick();
    for (const user of [alice, bob]) assert.equal((await storedEndingSoon(app, user)).length, 0, 'not before the mark');

    clock.set(end - ENDING_SOON_LEAD_MS);
    await app.closer.tick();
    const [aliceStream, bobStream, daveStream, sellerStream] = streams;
    await aliceStream!.waitFor((s) => endingSoonEvents(s).length === 1);
    await bobStream!.waitFor((s) => endingSoonEvents(s).length === 1);
    for (const stream of [aliceStream!, bobStream!]) {
      const notice = JSON.parse(endingSoonEvents(stream)[0]!.data) as { auction: AuctionBody };
      assert.equal(notice.auction.id, auction.id);
      assert.equal(notice.auction.endDate, new Date(end).toISOString());
    }

    // Again: handed out already.
    clock.advance(MINUTE);
    await app.closer.tick();
    await sleep(200);
    assert.equal(endingSoonEvents(aliceStream!).length, 1);
    assert.equal(endingSoonEvents(bobStream!).length, 1);
    assert.equal(endingSoonEvents(daveStream!).length, 0, 'the other auction is not ending yet');
    assert.equal(endingSoonEvents(sellerStream!).length, 0);
    for (const user of [alice, bob]) assert.equal((await storedEndingSoon(app, user)).length, 1);
    for (const user of [dave, seller]) assert.equal((await storedEndingSoon(app, user)).length, 0);

    // The other auction's mark: dave's turn.
    clock.set(end + 45 * MINUTE);
    await app.closer.tick();
    await daveStream!.waitFor((s) => endingSoonEvents(s).length === 1);
    for (const s of streams) s.close();
  });
});

test(
  'exactly once across restarts: killed before the mark, it is sent after the restart; a restart after delivery sends nothing more',
  { timeout: 120_000 },
  async () => {
    const dir = tempDir('gavel-watchlist-');
    const database = testStoreKind() === 'postgres' ? await createTestDatabase() : null;
    // The fan-out workers stay out of it: this is about the main process's closer and the user's stream.
    const env: Record<string, string> = {
      GAVEL_FANOUT_WORKERS: '0',
      ...(database ? { GAVEL_STORE: database.url } : {}),
    };
    let server: ChildServer | null = null;
    try {
      server = await startChildServer(dir.path, env);
      let base = server.url;
      const seller = await httpUser(base, 'restart_seller');
      const alice = await httpUser(base, 'restart_alice');
      const bob = await httpUser(base, 'restart_bob');
      // The mark comes 4 s from now.
      const end = Date.now() + ENDING_SOON_LEAD_MS + 4_000;
      const created = await call(
        `${base}/api/v1/auctions`,
        'POST',
        { item: { name: 'Restarted' }, startingPrice: 100, endDate: new Date(end).toISOString() },
        seller.auth,
      );
      assert.equal(created.status, 201);
      const auctionId = (created.body.auction as { id: string }).id;
      assert.equal((await call(`${base}/api/v1/me/watchlist/${auctionId}`, 'PUT', undefined, alice.auth)).status, 204);
      assert.equal(
        (await call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount: 100 }, bob.auth)).status,
        201,
      );

      // Down before the mark, and still down when it passes.
      await server.kill9();
      await sleep(Math.max(0, end - ENDING_SOON_LEAD_MS - Date.now()) + 500);

      /** Every ending_soon a user's stream replays from the start (the durable truth), after a settling wait. */
      const endingSoonFromStart = async (user: { auth: { authorization: string } }, expected: number) => {
        const stream = await SseClient.open(`${base}/api/v1/me/events`, { ...user.auth, 'last-event-id': '0' });
        try {
          await stream.waitFor((s) => endingSoonEvents(s).length >= expected, 10_000);
          await sleep(1_500); // a few more closer rounds: nothing else may come
          return endingSoonEvents(stream).map((e) => JSON.parse(e.data) as { auction: { id: string } });
        } finally {
          stream.close();
        }
      };

      server = await startChildServer(dir.path, env);
      base = server.url;
      for (const user of [alice, bob]) {
        const told = await endingSoonFromStart(user, 1);
        assert.equal(told.length, 1, 'sent once, after the restart');
        assert.equal(told[0]!.auction.id, auctionId);
      }

      // Killed after the delivery: the restart sends nothing more (the moment left the index with it).
      await server.kill9();
      server = await startChildServer(dir.path, env);
      base = server.url;
      for (const user of [alice, bob]) assert.equal((await endingSoonFromStart(user, 1)).length, 1);
      // Nor a clean restart, nor watching again.
      assert.equal(await server.terminate(), 0);
      server = await startChildServer(dir.path, env);
      base = server.url;
      assert.equal((await call(`${base}/api/v1/me/watchlist/${auctionId}`, 'PUT', undefined, alice.auth)).status, 204);
      for (const user of [alice, bob]) assert.equal((await endingSoonFromStart(user, 1)).length, 1);
    } finally {
      if (server && server.process.exitCode === null) await server.kill9();
      await database?.drop();
      dir.remove();
    }
  },
);
