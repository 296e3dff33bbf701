import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from './support/child-server.ts';
import { type TestApp, type TestUser, baseUrl, createAuction, createUser, startTestApp } from './support/harness.ts';
import { SseClient } from './support/sse-client.ts';

/** GET /me/events: each user's notifications, durable, in order, resumable with Last-Event-ID. */

let app: TestApp;
let base: string;
let seller: TestUser;
let alice: TestUser;
let bob: TestUser;

before(async () => {
  app = await startTestApp({ listen: true });
  base = baseUrl(app.app);
  seller = await createUser(app.app, 'seller');
  alice = await createUser(app.app, 'alice');
  bob = await createUser(app.app, 'bob');
});
after(() => app.dispose());

const open = (user: TestUser, lastEventId?: string) =>
  SseClient.open(`${base}/api/v1/me/events`, {
    authorization: user.auth.authorization,
    ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
  });
const bid = (auctionId: string, user: TestUser, amount: number) =>
  call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, user.auth);
const types = (c: SseClient) => c.events.map((e) => e.event);

test('outbid and bid_received reach only their users; a reconnect with Last-Event-ID loses nothing', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const sellerStream = await open(seller);
  const aliceStream = await open(alice);
  const bobStream = await open(bob);
  await Promise.all([sellerStream, aliceStream, bobStream].map((s) => s.waitFor((c) => c.events.length >= 1)));
  assert.deepEqual(types(aliceStream), ['ready']);

  assert.equal((await bid(auction.id, alice, 100)).status, 201);
  assert.equal((await bid(auction.id, bob, 200)).status, 201);
  await aliceStream.waitFor((c) => types(c).includes('outbid'));
  await sellerStream.waitFor((c) => types(c).filter((t) => t === 'bid_received').length === 2);
  const outbid = aliceStream.json<{ auctionId: string; currentPrice: number; type: string }>(1);
  assert.equal(outbid.auctionId, auction.id);
  assert.equal(outbid.currentPrice, 200);
  assert.ok(!types(bobStream).includes('outbid'), 'bob was never outbid');

  // Alice goes away; while she is gone she is outbid again.
  const lastSeen = aliceStream.events.at(-1)!.id!;
  aliceStream.close();
  assert.equal((await bid(auction.id, alice, 300)).status, 201);
  assert.equal((await bid(auction.id, bob, 400)).status, 201);
  await bobStream.waitFor((c) => types(c).includes('outbid'));

  const resumed = await open(alice, lastSeen);
  await resumed.waitFor((c) => c.events.length >= 1);
  assert.deepEqual(types(resumed), ['outbid'], 'resume replays what was missed, no ready event');
  assert.equal(resumed.json<{ currentPrice: number }>(0).currentPrice, 400);
  assert.ok(Number(resumed.events[0]!.id) > Number(lastSeen));
  for (const s of [sellerStream, bobStream, resumed]) {
    const ids = s.events.map((e) => Number(e.id));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, 'ids strictly increase');
    s.close();
  }
});

test('the close tells the winner (won, with the payment deadline) and the seller (auction_closed)', async () => {
  const auction = await createAuction(app.app, seller, {
    startingPrice: 100,
    softClose: null,
    endDate: new Date(Date.now() + 1200).toISOString(),
  });
  const sellerStream = await open(seller);
  const bobStream = await open(bob);
  await Promise.all([sellerStream, bobStream].map((s) => s.waitFor((c) => c.events.length >= 1)));
  assert.equal((await bid(auction.id, bob, 150)).status, 201);
  await bobStream.waitFor((c) => types(c).includes('won'), 5000);
  const won = bobStream.json<{ auctionId: string; price: number; deadline: string }>(types(bobStream).indexOf('won'));
  assert.equal(won.auctionId, auction.id);
  assert.equal(won.price, 150);
  assert.ok(Date.parse(won.deadline) > Date.now() + 3 * 24 * 3600 * 1000, 'the default 4-day payment window');
  await sellerStream.waitFor((c) => types(c).includes('auction_closed'), 5000);
  sellerStream.close();
  bobStream.close();
});

test('proxy bidding: the leader hears that their maximum defended the lead', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100, proxyBidding: true });
  const aliceStream = await open(alice);
  await aliceStream.waitFor((c) => c.events.length >= 1);
  assert.equal((await bid(auction.id, alice, 1000)).status, 201);
  const challenge = await bid(auction.id, bob, 500);
  assert.equal(challenge.status, 201);
  assert.equal(challenge.body.leading, false);
  await aliceStream.waitFor((c) => types(c).includes('leading'));
  assert.equal(aliceStream.json<{ currentPrice: number }>(types(aliceStream).indexOf('leading')).currentPrice, 501);
  assert.ok(
    !aliceStream.events.some((e) => e.data.includes('"maxAmount"') || e.data.includes('1000')),
    'no maximum leaks',
  );
  aliceStream.close();
});

test('without a token it is 401 UNAUTHENTICATED', async () => {
  const res = await fetch(`${base}/api/v1/me/events`);
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { code: string }).code, 'UNAUTHENTICATED');
});
