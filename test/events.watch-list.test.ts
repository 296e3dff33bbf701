import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { type BusListener, type BusMessage, type Unsubscribe, auctionTopic } from '../src/bus/index.ts';
import { summarizeDescription } from '../src/domain/index.ts';
import { call } from './support/child-server.ts';
import {
  BURST_LIMITS,
  type AuctionBody,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { expectProblem } from './support/problem.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * `GET /api/v1/events?auctions=…`: one connection for a list page. A snapshot
 * per known auction, then every event of those auctions with its stored data,
 * no ids, per auction never older than what was sent, merged per auction
 * when the client cannot keep up.
 */

/** A MemoryBus that also delivers late and repeated copies of old events, as a real network bus may. */
class ReplayingBus extends MemoryBus {
  private readonly published = new Map<string, BusMessage[]>();
  private readonly subscribers = new Map<string, Set<BusListener>>();

  override publish(topic: string, message: BusMessage): void {
    const list = this.published.get(topic) ?? [];
    list.push(message);
    this.published.set(topic, list);
    super.publish(topic, message);
  }

  override async subscribe(topic: string, listener: BusListener): Promise<Unsubscribe> {
    const unsubscribe = await super.subscribe(topic, listener);
    const set = this.subscribers.get(topic) ?? new Set();
    set.add(listener);
    this.subscribers.set(topic, set);
    // Old events arrive right after subscribing, while the subscriber is still reading its starting state.
    queueMicrotask(() => this.redeliver(topic));
    return () => {
      set.delete(listener);
      unsubscribe();
    };
  }

  /** Delivers every event published so far on the topic again, oldest first. */
  redeliver(topic: string): number {
    const events = this.published.get(topic) ?? [];
    for (const listener of this.subscribers.get(topic) ?? []) for (const e of events) listener(e);
    return events.length;
  }
}

let app: TestApp;
let base: string;
let bus: ReplayingBus;
let seller: TestUser;
let bidders: TestUser[];

before(async () => {
  bus = new ReplayingBus(pino({ level: 'silent' }));
  app = await startTestApp({ listen: true, heartbeatMs: 200, bus, limits: BURST_LIMITS });
  base = baseUrl(app.app);
  seller = await createUser(app.app, 'seller');
  bidders = await Promise.all(Array.from({ length: 3 }, () => createUser(app.app, 'bidder')));
});
after(() => app.dispose());

const bid = (auctionId: string, who: TestUser, amount: number) =>
  call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, who.auth);
const open = (ids: string[]) => SseClient.open(`${base}/api/v1/events?auctions=${ids.join(',')}`);
const auctionOf = (sse: SseClient, i: number) => sse.json<{ auction: AuctionBody }>(i).auction;
const currentState = async (id: string) =>
  (await call(`${base}/api/v1/auctions/${id}`, 'GET')).body.auction as AuctionBody;

