import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { RedisBus } from '../src/bus/redis/index.ts';
import { SystemClock } from '../src/clock.ts';
import { type GavelApp, buildApp } from '../src/http/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { PostgresStore } from '../src/store/postgres/index.ts';
import { call } from './support/child-server.ts';
import { BURST_LIMITS, TEST_SCRYPT, baseUrl, createAuction, createUser } from './support/harness.ts';
import { RoomClient, type RoomMessage, roomUrl } from './support/room-client.ts';
import { TEST_PG_URL, TEST_REDIS_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * Three nodes in one process, as three servers would be: each its own app, sequencer, closer and
 * hub, sharing one PostgreSQL database and one Redis. Any node answers any request; every watcher on
 * every node sees the same history; each auction is closed exactly once.
 */
describe('three nodes on PostgreSQL and Redis', async () => {
  const skip =
    (await serviceUnavailable('PostgreSQL', TEST_PG_URL)) ?? (await serviceUnavailable('Redis', TEST_REDIS_URL));
  if (skip) {
    test(`skipped: ${skip}`, { skip }, () => {});
    return;
  }
  let database: { url: string; drop(): Promise<void> };
  const nodes: GavelApp[] = [];
  const stores: PostgresStore[] = [];
  const bases: string[] = [];
  before(async () => {
    database = await createTestDatabase();
    const prefix = `gavel-cluster-${randomUUID()}:`;
    for (let i = 0; i < 3; i++) {
      const logger = pino({ level: 'silent' });
      const store = await PostgresStore.open({ url: database.url });
      stores.push(store);
      const node = await buildApp({
        store,
        bus: new RedisBus({ url: TEST_REDIS_URL, logger, prefix }),
        clock: new SystemClock(),
        logger,
        metrics: createMetrics({ defaultMetrics: false }),
        scryptCost: TEST_SCRYPT,
        limits: BURST_LIMITS,
        streamSyncMs: 1000,
      });
      await node.app.listen({ port: 0, host: '127.0.0.1' });
      nodes.push(node);
      bases.push(baseUrl(node.app));
    }
  });
  after(async () => {
    for (const node of nodes) await node.app.close();
    await database?.drop();
  });

  test('bids spread over three nodes: one order, every answer stored as answered, every watcher on the final state', async () => {
    const seller = await createUser(nodes[0]!.app, 'seller');
    const bidders = await Promise.all(Array.from({ length: 6 }, (_, i) => createUser(nodes[i % 3]!.app, 'bidder')));
    const auction = await createAuction(nodes[1]!.app, seller, {
      startingPrice: 100,
      minIncrement: 5,
      softClose: null,
    });
    const watchers = await Promise.all(bases.map((b) => SseClient.open(`${b}/api/v1/auctions/${auction.id}/events`)));
    await Promise.all(watchers.map((w) => w.waitFor((c) => c.events.length >= 1)));
    const answers: { status: number; id: string; amount: number }[] = [];
    await Promise.all(
      bidders.flatMap((bidder, b) =>
        Array.from({ length: 10 }, async (_, i) => {
          const amount = 100 + Math.floor(Math.random() * 1000);
          const res = await call(
            `${bases[(b + i) % 3]}/api/v1/auctions/${auction.id}/bids`,
            'POST',
            { amount },
            bidder.auth,
          );
          assert.ok(res.status === 201 || res.status === 409, `${res.status} ${JSON.stringify(res.body)}`);
          answers.push({ status: res.status, id: (res.body.bid as { id: string }).id, amount });
        }),
      ),
    );
    const history = await call(`${bases[2]}/api/v1/auctions/${auction.id}/bids?status=all&limit=100`, 'GET');
    const stored = (history.body.items as { id: string; status: string; amount: number; auctionVersion: number }[])
      .slice()
      .reverse();
    assert.equal(stored.length, 60, 'every answered bid stored exactly once');
    const byId = new Map(stored.map((b) => [b.id, b]));
    for (const a of answers) assert.equal(byId.get(a.id)?.status, a.status === 201 ? 'accepted' : 'rejected');
    const accepted = stored.filter((b) => b.status === 'accepted').sort((x, y) => x.auctionVersion - y.auctionVersion);
    for (let i = 1; i < accepted.length; i++) {
      assert.equal(accepted[i]!.auctionVersion, accepted[i - 1]!.auctionVersion + 1, 'versions contiguous');
      assert.ok(accepted[i]!.amount > accepted[i - 1]!.amount, 'accepted amounts strictly increase');
    }
    const final = accepted[accepted.length - 1]!.auctionVersion;
    for (const w of watchers) {
      await w.waitFor((c) => c.events.some((e) => Number(e.id) === final), 5000);
      const ids = w.events.map((e) => Number(e.id));
      for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids ${ids.join(',')}`);
      w.close();
    }
    // A read on any node after the answers shows the final state.
    for (const b of bases) {
      const read = await call(`${b}/api/v1/auctions/${auction.id}`, 'GET');
      assert.equal((read.body.auction as { version: number }).version, final);
    }
  });

  test('three closers racing close each auction exactly once; every node’s watchers get the closed event', async () => {
    const seller = await createUser(nodes[0]!.app, 'seller');
    const bidder = await createUser(nodes[1]!.app, 'bidder');
    const endDate = new Date(Date.now() + 1500).toISOString();
    const auctions = await Promise.all(
      Array.from({ length: 5 }, () =>
        createAuction(nodes[0]!.app, seller, { startingPrice: 100, softClose: null, endDate }),
      ),
    );
    await call(`${bases[2]}/api/v1/auctions/${auctions[0]!.id}/bids`, 'POST', { amount: 100 }, bidder.auth);
    const watchers = await Promise.all(
      auctions.flatMap((a) => bases.map((b) => SseClient.open(`${b}/api/v1/auctions/${a.id}/events`))),
    );
    await new Promise((r) => setTimeout(r, 1600));
    // Every node's closer runs a round at once (as their timers would on a shared index).
    await Promise.all(nodes.map((n) => n.closer.tick()));
    for (const w of watchers) {
      await w.waitFor((c) => c.events.some((e) => e.event === 'closed'), 5000);
      assert.equal(w.events.filter((e) => e.event === 'closed').length, 1);
      w.close();
    }
    for (const a of auctions) {
      const events = await stores[1]!.eventsAfter(a.id, 0, 100);
      assert.equal(events.filter((e) => e.type === 'closed').length, 1, 'one closed event stored');
    }
    const sold = await call(`${bases[1]}/api/v1/auctions/${auctions[0]!.id}`, 'GET');
    assert.equal((sold.body.auction as { outcome: { result: string } }).outcome.result, 'sold');
  });

  test('one live room over two nodes: chat both ways in order, presence within 2 s, a bid on one seen on the other', async () => {
    const seller = await createUser(nodes[0]!.app, 'seller');
    const alice = await createUser(nodes[0]!.app, 'alice');
    const bob = await createUser(nodes[1]!.app, 'bob');
    const auction = await createAuction(nodes[1]!.app, seller, { startingPrice: 1000, softClose: null });
    const bearer = (user: { token: string }) => ({ authorization: `Bearer ${user.token}` });
    const open: RoomClient[] = [];
    const connect = async (node: number, headers: Record<string, string> = {}) => {
      const client = await RoomClient.connect(roomUrl(bases[node]!, auction.id), headers);
      open.push(client);
      await client.waitFor('snapshot', (m) => m.type === 'snapshot');
      return client;
    };
    const chatFrom = (userId: string) => (m: RoomMessage) =>
      m.type === 'chat' && (m.message as { userId: string }).userId === userId;
    const texts = (client: RoomClient, userId: string) =>
      client.messages.filter(chatFrom(userId)).map((m) => (m.message as { text: string }).text);
    /** Waits until the last participant count `client` was told is `count`, within 2 s of `since`. */
    const participants = async (client: RoomClient, count: number, since: number, who: string) => {
      await client.waitFor(`${who}: ${count} participants`, () => {
        const told = client.messages.filter((m) => m.participants !== undefined).at(-1);
        return told?.participants === count;
      });
      const took = Date.now() - since;
      assert.ok(took < 2_000, `${who} heard ${count} participants after ${took} ms`);
    };

    try {
      // An anonymous viewer keeps the room open on node 1 whoever leaves; it counts nobody.
      const viewer = await connect(1);
      const a = await connect(0, bearer(alice));
      const joined = Date.now();
      const b = await connect(1, bearer(bob));
      await participants(a, 2, joined, 'alice on node 0');
      await participants(b, 2, joined, 'bob on node 1');
      await participants(viewer, 2, joined, 'viewer on node 1');

      for (const text of ['a1', 'a2', 'a3']) a.send({ type: 'chat', text });
      await b.waitFor('alice x3 on node 1', () => texts(b, alice.id).length === 3);
      assert.deepEqual(texts(b, alice.id), ['a1', 'a2', 'a3']);
      for (const text of ['b1', 'b2']) b.send({ type: 'chat', text });
      await a.waitFor('bob x2 on node 0', () => texts(a, bob.id).length === 2);
      assert.deepEqual(texts(a, bob.id), ['b1', 'b2']);
      await viewer.waitFor('all five', (m) => m.type === 'chat' && (m.message as { text: string }).text === 'b2');
      assert.deepEqual(
        viewer.ofType('chat').map((m) => (m.message as { text: string }).text),
        ['a1', 'a2', 'a3', 'b1', 'b2'],
      );
      assert.deepEqual(texts(a, alice.id), ['a1', 'a2', 'a3'], 'own messages echoed once each, in order');

      b.send({ type: 'bid', amount: 1200, ref: 'over-node-1' });
      const result = await b.waitFor('bid_result', (m) => m.type === 'bid_result' && m.ref === 'over-node-1');
      assert.equal(result.status, 201, JSON.stringify(result));
      const bid = result.bid as { id: string };
      const seen = await a.waitFor(
        'the bid on node 0',
        (m) => m.type === 'bid' && (m.bid as { id: string }).id === bid.id,
        5_000,
      );
      assert.equal((seen.auction as { version: number }).version, (result.auction as { version: number }).version);
      assert.equal((seen.auction as { currentPrice: number }).currentPrice, 1200);

      // Bob leaves node 1 (its room stays open for the viewer): node 0 hears within 2 s.
      let since = Date.now();
      await b.close();
      await participants(a, 1, since, 'alice on node 0 after bob left');
      await participants(viewer, 1, since, 'viewer on node 1 after bob left');
      // Alice leaves node 0, whose room closes with her: node 1 hears within 2 s.
      since = Date.now();
      await a.close();
      await participants(viewer, 0, since, 'viewer on node 1 after alice left');
    } finally {
      await Promise.all(open.map((c) => c.close()));
    }
  });
});
