import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type AuctionBody,
  ManualClock,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { ISO_MS, expectProblem } from './support/problem.ts';

/**
 * `GET /api/v1/me/bids/:auctionId`: the caller's standing on one auction, the
 * same `myBid` as that auction's item in `GET /api/v1/me/bids`.
 */

interface MyBid {
  auction: AuctionBody;
  highestBid: number;
  maximum: number | null;
  standing: string;
  lastBidAt: string;
}

describe('GET /api/v1/me/bids/:auctionId', () => {
  const clock = new ManualClock();
  let testApp: TestApp;
  let seller: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    testApp = await startTestApp({ clock });
    seller = await createUser(testApp.app, 'seller');
    alice = await createUser(testApp.app, 'alice');
    bob = await createUser(testApp.app, 'bob');
  });
  after(async () => {
    await testApp.dispose();
  });

  const auctionWith = (overrides: Record<string, unknown> = {}) =>
    createAuction(testApp.app, seller, { startingPrice: 1000, minIncrement: 100, ...overrides }, clock.now());
  const bid = async (auctionId: string, who: TestUser, amount: number, expected = 201) => {
    const res = await testApp.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auctionId}/bids`,
      headers: who.auth,
      payload: { amount },
    });
    assert.equal(res.statusCode, expected, res.body);
  };
  const mine = (auctionId: string, headers: Record<string, string>) =>
    testApp.app.inject({ method: 'GET', url: `/api/v1/me/bids/${encodeURIComponent(auctionId)}`, headers });
  const itemOf = async (auctionId: string, who: TestUser): Promise<MyBid> => {
    const res = await mine(auctionId, who.auth);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { item: MyBid };
    assert.deepEqual(Object.keys(body), ['item']);
    return body.item;
  };
  /** The same auction's item in the list endpoint. */
  const listItemOf = async (auctionId: string, who: TestUser): Promise<MyBid | undefined> => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/v1/me/bids?limit=100', headers: who.auth });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { items: MyBid[] }).items.find((i) => i.auction.id === auctionId);
  };

  test('200 { item } equal to the auction’s item in GET /me/bids, for the leader and for the outbid', async () => {
    const auction = await auctionWith();
    clock.advance(1000);
    await bid(auction.id, alice, 1000);
    clock.advance(1000);
    const aliceAt = clock.now();
    await bid(auction.id, alice, 1500);
    clock.advance(1000);
    await bid(auction.id, bob, 1600);

    const a = await itemOf(auction.id, alice);
    assert.deepEqual(Object.keys(a).sort(), ['auction', 'highestBid', 'lastBidAt', 'maximum', 'standing']);
    assert.deepEqual(a, await listItemOf(auction.id, alice));
    assert.equal(a.highestBid, 1500);
    assert.equal(a.maximum, null, 'open bidding has no maximum');
    assert.equal(a.standing, 'outbid');
    assert.equal(a.lastBidAt, new Date(aliceAt).toISOString());
    assert.match(a.lastBidAt, ISO_MS);

    const b = await itemOf(auction.id, bob);
    assert.deepEqual(b, await listItemOf(auction.id, bob));
    assert.equal(b.highestBid, 1600);
    assert.equal(b.standing, 'leading');
    // The auction as it stands now, in the caller's (not the seller's) view.
    const current = (await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}` })).json() as {
      auction: AuctionBody;
    };
    // GET one also counts the watchers (a read of the auction, not of its state).
    const { watcherCount: _watchers, ...currentState } = current.auction;
    assert.deepEqual(b.auction, currentState);
    assert.equal(b.auction.version, 4);
    assert.equal('reservePrice' in b.auction, false);
  });

  test('the standing follows the auction: leading, outbid, then payment_due / lost once it has ended', async () => {
    const auction = await auctionWith({ endDate: new Date(clock.now() + 60_000).toISOString(), softClose: null });
    await bid(auction.id, alice, 1000);
    assert.equal((await itemOf(auction.id, alice)).standing, 'leading');
    await bid(auction.id, bob, 1100);
    assert.equal((await itemOf(auction.id, alice)).standing, 'outbid');
    assert.equal((await itemOf(auction.id, bob)).standing, 'leading');
    clock.advance(60_000);
    const won = await itemOf(auction.id, bob);
    assert.equal(won.standing, 'payment_due');
    assert.equal(won.auction.status, 'closed');
    assert.equal((await itemOf(auction.id, alice)).standing, 'lost');
  });

  test('under proxy bidding the item carries the caller’s own maximum, and nobody else’s', async () => {
    const auction = await auctionWith({ proxyBidding: true });
    await bid(auction.id, alice, 5000);
    await bid(auction.id, bob, 3000);
    const a = await itemOf(auction.id, alice);
    assert.equal(a.maximum, 5000);
    assert.equal(a.standing, 'leading');
    assert.deepEqual(a, await listItemOf(auction.id, alice));
    const b = await itemOf(auction.id, bob);
    assert.equal(b.maximum, 3000);
    assert.equal(b.standing, 'outbid');
    assert.doesNotMatch(JSON.stringify(b), /[:,[]5000[,}\]]/, 'the leader’s maximum stays private');
  });

  test('404 NOT_FOUND when the caller has no accepted bid there (never bid, only rejected bids, the seller)', async () => {
    const auction = await auctionWith();
    await bid(auction.id, alice, 1000);
    expectProblem(await mine(auction.id, bob.auth), 'NOT_FOUND');
    await bid(auction.id, bob, 1000, 409); // too low: stored as rejected, not a standing
    expectProblem(await mine(auction.id, bob.auth), 'NOT_FOUND');
    await bid(auction.id, seller, 5000, 409); // self-bidding
    expectProblem(await mine(auction.id, seller.auth), 'NOT_FOUND');
    // Alice's bid on another auction says nothing about this one.
    const other = await auctionWith();
    expectProblem(await mine(other.id, alice.auth), 'NOT_FOUND');
  });

  test('404 AUCTION_NOT_FOUND for an unknown auction, 400 VALIDATION_FAILED for a malformed id, 401 without a session', async () => {
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', alice.id, 'x'.repeat(128), '🦄']) {
      expectProblem(await mine(id, alice.auth), 'AUCTION_NOT_FOUND');
    }
    expectProblem(await mine('x'.repeat(129), alice.auth), 'VALIDATION_FAILED');
    const auction = await auctionWith();
    await bid(auction.id, alice, 1000);
    expectProblem(await mine(auction.id, {}), 'UNAUTHENTICATED');
    expectProblem(await mine(auction.id, { authorization: `Bearer ${'Q'.repeat(43)}` }), 'UNAUTHENTICATED');
  });

  test('the session cookie works as well as the bearer token', async () => {
    const auction = await auctionWith();
    await bid(auction.id, alice, 1000);
    const login = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: alice.username, password: 'correct horse battery' },
    });
    const token = (login.json() as { token: string }).token;
    const res = await mine(auction.id, { cookie: `gavel_session=${token}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((res.json() as { item: MyBid }).item, await itemOf(auction.id, alice));
  });
});
