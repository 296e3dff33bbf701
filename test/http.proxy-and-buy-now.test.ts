import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allBids, call } from './support/child-server.ts';
import {
  BURST_LIMITS,
  type AuctionBody,
  type TestApp,
  type TestUser,
  baseUrl,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { ProxyModel, modelStandardIncrement } from './support/proxy-model.ts';
import { SseClient } from './support/sse-client.ts';
import { countRows } from './support/store-probe.ts';

/**
 * Proxy bidding, buy-now and cancel over real HTTP (fetch against a listening
 * app): concurrent maximums end in a state their stored history explains,
 * maximums and the reserve stay private everywhere but in the bidder's (or
 * seller's) own view, buy-now races bids with exactly one winner, cancel is the
 * seller's and only before any accepted bid.
 */

let app: TestApp;
/** Every stored bid of an auction, public or not (the audit trail), straight from storage. */
const storedBidCount = (auctionId: string) => countRows(app.store, 'bids', { auction_id: auctionId });
let base: string;
let seller: TestUser;
let users: TestUser[];

before(async () => {
  app = await startTestApp({ listen: true, limits: BURST_LIMITS });
  base = baseUrl(app.app);
  seller = await createUser(app.app, 'seller');
  users = await Promise.all(Array.from({ length: 22 }, () => createUser(app.app, 'bidder')));
});
after(() => app.dispose());

/** Deterministic randomness (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

async function create(overrides: Record<string, unknown> = {}): Promise<AuctionBody> {
  const res = await call(
    `${base}/api/v1/auctions`,
    'POST',
    {
      item: { name: 'Rolex Submariner', description: 'Box and papers' },
      startingPrice: 1000,
      endDate: new Date(Date.now() + 3_600_000).toISOString(),
      ...overrides,
    },
    seller.auth,
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.auction as AuctionBody;
}

interface WireBid {
  id: string;
  bidderId: string;
  amount: number;
  kind: 'bid' | 'proxy' | 'buy_now';
  maxAmount?: number | null;
  status: 'accepted' | 'rejected';
  reason: string | null;
  auctionVersion: number;
}

const placeBid = (auctionId: string, who: TestUser, amount: number) =>
  call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, who.auth);
const act = (auctionId: string, who: TestUser, path: string) =>
  call(`${base}/api/v1/auctions/${auctionId}/${path}`, 'POST', undefined, who.auth);
const getAuction = async (auctionId: string, who?: TestUser) => {
  const res = await call(`${base}/api/v1/auctions/${auctionId}`, 'GET', undefined, who?.auth ?? {});
  assert.equal(res.status, 200);
  return res.body.auction as AuctionBody;
};
const getText = async (path: string, who?: TestUser) => {
  const res = await fetch(`${base}${path}`, { headers: who?.auth ?? {} });
  assert.equal(res.status, 200, path);
  return res.text();
};

const PRIVATE_KEYS = ['maxAmount', 'reservePrice', 'leaderMax'];
function assertNoPrivateKeys(text: string, where: string) {
  for (const key of PRIVATE_KEYS) assert.ok(!text.includes(`"${key}"`), `${where} leaks ${key}: ${text.slice(0, 400)}`);
}

function assertProblem(res: { status: number; body: Record<string, unknown> }, status: number, code: string) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, code);
}

describe('proxy bidding over HTTP', () => {
  test('concurrent maximums from 10 bidders: the stored history explains the state; maximums stay private', async () => {
    const random = prng(20261122);
    const reservePrice = 6_000;
    const auction = await create({ proxyBidding: true, incrementTable: 'standard', reservePrice });
    const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
    const bidders = users.slice(0, 10);
    const answers: { who: TestUser; amount: number; status: number; bid: WireBid; leading: boolean }[] = [];

    try {
      for (let round = 0; round < 6; round++) {
        const price = (await getAuction(auction.id)).currentPrice ?? 1000;
        // Maximums a few increments around the price, on a coarse grid: ties and near-ties happen.
        const results = await Promise.all(
          bidders.map(async (who) => {
            const amount = price + (random(12) - 2) * 100 + (random(4) === 0 ? 50 : 0);
            const res = await placeBid(auction.id, who, amount);
            return { who, amount, res };
          }),
        );
        for (const { who, amount, res } of results) {
          assert.ok(res.status === 201 || res.status === 409, `unexpected ${res.status} ${JSON.stringify(res.body)}`);
          const bid = res.body.bid as WireBid;
          assert.equal(bid.bidderId, who.id);
          const view = res.body.auction as AuctionBody;
          assert.equal('reservePrice' in view, false, 'a bidder never sees the reserve');
          assert.equal('leaderMax' in view, false);
          if (res.status === 201) {
            // The bidder's own answer shows their own maximum, and a visible amount not above it.
            assert.equal(bid.maxAmount, amount);
            assert.ok(bid.amount <= amount);
            assert.equal(bid.status, 'accepted');
            assert.equal(typeof res.body.leading, 'boolean');
          } else {
            assert.equal(bid.status, 'rejected');
            assert.equal(res.body.code, bid.reason);
          }
          answers.push({ who, amount, status: res.status, bid, leading: res.body.leading === true });
        }
      }

      const state = await getAuction(auction.id);
      const history = await allBids(base, auction.id);
      const acceptedBids = history
        .filter((b) => b.status === 'accepted')
        .sort((x, y) => x.auctionVersion - y.auctionVersion);
      assert.ok(acceptedBids.length >= 10, `only ${acceptedBids.length} accepted`);

      // The stored history replayed in version order reproduces the stored state.
      acceptedBids.forEach((b, i) => assert.equal(b.auctionVersion, i + 2, 'accepted bids have versions 2, 3, …'));
      for (let i = 1; i < acceptedBids.length; i++) assert.ok(acceptedBids[i]!.amount >= acceptedBids[i - 1]!.amount);
      const last = acceptedBids.at(-1)!;
      assert.equal(state.currentPrice, last.amount);
      assert.equal(state.highestBid?.bidderId, last.bidderId);
      assert.equal(state.highestBid?.id, last.id);
      assert.equal(state.bidCount, acceptedBids.length);
      assert.equal(state.version, 1 + acceptedBids.length);
      // Every answered bid is stored (the audit trail), but refused maximums stay out of the public history.
      assert.equal(
        await storedBidCount(auction.id),
        acceptedBids.length + answers.filter((a) => a.status === 409).length,
      );
      assert.equal(history.length, acceptedBids.length);

      // Replaying the submitted maximums in server order through the reference model gives the same prices.
      // Server order: an accepted command ends at its last step (its own step, or the proxy answer right
      // after it when it does not lead); a rejected one was judged against the version before it.
      const byVersion = new Map(acceptedBids.map((b) => [b.auctionVersion, b]));
      const ordered = answers
        .map((a) => ({
          ...a,
          key: a.status === 201 ? a.bid.auctionVersion + (a.leading ? 0 : 1) : a.bid.auctionVersion + 0.5,
        }))
        .sort((x, y) => x.key - y.key);
      const model = new ProxyModel({ startingPrice: 1000, reservePrice, increment: modelStandardIncrement });
      for (const a of ordered) {
        const ok = model.submit(a.who.id, a.amount);
        assert.equal(ok, a.status === 201, `model and server disagree on ${a.who.id} max ${a.amount}`);
        if (ok) {
          const lastStep = byVersion.get(a.key)!;
          assert.equal(lastStep.amount, model.price, `price after ${a.who.id} max ${a.amount}`);
          assert.equal(lastStep.bidderId, model.leader());
        }
      }
      assert.equal(state.currentPrice, model.price);
      assert.equal(state.reserveMet, model.reserveMet());

      // Privacy: the public read, the list, the public history and the events carry no maximum, no reserve,
      // and no accepted amount above the visible price.
      const visible = state.currentPrice!;
      assertNoPrivateKeys(await getText(`/api/v1/auctions/${auction.id}`), 'GET auction');
      assertNoPrivateKeys(await getText(`/api/v1/auctions/${auction.id}`, bidders[0]), 'GET auction as a bidder');
      assertNoPrivateKeys(await getText(`/api/v1/auctions?sellerId=${seller.id}&limit=100`), 'list');
      assertNoPrivateKeys(await getText(`/api/v1/auctions/${auction.id}/bids?limit=100`), 'history');
      assertNoPrivateKeys(await getText(`/api/v1/auctions/${auction.id}/bids?status=all&limit=100`), 'history (all)');
      assertNoPrivateKeys(
        await getText(`/api/v1/auctions/${auction.id}/bids?status=all&limit=100`, bidders[0]),
        'history read by a bidder',
      );
      assertNoPrivateKeys(await getText(`/api/v1/auctions/${auction.id}/leaderboard?limit=20`), 'leaderboard');
      for (const b of acceptedBids) assert.ok(b.amount <= visible, `history shows ${b.amount} above ${visible}`);
      const board = JSON.parse(await getText(`/api/v1/auctions/${auction.id}/leaderboard?limit=20`)) as {
        items: { amount: number }[];
      };
      for (const row of board.items) assert.ok(row.amount <= visible, `leaderboard shows ${row.amount} > ${visible}`);
      // Only the seller sees the reserve.
      assert.equal((await getAuction(auction.id, seller)).reservePrice, reservePrice);

      await sse.waitFor((c) => c.events.some((e) => Number(e.id) === state.version), 10_000);
      let lastId = 0;
      let lastPrice = 0;
      for (const e of sse.events) {
        assertNoPrivateKeys(e.data, `SSE ${e.event}`);
        assert.ok(Number(e.id) > lastId, 'event ids increase');
        lastId = Number(e.id);
        const data = JSON.parse(e.data) as { auction: AuctionBody; bid?: WireBid };
        const price = data.auction.currentPrice ?? 0;
        assert.ok(price >= lastPrice && price <= visible);
        lastPrice = price;
        if (data.bid) assert.equal(data.bid.amount, price);
      }

      // My bids: each bidder sees their own highest maximum and highest visible bid.
      for (const who of bidders) {
        const mine = answers.filter((a) => a.who === who && a.status === 201);
        const res = await call(`${base}/api/v1/me/bids?limit=100`, 'GET', undefined, who.auth);
        assert.equal(res.status, 200);
        const items = res.body.items as {
          auction: AuctionBody;
          highestBid: number;
          maximum: number | null;
          standing: string;
        }[];
        const item = items.find((i) => i.auction.id === auction.id);
        if (mine.length === 0) {
          assert.equal(item, undefined);
          continue;
        }
        assert.ok(item, `${who.id} misses the auction in /me/bids`);
        assert.equal(item.maximum, Math.max(...mine.map((a) => a.amount)));
        const visibleOwn = acceptedBids.filter((b) => b.bidderId === who.id).map((b) => b.amount);
        assert.equal(item.highestBid, Math.max(...visibleOwn));
        assert.equal(item.standing, state.highestBid?.bidderId === who.id ? 'leading' : 'outbid');
        assert.equal('reservePrice' in item.auction, false);
      }
    } finally {
      sse.close();
    }
  });

  test("a leader's refused raise does not reveal their maximum in the public history", async () => {
    const [a, b] = users;
    const auction = await create({ proxyBidding: true, minIncrement: 100 });
    assert.equal((await placeBid(auction.id, a!, 9_000)).status, 201); // A leads at 10.00 with max 90.00
    assert.equal((await placeBid(auction.id, b!, 2_000)).status, 201); // A answers at 21.00
    // A "raises" to 50.00, below their own maximum: refused (their own 409 may show it to them).
    const refused = await placeBid(auction.id, a!, 5_000);
    assertProblem(refused, 409, 'BID_TOO_LOW');
    const state = await getAuction(auction.id);
    assert.equal(state.currentPrice, 2_100);
    const history = await allBids(base, auction.id);
    for (const bid of history)
      assert.ok(
        bid.amount <= state.currentPrice!,
        `public history (status=all) shows ${bid.bidderId === a!.id ? "the leader's" : 'a'} ${bid.status} bid of ` +
          `${bid.amount} above the visible price ${state.currentPrice}: it tells everyone the leader's maximum is at ` +
          `least that`,
      );
  });
});

describe('buy-now over HTTP', () => {
  test('available before the first bid; closes as sold at buyNowPrice with a buy_now bid; then bids are AUCTION_CLOSED', async () => {
    const [buyer, late] = users;
    const auction = await create({ buyNowPrice: 50_000 });
    assert.equal(auction.buyNowAvailable, true);
    const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
    try {
      const res = await act(auction.id, buyer!, 'buy-now');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const after = res.body.auction as AuctionBody;
      const bid = res.body.bid as WireBid;
      assert.equal(after.status, 'closed');
      assert.deepEqual(after.outcome, { result: 'sold', winnerId: buyer!.id, finalPrice: 50_000 });
      assert.equal(after.currentPrice, 50_000);
      assert.equal(after.highestBid?.bidderId, buyer!.id);
      assert.equal(after.bidCount, 1);
      assert.equal(after.version, auction.version + 1);
      assert.equal(after.buyNowAvailable, false);
      assert.equal((after.settlement as { state: string; buyerId: string }).state, 'awaiting_payment');
      assert.equal((after.settlement as { state: string; buyerId: string }).buyerId, buyer!.id);
      assert.equal(bid.kind, 'buy_now');
      assert.equal(bid.amount, 50_000);
      assert.equal(bid.status, 'accepted');

      const history = await allBids(base, auction.id);
      assert.deepEqual(
        history.map((b) => [(b as unknown as WireBid).kind, b.bidderId, b.amount, b.status, b.auctionVersion]),
        [['buy_now', buyer!.id, 50_000, 'accepted', after.version]],
      );
      await sse.waitFor((c) => c.events.some((e) => e.event === 'closed'));
      const closed = sse.events.find((e) => e.event === 'closed')!;
      assert.equal(Number(closed.id), after.version);

      const bidAfter = await placeBid(auction.id, late!, 60_000);
      assertProblem(bidAfter, 409, 'AUCTION_CLOSED');
      assertProblem(await act(auction.id, late!, 'buy-now'), 409, 'BUY_NOW_UNAVAILABLE');
      const final = await getAuction(auction.id);
      assert.equal(final.version, after.version);
      assert.equal(final.outcome?.winnerId, buyer!.id);
    } finally {
      sse.close();
    }
  });

  test('the seller cannot buy their own item: SELF_BIDDING', async () => {
    const auction = await create({ buyNowPrice: 50_000 });
    assertProblem(await act(auction.id, seller, 'buy-now'), 409, 'SELF_BIDDING');
    assert.equal((await getAuction(auction.id)).status, 'open');
  });

  test('unavailable once a bid is accepted (no reserve), and once a reserve is met', async () => {
    const [a, b] = users;
    const plain = await create({ buyNowPrice: 50_000 });
    assert.equal((await placeBid(plain.id, a!, 1_000)).status, 201);
    assert.equal((await getAuction(plain.id)).buyNowAvailable, false);
    assertProblem(await act(plain.id, b!, 'buy-now'), 409, 'BUY_NOW_UNAVAILABLE');

    const reserved = await create({ buyNowPrice: 50_000, reservePrice: 20_000 });
    assert.equal((await placeBid(reserved.id, a!, 20_000)).status, 201);
    assert.equal((await getAuction(reserved.id)).reserveMet, true);
    assertProblem(await act(reserved.id, b!, 'buy-now'), 409, 'BUY_NOW_UNAVAILABLE');

    // Proxy: a maximum that meets the reserve lifts the price to it, and buy-now goes away.
    const proxy = await create({ buyNowPrice: 50_000, reservePrice: 20_000, proxyBidding: true });
    const first = await placeBid(proxy.id, a!, 30_000);
    assert.equal(first.status, 201);
    assert.equal((first.body.auction as AuctionBody).currentPrice, 20_000);
    assertProblem(await act(proxy.id, b!, 'buy-now'), 409, 'BUY_NOW_UNAVAILABLE');
  });

  test('still available after bids while the reserve is not met; the buyer wins, not the leader', async () => {
    const [a, b] = users;
    const auction = await create({ buyNowPrice: 50_000, reservePrice: 20_000 });
    assert.equal((await placeBid(auction.id, a!, 5_000)).status, 201);
    const before = await getAuction(auction.id);
    assert.equal(before.reserveMet, false);
    assert.equal(before.buyNowAvailable, true);
    const res = await act(auction.id, b!, 'buy-now');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const after = res.body.auction as AuctionBody;
    assert.deepEqual(after.outcome, { result: 'sold', winnerId: b!.id, finalPrice: 50_000 });
    assert.equal(after.bidCount, 2);
    const history = await allBids(base, auction.id);
    assert.deepEqual(
      history.map((h) => [h.bidderId, h.amount, h.auctionVersion]),
      [
        [a!.id, 5_000, 2],
        [b!.id, 50_000, 3],
      ],
    );
  });

  for (const proxyBidding of [false, true])
    test(`race (${proxyBidding ? 'proxy' : 'open'} bidding): 1 buy-now and 20 bids at once have exactly one winner`, async () => {
      const random = prng(proxyBidding ? 7 : 3);
      const outcomes = new Set<string>();
      for (let run = 0; run < 6; run++) {
        const auction = await create({ buyNowPrice: 50_000, proxyBidding, minIncrement: 100 });
        const buyer = users[20]!;
        const bidders = users.slice(0, 20);
        const buyAt = random(21);
        const requests: Promise<{
          kind: 'buy' | 'bid';
          who: TestUser;
          status: number;
          body: Record<string, unknown>;
        }>[] = bidders.map(async (who, i) => ({
          kind: 'bid' as const,
          who,
          ...(await placeBid(auction.id, who, 1_000 + i * 100)),
        }));
        requests.splice(
          buyAt,
          0,
          act(auction.id, buyer, 'buy-now').then((res) => ({ kind: 'buy' as const, who: buyer, ...res })),
        );
        const results = await Promise.all(requests);
        const buy = results.find((r) => r.kind === 'buy')!;
        const bids = results.filter((r) => r.kind === 'bid');
        const state = await getAuction(auction.id);
        const history = (await allBids(base, auction.id)) as unknown as WireBid[];
        const acceptedBids = history.filter((h) => h.status === 'accepted');

        if (buy.status === 200) {
          outcomes.add('buy-now');
          // Buy-now was ordered first: every bid met a closed auction.
          for (const b of bids) assertProblem(b, 409, 'AUCTION_CLOSED');
          assert.equal(state.status, 'closed');
          assert.deepEqual(state.outcome, { result: 'sold', winnerId: buyer.id, finalPrice: 50_000 });
          assert.deepEqual(
            acceptedBids.map((h) => [h.kind, h.bidderId, h.amount]),
            [['buy_now', buyer.id, 50_000]],
          );
        } else {
          outcomes.add('bids');
          assertProblem(buy, 409, 'BUY_NOW_UNAVAILABLE');
          assert.ok(
            bids.some((b) => b.status === 201),
            'buy-now lost, so some bid came first',
          );
          assert.equal(state.status, 'open');
          assert.equal(state.outcome, null);
          assert.ok(acceptedBids.every((h) => h.kind !== 'buy_now'));
          // Every bid ordered after the buy-now attempt was judged on the open auction, never AUCTION_CLOSED.
          for (const b of bids) assert.notEqual(b.body.code, 'AUCTION_CLOSED');
        }
        // Either way the stored history explains the final state.
        const last = acceptedBids.sort((x, y) => x.auctionVersion - y.auctionVersion).at(-1)!;
        acceptedBids.forEach((h, i) => assert.equal(h.auctionVersion, i + 2));
        assert.equal(state.currentPrice, last.amount);
        assert.equal(state.highestBid?.bidderId, last.bidderId);
        assert.equal(state.bidCount, acceptedBids.length);
        assert.equal(state.version, 1 + acceptedBids.length);
        assert.equal(await storedBidCount(auction.id), 21 - (buy.status === 200 ? 0 : 1));
      }
      assert.ok(outcomes.size >= 1);
    });
});

describe('cancel over HTTP', () => {
  test('seller only; only with no accepted bid; emits `cancelled`; later bids get AUCTION_CANCELLED', async () => {
    const [a, b] = users;
    const auction = await create({ buyNowPrice: 50_000 });
    const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
    try {
      assertProblem(await act(auction.id, a!, 'cancel'), 403, 'FORBIDDEN');
      // A rejected bid is no accepted bid: the seller may still cancel.
      assertProblem(await placeBid(auction.id, a!, 999), 409, 'BID_TOO_LOW');
      const res = await act(auction.id, seller, 'cancel');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const cancelled = res.body.auction as AuctionBody;
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(cancelled.version, auction.version + 1);
      assert.equal(res.body.bid, null);
      await sse.waitFor((c) => c.events.some((e) => e.event === 'cancelled'));
      const event = sse.events.find((e) => e.event === 'cancelled')!;
      assert.equal(Number(event.id), cancelled.version);
      assert.equal((JSON.parse(event.data) as { auction: AuctionBody }).auction.status, 'cancelled');

      const late = await placeBid(auction.id, b!, 5_000);
      assertProblem(late, 409, 'AUCTION_CANCELLED');
      assertProblem(await act(auction.id, b!, 'buy-now'), 409, 'BUY_NOW_UNAVAILABLE');
      assertProblem(await act(auction.id, seller, 'cancel'), 409, 'CANCEL_NOT_ALLOWED');
      const final = await getAuction(auction.id);
      assert.equal(final.status, 'cancelled');
      assert.equal(final.version, cancelled.version);
    } finally {
      sse.close();
    }
  });

  test('not once a bid is accepted: CANCEL_NOT_ALLOWED (and still FORBIDDEN for others)', async () => {
    const [a, b] = users;
    const auction = await create();
    assert.equal((await placeBid(auction.id, a!, 1_000)).status, 201);
    assertProblem(await act(auction.id, seller, 'cancel'), 409, 'CANCEL_NOT_ALLOWED');
    assertProblem(await act(auction.id, b!, 'cancel'), 403, 'FORBIDDEN');
    assert.equal((await getAuction(auction.id)).status, 'open');
  });

  test('unknown auction: 404 AUCTION_NOT_FOUND for every action', async () => {
    for (const path of ['buy-now', 'cancel', 'payment', 'offer/accept', 'offer/decline'])
      assertProblem(await act('no-such-auction', users[0]!, path), 404, 'AUCTION_NOT_FOUND');
  });
});
