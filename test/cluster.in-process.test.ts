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
});
