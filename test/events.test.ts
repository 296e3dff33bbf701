import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
import { SseClient } from './support/sse-client.ts';

/** Live events: snapshot first, ids = versions strictly increasing, lossless resume, heartbeats, many watchers. */

let app: TestApp;
let base: string;
let seller: TestUser;
let bidders: TestUser[];

before(async () => {
  app = await startTestApp({ listen: true, heartbeatMs: 200, limits: BURST_LIMITS });
  base = baseUrl(app.app);
  seller = await createUser(app.app, 'seller');
  bidders = await Promise.all(Array.from({ length: 4 }, () => createUser(app.app, 'bidder')));
});
after(() => app.dispose());

const bid = (auctionId: string, who: TestUser, amount: number) =>
  call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, who.auth);

function assertStrictlyIncreasingIds(client: SseClient) {
  const ids = client.events.map((e) => Number(e.id));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids not increasing: ${ids.join(',')}`);
}

test('a new stream starts with a snapshot, then bid events with id = version, in order', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  await bid(auction.id, bidders[0]!, 100);
  const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
  assert.equal(sse.status, 200);
  assert.match(String(sse.headers['content-type']), /^text\/event-stream/);
  await sse.waitFor((c) => c.events.length >= 1);
  assert.equal(sse.events[0]!.event, 'snapshot');
  assert.equal(sse.events[0]!.id, '2');
  assert.equal(sse.json<{ auction: AuctionBody }>(0).auction.currentPrice, 100);

  for (let i = 1; i <= 10; i++) await bid(auction.id, bidders[i % 4]!, 100 + i * 10);
  await sse.waitFor((c) => c.events.length >= 11);
  assert.deepEqual(
    sse.events.map((e) => e.id),
    ['2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
  );
  const last = sse.json<{ bid: { amount: number }; auction: AuctionBody }>(10);
  assert.equal(sse.events[10]!.event, 'bid');
  assert.equal(last.bid.amount, 200);
  assert.equal(last.auction.currentPrice, 200);
  assert.equal(last.auction.version, 12);
  assert.equal('reservePrice' in last.auction, false, 'events never carry the reserve');
  sse.close();
});

test('resume with Last-Event-ID replays every missed event in order, then goes live, without a snapshot', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const first = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
  for (let i = 0; i < 5; i++) await bid(auction.id, bidders[i % 4]!, 100 + i);
  await first.waitFor((c) => c.events.length >= 6);
  const lastSeen = first.events.at(-1)!.id!;
  first.close();
  // Missed while disconnected:
  for (let i = 5; i < 25; i++) await bid(auction.id, bidders[i % 4]!, 100 + i);

  const resumed = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`, { 'last-event-id': lastSeen });
  await resumed.waitFor((c) => c.events.length >= 20);
  assert.ok(
    resumed.events.every((e) => e.event === 'bid'),
    'no snapshot on a successful resume',
  );
  assert.deepEqual(
    resumed.events.map((e) => Number(e.id)),
    Array.from({ length: 20 }, (_, i) => Number(lastSeen) + 1 + i),
  );
  await bid(auction.id, bidders[0]!, 500);
  await resumed.waitFor((c) => c.events.length >= 21);
  assert.equal(resumed.events[20]!.id, String(Number(lastSeen) + 21));
  assertStrictlyIncreasingIds(resumed);
  resumed.close();

  // The query-string form works the same for clients that cannot set headers.
  const viaQuery = await SseClient.open(
    `${base}/api/v1/auctions/${auction.id}/events?lastEventId=${Number(lastSeen) + 19}`,
  );
  await viaQuery.waitFor((c) => c.events.length >= 2);
  assert.deepEqual(
    viaQuery.events.map((e) => e.event),
    ['bid', 'bid'],
  );
  viaQuery.close();
});

test('resume from an unknown point (ahead of history, or garbage) gets a fresh snapshot', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  await bid(auction.id, bidders[0]!, 100);
  for (const lastEventId of ['999', 'abc', '-1']) {
    const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`, { 'last-event-id': lastEventId });
    await sse.waitFor((c) => c.events.length >= 1);
    assert.equal(sse.events[0]!.event, 'snapshot', `Last-Event-ID ${lastEventId}`);
    assert.equal(sse.events[0]!.id, '2');
    sse.close();
  }
  // Up to date: nothing to replay, just live events.
  const upToDate = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`, { 'last-event-id': '2' });
  await bid(auction.id, bidders[1]!, 200);
  await upToDate.waitFor((c) => c.events.length >= 1);
  assert.equal(upToDate.events[0]!.event, 'bid');
  assert.equal(upToDate.events[0]!.id, '3');
  upToDate.close();
});

test('heartbeat comments keep idle streams alive; unknown auction is a 404 problem', async () => {
  const auction = await createAuction(app.app, seller);
  const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
  await sse.waitFor((c) => c.comments >= 2, 3000);
  sse.close();
  const missing = await fetch(`${base}/api/v1/auctions/nope/events`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { code: string }).code, 'AUCTION_NOT_FOUND');
});

test('40 watchers during a burst of 300 concurrent bids: each sees increasing ids and the final state', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 1, softClose: null });
  const watchers = await Promise.all(
    Array.from({ length: 40 }, () => SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`)),
  );
  await Promise.all(watchers.map((w) => w.waitFor((c) => c.events.length >= 1)));
  await Promise.all(Array.from({ length: 300 }, (_, i) => bid(auction.id, bidders[i % 4]!, 1 + i)));
  const state = (await call(`${base}/api/v1/auctions/${auction.id}`, 'GET')).body.auction as AuctionBody;
  for (const w of watchers) {
    await w.waitFor((c) => c.events.at(-1)!.id === String(state.version), 5000);
    assertStrictlyIncreasingIds(w);
    const last = w.json<{ auction: AuctionBody }>(w.events.length - 1).auction;
    assert.equal(last.currentPrice, state.currentPrice);
    w.close();
  }
});

test('app shutdown ends open streams', async () => {
  const own = await startTestApp({ listen: true });
  const ownSeller = await createUser(own.app, 'seller');
  const auction = await createAuction(own.app, ownSeller);
  const sse = await SseClient.open(`${baseUrl(own.app)}/api/v1/auctions/${auction.id}/events`);
  await sse.waitFor((c) => c.events.length >= 1);
  const started = Date.now();
  await own.dispose();
  await sse.waitFor((c) => c.ended, 2000);
  assert.ok(Date.now() - started < 2000);
});