describe('GET /api/v1/events (watch list)', () => {
  test('retry: 1000, then one snapshot per known auction in the order asked; unknown and repeated ids are skipped', async () => {
    const a = await createAuction(app.app, seller, { startingPrice: 100 });
    const b = await createAuction(app.app, seller, { startingPrice: 200 });
    await bid(b.id, bidders[0]!, 200);
    const sse = await open([b.id, 'no-such-auction', a.id, b.id]);
    try {
      assert.equal(sse.status, 200);
      assert.match(String(sse.headers['content-type']), /^text\/event-stream/);
      assert.equal(sse.headers['cache-control'], 'no-cache, no-transform');
      await sse.waitFor((c) => c.events.length >= 2);
      assert.ok(sse.raw.startsWith('retry: 1000\n\n'), JSON.stringify(sse.raw.slice(0, 40)));
      assert.deepEqual(
        sse.events.map((e) => [e.event, auctionOf(sse, sse.events.indexOf(e)).id]),
        [
          ['snapshot', b.id],
          ['snapshot', a.id],
        ],
      );
      // The public view as the per-auction stream's snapshot carries it.
      const snapB = auctionOf(sse, 0);
      assert.equal(snapB.version, 2);
      assert.equal(snapB.currentPrice, 200);
      assert.equal('reservePrice' in snapB, false);
      // A live event proves the snapshots are done: nothing came for the unknown id or the repeat.
      await bid(a.id, bidders[1]!, 100);
      await sse.waitFor((c) => c.events.length >= 3);
      assert.deepEqual(
        sse.events.map((e) => e.event),
        ['snapshot', 'snapshot', 'bid'],
      );
      assert.ok(
        sse.events.every((e) => e.id === null),
        'no id: lines (there is no order across auctions)',
      );
      assert.doesNotMatch(sse.raw, /^id:/m);
    } finally {
      sse.close();
    }
  });

  test('live events of two auctions on one connection, each with the data of the per-auction stream', async () => {
    const a = await createAuction(app.app, seller, { startingPrice: 100, softClose: null });
    const b = await createAuction(app.app, seller, { startingPrice: 100, softClose: null });
    const c = await createAuction(app.app, seller, { startingPrice: 100 });
    const list = await open([a.id, b.id, c.id]);
    const single = await SseClient.open(`${base}/api/v1/auctions/${a.id}/events`);
    try {
      await list.waitFor((s) => s.events.length >= 3);
      await single.waitFor((s) => s.events.length >= 1);
      await bid(a.id, bidders[0]!, 100);
      await bid(b.id, bidders[1]!, 150);
      await bid(a.id, bidders[1]!, 120);
      await bid(b.id, bidders[0]!, 300);
      const cancelled = await call(`${base}/api/v1/auctions/${c.id}/cancel`, 'POST', undefined, seller.auth);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      await list.waitFor((s) => s.events.length >= 8);
      const live = list.events.slice(3).map((e, i) => {
        const data = list.json<{ auction: AuctionBody; bid?: { amount: number } }>(i + 3);
        return [e.event, data.auction.id, data.auction.version, data.bid?.amount ?? null];
      });
      assert.deepEqual(live, [
        ['bid', a.id, 2, 100],
        ['bid', b.id, 2, 150],
        ['bid', a.id, 3, 120],
        ['bid', b.id, 3, 300],
        ['cancelled', c.id, 2, null],
      ]);
      // The data the auction's own stream sends, with the description as a summary (cards, not pages).
      await single.waitFor((s) => s.events.length >= 3);
      const summarized = single.events.slice(1).map((e) => {
        const data = JSON.parse(e.data) as { auction: { item: Record<string, unknown> & { description: string } } };
        const { text, truncated } = summarizeDescription(data.auction.item.description);
        data.auction.item = { ...data.auction.item, description: text, descriptionTruncated: truncated };
        return JSON.stringify(data);
      });
      assert.deepEqual(
        list.events.filter((e) => e.event === 'bid' && e.data.includes(a.id)).map((e) => e.data),
        summarized,
      );
    } finally {
      list.close();
      single.close();
    }
  });

  test('closing goes out as a closed event', async () => {
    const a = await createAuction(app.app, seller, {
      startingPrice: 100,
      softClose: null,
      endDate: new Date(Date.now() + 1200).toISOString(),
    });
    const sse = await open([a.id]);
    try {
      await sse.waitFor((s) => s.events.length >= 1);
      await bid(a.id, bidders[2]!, 100);
      await sse.waitFor((s) => s.events.some((e) => e.event === 'closed'), 5000);
      const closed = sse.json<{ auction: AuctionBody }>(sse.events.findIndex((e) => e.event === 'closed')).auction;
      assert.equal(closed.status, 'closed');
      assert.equal(closed.outcome?.result, 'sold');
      assert.equal(closed.version, 3);
    } finally {
      sse.close();
    }
  });

  test('no event is older than what was sent for its auction: late and repeated bus deliveries are dropped', async () => {
    const a = await createAuction(app.app, seller, { startingPrice: 100 });
    const b = await createAuction(app.app, seller, { startingPrice: 100 });
    for (let i = 0; i < 5; i++) await bid(a.id, bidders[i % 3]!, 100 + i * 10);
    await bid(b.id, bidders[0]!, 100);
    // The bus replays a's and b's old events while the stream reads its snapshots…
    const sse = await open([a.id, b.id]);
    try {
      await sse.waitFor((s) => s.events.length >= 2);
      assert.equal(auctionOf(sse, 0).version, 6);
      // …and again once it is live.
      assert.equal(bus.redeliver(auctionTopic(a.id)), 5);
      assert.equal(bus.redeliver(auctionTopic(b.id)), 1);
      await bid(a.id, bidders[0]!, 500);
      await sse.waitFor((s) => s.events.length >= 3);
      assert.equal(bus.redeliver(auctionTopic(a.id)), 6);
      await bid(b.id, bidders[1]!, 500);
      await sse.waitFor((s) => s.events.length >= 4);
      assert.deepEqual(
        sse.events.map((e, i) => [e.event, auctionOf(sse, i).id, auctionOf(sse, i).version]),
        [
          ['snapshot', a.id, 6],
          ['snapshot', b.id, 2],
          ['bid', a.id, 7],
          ['bid', b.id, 3],
        ],
      );
    } finally {
      sse.close();
    }
  });

  test('bids racing the connection: per auction, versions only grow and the final state arrives', async () => {
    const auctions = await Promise.all(
      [0, 1, 2].map(() => createAuction(app.app, seller, { startingPrice: 1, softClose: null })),
    );
    const burst = Promise.all(
      Array.from({ length: 150 }, (_, i) => bid(auctions[i % 3]!.id, bidders[i % 3]!, 1 + Math.floor(i / 3))),
    );
    const watchers = await Promise.all(Array.from({ length: 5 }, () => open(auctions.map((a) => a.id))));
    await burst;
    try {
      const finals = await Promise.all(auctions.map((a) => currentState(a.id)));
      for (const sse of watchers) {
        await sse.waitFor((s) =>
          finals.every((f) =>
            s.events.some((e) => e.data.includes(`"version":${f.version},`) && e.data.includes(f.id)),
          ),
        );
        const seen = new Map<string, number>();
        sse.events.forEach((e, i) => {
          const { id, version } = auctionOf(sse, i);
          assert.ok(version > (seen.get(id) ?? 0), `${e.event} of ${id} at version ${version} after ${seen.get(id)}`);
          seen.set(id, version);
        });
        assert.deepEqual(
          sse.events.slice(0, 3).map((e) => e.event),
          ['snapshot', 'snapshot', 'snapshot'],
        );
        for (const f of finals) assert.equal(seen.get(f.id), f.version);
      }
    } finally {
      for (const sse of watchers) sse.close();
    }
  });

  test('a client that stops reading gets only the newest state per auction once it reads again', async () => {
    // Large events fill the socket quickly: ~10 KB of description in every auction view.
    const description = 'd'.repeat(10_000);
    const a = await createAuction(app.app, seller, {
      startingPrice: 1,
      softClose: null,
      item: { name: 'A', description },
    });
    const b = await createAuction(app.app, seller, {
      startingPrice: 1,
      softClose: null,
      item: { name: 'B', description },
    });
    const sse = await open([a.id, b.id]);
    try {
      sse.pause();
      const perAuction = 600;
      for (let round = 0; round < perAuction / 50; round++) {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) => {
            const amount = 1 + round * 50 + Math.floor(i / 2);
            return app.app.inject({
              method: 'POST',
              url: `/api/v1/auctions/${i % 2 === 0 ? a.id : b.id}/bids`,
              headers: bidders[(amount + (i % 2)) % 3]!.auth,
              payload: { amount },
            });
          }),
        );
      }
      const finals = [await currentState(a.id), await currentState(b.id)];
      // Concurrent bids may overtake each other (and some be refused as too low): most are accepted.
      const published = finals.reduce((n, f) => n + f.version - 1, 0);
      assert.ok(published > perAuction, `only ${published} events were published`);
      sse.resume();
      await sse.waitFor(
        (s) =>
          finals.every((f) =>
            s.events.some((e) => e.data.includes(`"id":"${f.id}"`) && e.data.includes(`"version":${f.version},`)),
          ),
        15_000,
      );
      const seen = new Map<string, number>();
      sse.events.forEach((_, i) => {
        const { id, version } = auctionOf(sse, i);
        assert.ok(version > (seen.get(id) ?? 0), 'versions only grow per auction');
        seen.set(id, version);
      });
      assert.ok(
        sse.events.length < 2 + published,
        `states were merged: ${sse.events.length} frames for 2 snapshots and ${published} events`,
      );
    } finally {
      sse.close();
    }
  });

  test('keep-alive comments at the heartbeat interval, also on a list of only unknown auctions', async () => {
    const sse = await open(['unknown-1', 'unknown-2']);
    try {
      assert.equal(sse.status, 200);
      await sse.waitFor((c) => c.comments >= 2, 3000);
      assert.equal(sse.events.length, 0);
    } finally {
      sse.close();
    }
  });

  test('400 VALIDATION_FAILED unless auctions is 1–100 comma-separated ids of 1–128 characters', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`).join(',');
    for (const query of [
      '',
      '?auctions=',
      '?auctions=,',
      '?auctions=a,,b',
      '?auctions=a,',
      '?auctions=,a',
      `?auctions=${ids(101)}`,
      `?auctions=${'x'.repeat(129)}`,
      `?auctions=a,${'x'.repeat(129)}`,
      '?auctions=a&auctions=b',
      '?ids=a',
    ]) {
      expectProblem(await app.app.inject({ method: 'GET', url: `/api/v1/events${query}` }), 'VALIDATION_FAILED');
    }
    // The boundaries are accepted (a stream opens): 100 ids, 128 characters.
    for (const list of [ids(100), 'x'.repeat(128)]) {
      const sse = await SseClient.open(`${base}/api/v1/events?auctions=${list}`);
      assert.equal(sse.status, 200, list.slice(0, 20));
      sse.close();
    }
  });
});

test('app shutdown ends watch-list streams', { timeout: 10_000 }, async () => {
  const own = await startTestApp({ listen: true });
  const ownSeller = await createUser(own.app, 'seller');
  const auction = await createAuction(own.app, ownSeller);
  const sse = await SseClient.open(`${baseUrl(own.app)}/api/v1/events?auctions=${auction.id}`);
  await sse.waitFor((c) => c.events.length >= 1);
  const started = Date.now();
  await own.dispose();
  await sse.waitFor((c) => c.ended, 2000);
  assert.ok(Date.now() - started < 2000);
  assert.equal(own.hub.connectionCount, 0);
});
