import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allBids, call } from './support/child-server.ts';
import {
  BURST_LIMITS,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';

/**
 * Strong consistency over real HTTP: many bidders hit one auction at once.
 * Accepted bids, in version order, strictly increase; the displayed price is
 * the highest accepted amount; every answered bid is stored with the status
 * it was answered with; concurrent twins with one Idempotency-Key store one bid.
 */

let app: TestApp;
let base: string;
let seller: TestUser;
let bidders: TestUser[];

before(async () => {
  app = await startTestApp({ listen: true, limits: BURST_LIMITS });
  base = baseUrl(app.app);
  seller = await createUser(app.app, 'seller');
  bidders = await Promise.all(Array.from({ length: 24 }, () => createUser(app.app, 'bidder')));
});
after(() => app.dispose());

test('24 bidders, 480 concurrent bids on one auction: no lost update, no out-of-order acceptance', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100, minIncrement: 5, softClose: null });
  const answers: { status: number; bid: { id: string; amount: number; status: string; reason: string | null } }[] = [];
  // Every bidder fires 20 bids without waiting, with random amounts: many race for the same price level.
  await Promise.all(
    bidders.flatMap((bidder) =>
      Array.from({ length: 20 }, async () => {
        const amount = 100 + Math.floor(Math.random() * 2000);
        const res = await call(`${base}/api/v1/auctions/${auction.id}/bids`, 'POST', { amount }, bidder.auth);
        assert.ok(res.status === 201 || res.status === 409, `unexpected ${res.status} ${JSON.stringify(res.body)}`);
        answers.push({ status: res.status, bid: res.body.bid as (typeof answers)[number]['bid'] });
      }),
    ),
  );
  assert.equal(answers.length, 480);
  const accepted201 = answers.filter((a) => a.status === 201);
  assert.ok(accepted201.length > 1, 'some bids must win');
  assert.ok(
    answers.some((a) => a.status === 409),
    'some bids must lose',
  );

  const history = await allBids(base, auction.id);
  assert.equal(history.length, 480, 'every answered bid is stored exactly once');
  const byId = new Map(history.map((b) => [b.id, b]));
  for (const answer of answers) {
    const stored = byId.get(answer.bid.id);
    assert.ok(stored, 'answered bid missing from history');
    assert.equal(stored.status, answer.bid.status);
    assert.equal(stored.status, answer.status === 201 ? 'accepted' : 'rejected');
    assert.equal(stored.amount, answer.bid.amount);
    assert.equal(stored.reason, answer.bid.reason);
  }

  const accepted = history.filter((b) => b.status === 'accepted').sort((a, b) => a.auctionVersion - b.auctionVersion);
  assert.equal(accepted.length, accepted201.length);
  for (let i = 1; i < accepted.length; i++) {
    assert.ok(accepted[i]!.amount >= accepted[i - 1]!.amount + 5, 'accepted amounts grow by at least minIncrement');
    assert.equal(accepted[i]!.auctionVersion, accepted[i - 1]!.auctionVersion + 1, 'one version per accepted bid');
  }
  const state = (await call(`${base}/api/v1/auctions/${auction.id}`, 'GET')).body.auction as {
    currentPrice: number;
    bidCount: number;
    version: number;
    highestBid: { id: string };
  };
  const top = accepted.at(-1)!;
  assert.equal(state.currentPrice, top.amount);
  assert.equal(state.currentPrice, Math.max(...accepted.map((b) => b.amount)));
  assert.equal(state.highestBid.id, top.id);
  assert.equal(state.bidCount, accepted.length);
  assert.equal(state.version, 1 + accepted.length);
  // Rejections agree with the rules: a too-low bid was below some accepted bid that came before it.
  for (const b of history.filter((h) => h.reason === 'BID_TOO_LOW')) {
    const before = accepted.filter((a) => a.auctionVersion <= b.auctionVersion);
    assert.ok(before.length === 0 ? b.amount < 100 : b.amount < before.at(-1)!.amount + 5);
  }
});

test('the same Idempotency-Key sent 12 times at once stores one bid and answers the same', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const bidder = bidders[0]!;
  const results = await Promise.all(
    Array.from({ length: 12 }, () =>
      call(
        `${base}/api/v1/auctions/${auction.id}/bids`,
        'POST',
        { amount: 150 },
        { ...bidder.auth, 'idempotency-key': 'twin-key' },
      ),
    ),
  );
  const ids = new Set(results.map((r) => (r.body.bid as { id: string }).id));
  assert.deepEqual(
    results.map((r) => r.status),
    Array(12).fill(201),
  );
  assert.equal(ids.size, 1, 'all twins see the same bid id');
  const history = await allBids(base, auction.id);
  assert.equal(history.length, 1);

  // Concurrent twins with a different body: the first wins, the others are refused, nothing new stored.
  const mixed = await Promise.all(
    [200, 201, 200, 202].map((amount) =>
      call(
        `${base}/api/v1/auctions/${auction.id}/bids`,
        'POST',
        { amount },
        { ...bidder.auth, 'idempotency-key': 'mixed-key' },
      ),
    ),
  );
  assert.equal(mixed[0]!.status, 201);
  assert.equal(mixed[2]!.status, 201);
  assert.equal((mixed[2]!.body.bid as { id: string }).id, (mixed[0]!.body.bid as { id: string }).id);
  assert.equal(mixed[1]!.status, 422);
  assert.equal(mixed[1]!.body.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal(mixed[3]!.body.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal((await allBids(base, auction.id)).length, 2);

  // The key is scoped to the bidder: another bidder may use the same key for their own bid.
  const other = await call(
    `${base}/api/v1/auctions/${auction.id}/bids`,
    'POST',
    { amount: 300 },
    {
      ...bidders[1]!.auth,
      'idempotency-key': 'twin-key',
    },
  );
  assert.equal(other.status, 201);
  assert.notEqual((other.body.bid as { id: string }).id, [...ids][0]);
});

test('bids for many auctions at once are all decided and each auction stays consistent', async () => {
  const auctions = await Promise.all(
    Array.from({ length: 10 }, () => createAuction(app.app, seller, { startingPrice: 10 })),
  );
  await Promise.all(
    auctions.flatMap((a, i) =>
      bidders
        .slice(0, 10)
        .map((bidder, j) =>
          call(`${base}/api/v1/auctions/${a.id}/bids`, 'POST', { amount: 10 + j * 10 + i }, bidder.auth),
        ),
    ),
  );
  for (const [i, a] of auctions.entries()) {
    const history = await allBids(base, a.id);
    assert.equal(history.length, 10);
    const accepted = history.filter((b) => b.status === 'accepted').sort((x, y) => x.auctionVersion - y.auctionVersion);
    const state = (await call(`${base}/api/v1/auctions/${a.id}`, 'GET')).body.auction as { currentPrice: number };
    assert.equal(state.currentPrice, accepted.at(-1)!.amount);
    assert.equal(state.currentPrice, 10 + 90 + i, 'the highest bid always ends up on top');
  }
});
