import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type StoredEvent } from '../src/store/index.ts';
import { SqliteStore } from '../src/store/sqlite/index.ts';
import { type ChildServer, call, httpUser, startChildServer } from './support/child-server.ts';
import { type AuctionBody, baseUrl, startTestApp, tempDir } from './support/harness.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * After a sold close: the winner's payment window, second-chance offers down
 * the list of bidders at their own highest bid, declines, lapses, payment, and
 * `unsold` when nobody is left, all driven by real deadlines (windows of a few
 * seconds) and, in the middle, across a restart of a real server process.
 */

interface SettlementBody {
  state: 'awaiting_payment' | 'offer_pending' | 'paid' | 'unsold';
  buyerId: string | null;
  price: number | null;
  deadline: string | null;
  round: number;
  paidAt: string | null;
}
type Auction = AuctionBody & { settlement: SettlementBody | null };
type User = { id: string; auth: { authorization: string } };

const dirs: { remove(): void }[] = [];
let server: ChildServer | null = null;
after(async () => {
  if (server && server.process.exitCode === null) await server.kill9();
  for (const dir of dirs) dir.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined); fails with the last seen value after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A small client for one base URL (the child server's URL changes across restarts). */
function client(base: () => string) {
  const get = async (auctionId: string, who?: User): Promise<Auction> => {
    const res = await call(`${base()}/api/v1/auctions/${auctionId}`, 'GET', undefined, who?.auth ?? {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.auction as Auction;
  };
  return {
    get,
    bid: (auctionId: string, who: User, amount: number) =>
      call(`${base()}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, who.auth),
    act: (auctionId: string, who: User, path: 'payment' | 'offer/accept' | 'offer/decline') =>
      call(`${base()}/api/v1/auctions/${auctionId}/${path}`, 'POST', undefined, who.auth),
    async standing(auctionId: string, who: User): Promise<string | undefined> {
      const res = await call(`${base()}/api/v1/me/bids?limit=100`, 'GET', undefined, who.auth);
      assert.equal(res.status, 200);
      const items = res.body.items as { auction: { id: string }; standing: string }[];
      return items.find((i) => i.auction.id === auctionId)?.standing;
    },
    /** Waits until the settlement is in `state` for `buyerId`. */
    settled(auctionId: string, state: SettlementBody['state'], buyerId: string | null, timeoutMs = 10_000) {
      return waitFor(
        `settlement ${state} for ${buyerId}`,
        async () => {
          const a = await get(auctionId);
          return a.settlement?.state === state && a.settlement.buyerId === buyerId ? a : undefined;
        },
        timeoutMs,
      );
    },
    async create(seller: User, body: Record<string, unknown>): Promise<Auction> {
      const res = await call(
        `${base()}/api/v1/auctions`,
        'POST',
        { item: { name: 'Hasselblad 500C/M' }, startingPrice: 1000, softClose: null, ...body },
        seller.auth,
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.auction as Auction;
    },
  };
}
type Client = ReturnType<typeof client>;

function assertProblem(res: { status: number; body: Record<string, unknown> }, status: number, code: string) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, code);
}

async function assertStandings(c: Client, auctionId: string, expected: [User, string][]) {
  for (const [who, standing] of expected)
    assert.equal(await c.standing(auctionId, who), standing, `standing of ${who.id}`);
}

/** Every state change after the bids is one stored `closed`/`settlement` event, versions without gaps. */
function assertSettlementEvents(events: StoredEvent[], expected: [string, string | null][]) {
  events.forEach((e, i) => assert.equal(e.version, i + 2, `event versions are contiguous from 2: ${e.version}`));
  const tail = events.filter((e) => e.type === 'closed' || e.type === 'settlement');
  assert.equal(tail[0]?.type, 'closed');
  assert.ok(tail.slice(1).every((e) => e.type === 'settlement'));
  const states = tail.map((e) => {
    const s = (JSON.parse(e.data) as { auction: Auction }).auction.settlement!;
    // Events are public: an offer's price is never in them.
    if (s.round > 0) assert.equal(s.price, null, 'a second-chance price is private');
    return [s.state, s.buyerId];
  });
  assert.deepEqual(states, expected);
}

/** Three bidders A < B < C (open bidding) on a short hard-close auction. */
async function threeBidders(c: Client, seller: User, [a, b, cc]: User[], windows: Record<string, number>) {
  const endDate = Date.now() + 1_500;
  const auction = await c.create(seller, { endDate: new Date(endDate).toISOString(), minIncrement: 100, ...windows });
  assert.equal((await c.bid(auction.id, a!, 1_000)).status, 201);
  assert.equal((await c.bid(auction.id, b!, 2_000)).status, 201);
  assert.equal((await c.bid(auction.id, cc!, 3_000)).status, 201);
  return { auction, endDate };
}

test('sold to C, C does not pay, B declines the offer, A accepts and pays', { timeout: 60_000 }, async () => {
  const app = await startTestApp({ listen: true });
  try {
    const base = baseUrl(app.app);
    const c = client(() => base);
    const [seller, A, B, C] = await Promise.all(['pc_seller', 'pc_a', 'pc_b', 'pc_c'].map((n) => httpUser(base, n)));
    const { auction } = await threeBidders(c, seller!, [A!, B!, C!], {
      paymentWindowSeconds: 2,
      offerWindowSeconds: 2,
    });
    await assertStandings(c, auction.id, [
      [A!, 'outbid'],
      [B!, 'outbid'],
      [C!, 'leading'],
    ]);

    // Closes sold to C: C's payment is due; nobody else can pay for C.
    const sold = await c.settled(auction.id, 'awaiting_payment', C!.id);
    assert.deepEqual(sold.outcome, { result: 'sold', winnerId: C!.id, finalPrice: 3_000 });
    assert.equal(sold.settlement!.price, 3_000);
    assert.equal(sold.settlement!.round, 0);
    await assertStandings(c, auction.id, [
      [A!, 'lost'],
      [B!, 'lost'],
      [C!, 'payment_due'],
    ]);
    assertProblem(await c.act(auction.id, B!, 'payment'), 403, 'FORBIDDEN');
    assertProblem(await c.act(auction.id, seller!, 'payment'), 403, 'FORBIDDEN');
    assertProblem(await c.act(auction.id, B!, 'offer/accept'), 409, 'NO_OFFER_PENDING');

    // C does not pay: the offer goes to B at B's own highest bid, shown only to B (and the seller).
    const offerB = await c.settled(auction.id, 'offer_pending', B!.id);
    assert.equal(offerB.settlement!.round, 1);
    assert.equal(offerB.settlement!.price, null, 'the public does not see the offer price');
    assert.equal((await c.get(auction.id, B!)).settlement!.price, 2_000);
    assert.equal((await c.get(auction.id, seller!)).settlement!.price, 2_000);
    assert.equal((await c.get(auction.id, A!)).settlement!.price, null);
    assert.equal((await c.get(auction.id, C!)).settlement!.price, null);
    await assertStandings(c, auction.id, [
      [A!, 'lost'],
      [B!, 'offer_received'],
      [C!, 'payment_lapsed'],
    ]);
    // Too late for C; not A's offer to take.
    assertProblem(await c.act(auction.id, C!, 'payment'), 409, 'PAYMENT_NOT_DUE');
    assertProblem(await c.act(auction.id, A!, 'offer/accept'), 403, 'FORBIDDEN');
    assertProblem(await c.act(auction.id, A!, 'offer/decline'), 403, 'FORBIDDEN');

    // B declines: at once, the offer moves to A at A's own bid.
    const declined = await c.act(auction.id, B!, 'offer/decline');
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    const offerA = declined.body.auction as Auction;
    assert.equal(offerA.settlement!.state, 'offer_pending');
    assert.equal(offerA.settlement!.buyerId, A!.id);
    assert.equal(offerA.settlement!.round, 2);
    assert.equal((await c.get(auction.id, A!)).settlement!.price, 1_000);
    assert.equal((await c.get(auction.id, B!)).settlement!.price, null);
    assertProblem(await c.act(auction.id, B!, 'offer/accept'), 403, 'FORBIDDEN');
    await assertStandings(c, auction.id, [
      [A!, 'offer_received'],
      [B!, 'lost'],
      [C!, 'payment_lapsed'],
    ]);

    // A accepts: A's payment window opens; A pays.
    const accepted = await c.act(auction.id, A!, 'offer/accept');
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const awaitingA = accepted.body.auction as Auction;
    assert.equal(awaitingA.settlement!.state, 'awaiting_payment');
    assert.equal(awaitingA.settlement!.buyerId, A!.id);
    assert.equal(awaitingA.settlement!.price, 1_000);
    assert.equal(await c.standing(auction.id, A!), 'payment_due');
    assertProblem(await c.act(auction.id, B!, 'payment'), 403, 'FORBIDDEN');
    const paid = await c.act(auction.id, A!, 'payment');
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const done = paid.body.auction as Auction;
    assert.equal(done.settlement!.state, 'paid');
    assert.equal(done.settlement!.buyerId, A!.id);
    assert.equal(typeof done.settlement!.paidAt, 'string');
    assert.equal(done.settlement!.deadline, null);
    await assertStandings(c, auction.id, [
      [A!, 'won'],
      [B!, 'lost'],
      [C!, 'payment_lapsed'],
    ]);
    assertProblem(await c.act(auction.id, A!, 'payment'), 409, 'PAYMENT_NOT_DUE');
    // Paid is final: no deadline fires any more.
    await sleep(2_500);
    assert.equal((await c.get(auction.id)).version, done.version);

    assertSettlementEvents(await app.store.eventsAfter(auction.id, 0, 1_000), [
      ['awaiting_payment', C!.id],
      ['offer_pending', B!.id],
      ['offer_pending', A!.id],
      ['awaiting_payment', A!.id],
      ['paid', A!.id],
    ]);
  } finally {
    await app.dispose();
  }
});

test(
  'across a kill -9 while an offer is pending: the deadline still fires and the chain continues',
  { timeout: 60_000 },
  async () => {
    const dir = tempDir('gavel-settle-');
    dirs.push(dir);
    server = await startChildServer(dir.path);
    const c = client(() => server!.url);
    const [seller, A, B, C] = await Promise.all(
      ['rs_seller', 'rs_a', 'rs_b', 'rs_c'].map((n) => httpUser(server!.url, n)),
    );
    // The offer window is a little longer than a restart, so the deadline is still ahead when the server is back.
    const { auction } = await threeBidders(c, seller!, [A!, B!, C!], {
      paymentWindowSeconds: 1,
      offerWindowSeconds: 4,
    });

    await c.settled(auction.id, 'awaiting_payment', C!.id);
    const offerB = await c.settled(auction.id, 'offer_pending', B!.id);
    const deadlineB = Date.parse(offerB.settlement!.deadline!);
    await server.kill9();
    server = await startChildServer(dir.path);

    // Sessions survive the restart; the state is where it was (unless the restart outlasted the window).
    const afterRestart = await c.get(auction.id, B!);
    if (Date.now() < deadlineB - 200) {
      assert.equal(afterRestart.settlement!.state, 'offer_pending');
      assert.equal(afterRestart.settlement!.buyerId, B!.id);
      assert.equal(afterRestart.settlement!.price, 2_000);
      assert.equal(await c.standing(auction.id, B!), 'offer_received');
    }
    // Nobody answers B's offer: its deadline fires in the new process and the offer moves to A.
    const offerA = await c.settled(auction.id, 'offer_pending', A!.id, deadlineB - Date.now() + 5_000);
    assert.ok(Date.now() >= deadlineB, 'the offer did not lapse before its deadline');
    assert.equal(offerA.settlement!.round, 2);
    assert.equal((await c.get(auction.id, A!)).settlement!.price, 1_000);
    await assertStandings(c, auction.id, [
      [A!, 'offer_received'],
      [B!, 'lost'],
      [C!, 'payment_lapsed'],
    ]);

    const accepted = await c.act(auction.id, A!, 'offer/accept');
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(await c.standing(auction.id, A!), 'payment_due');
    const paid = await c.act(auction.id, A!, 'payment');
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal((paid.body.auction as Auction).settlement!.state, 'paid');
    await assertStandings(c, auction.id, [
      [A!, 'won'],
      [B!, 'lost'],
      [C!, 'payment_lapsed'],
    ]);

    // Every step is a stored, versioned event, on both sides of the restart.
    assert.equal(await server.terminate(), 0);
    const store = new SqliteStore({ filename: join(dir.path, 'gavel.db') });
    try {
      assertSettlementEvents(await store.eventsAfter(auction.id, 0, 1_000), [
        ['awaiting_payment', C!.id],
        ['offer_pending', B!.id],
        ['offer_pending', A!.id],
        ['awaiting_payment', A!.id],
        ['paid', A!.id],
      ]);
    } finally {
      await store.close();
    }
  },
);

test(
  'a deadline that passed while the server was down fires at start-up; nobody left means unsold',
  { timeout: 60_000 },
  async () => {
    const dir = tempDir('gavel-unsold-');
    dirs.push(dir);
    server = await startChildServer(dir.path);
    const c = client(() => server!.url);
    const [seller, A, B] = await Promise.all(['us_seller', 'us_a', 'us_b'].map((n) => httpUser(server!.url, n)));
    const endDate = Date.now() + 1_500;
    const auction = await c.create(seller!, {
      endDate: new Date(endDate).toISOString(),
      minIncrement: 100,
      paymentWindowSeconds: 1,
      offerWindowSeconds: 1,
    });
    assert.equal((await c.bid(auction.id, A!, 1_000)).status, 201);
    assert.equal((await c.bid(auction.id, B!, 2_000)).status, 201);

    await c.settled(auction.id, 'awaiting_payment', B!.id);
    const offerA = await c.settled(auction.id, 'offer_pending', A!.id);
    const deadlineA = Date.parse(offerA.settlement!.deadline!);
    await server.kill9();
    // Stay down until A's offer has run out.
    await sleep(Math.max(0, deadlineA - Date.now()) + 300);
    server = await startChildServer(dir.path);

    const unsold = await c.settled(auction.id, 'unsold', null, 5_000);
    assert.equal(unsold.settlement!.price, null);
    assert.equal(unsold.settlement!.deadline, null);
    assert.deepEqual(unsold.outcome, { result: 'sold', winnerId: B!.id, finalPrice: 2_000 });
    await assertStandings(c, auction.id, [
      [A!, 'lost'],
      [B!, 'payment_lapsed'],
    ]);
    assertProblem(await c.act(auction.id, A!, 'offer/accept'), 409, 'NO_OFFER_PENDING');
    assertProblem(await c.act(auction.id, B!, 'payment'), 409, 'PAYMENT_NOT_DUE');

    assert.equal(await server.terminate(), 0);
    const store = new SqliteStore({ filename: join(dir.path, 'gavel.db') });
    try {
      assertSettlementEvents(await store.eventsAfter(auction.id, 0, 1_000), [
        ['awaiting_payment', B!.id],
        ['offer_pending', A!.id],
        ['unsold', null],
      ]);
    } finally {
      await store.close();
    }
  },
);

test('a single bidder who does not pay: unsold at once (nobody to offer it to)', { timeout: 30_000 }, async () => {
  const app = await startTestApp({ listen: true });
  try {
    const base = baseUrl(app.app);
    const c = client(() => base);
    const [seller, A] = await Promise.all(['so_seller', 'so_a'].map((n) => httpUser(base, n)));
    const auction = await c.create(seller!, {
      endDate: new Date(Date.now() + 1_000).toISOString(),
      paymentWindowSeconds: 1,
      offerWindowSeconds: 1,
    });
    assert.equal((await c.bid(auction.id, A!, 1_000)).status, 201);
    await c.settled(auction.id, 'awaiting_payment', A!.id);
    const unsold = await c.settled(auction.id, 'unsold', null);
    assert.equal(unsold.settlement!.round, 0);
    assert.equal(await c.standing(auction.id, A!), 'payment_lapsed');
    // The seller's own listing shows it too.
    const mine = await call(`${base}/api/v1/me/auctions`, 'GET', undefined, seller!.auth);
    const listed = (mine.body.items as Auction[]).find((a) => a.id === auction.id)!;
    assert.equal(listed.settlement!.state, 'unsold');
    assertSettlementEvents(await app.store.eventsAfter(auction.id, 0, 1_000), [
      ['awaiting_payment', A!.id],
      ['unsold', null],
    ]);
  } finally {
    await app.dispose();
  }
});

test(
  'proxy bidding: equal maximums are offered in the order they were set (the earlier one first)',
  { timeout: 30_000 },
  async () => {
    const app = await startTestApp({ listen: true });
    try {
      const base = baseUrl(app.app);
      const c = client(() => base);
      const seller = await httpUser(base, 'tie_seller');
      // Ids are time-ordered: `low` gets the smaller id. Each order of ids is tried, so that a tie broken by
      // anything but the time the maximum was set fails one of the two runs.
      const low = await httpUser(base, 'tie_low');
      const high = await httpUser(base, 'tie_high');
      const winner = await httpUser(base, 'tie_winner');
      const runs = await Promise.all(
        [
          [high, low],
          [low, high],
        ].map(async ([first, second]) => {
          const auction = await c.create(seller, {
            endDate: new Date(Date.now() + 1_500).toISOString(),
            proxyBidding: true,
            minIncrement: 100,
            paymentWindowSeconds: 1,
            offerWindowSeconds: 2,
          });
          assert.equal((await c.bid(auction.id, first!, 2_000)).status, 201);
          // The same maximum, later: the earlier one keeps the lead at 20.00.
          const tie = await c.bid(auction.id, second!, 2_000);
          assert.equal(tie.status, 201);
          assert.equal((tie.body.auction as Auction).highestBid?.bidderId, first!.id);
          assert.equal((await c.bid(auction.id, winner, 5_000)).status, 201);
          await c.settled(auction.id, 'awaiting_payment', winner.id);
          // The winner does not pay: the offer should go to the bidder whose 20.00 maximum came first.
          const offer = await waitFor('the first second-chance offer', async () => {
            const a = await c.get(auction.id);
            return a.settlement?.state === 'offer_pending' ? a : undefined;
          });
          return { first: first!, offeredTo: offer.settlement!.buyerId };
        }),
      );
      for (const run of runs)
        assert.equal(
          run.offeredTo,
          run.first.id,
          `offered to ${run.offeredTo === low.id ? 'the smaller user id' : 'the larger user id'}, ` +
            `not to the earlier maximum (${run.first === low ? 'smaller' : 'larger'} id)`,
        );
    } finally {
      await app.dispose();
    }
  },
);

test(
  'an offeree who accepts and then does not pay has let a payment lapse, like the winner',
  { timeout: 30_000 },
  async () => {
    const app = await startTestApp({ listen: true });
    try {
      const base = baseUrl(app.app);
      const c = client(() => base);
      const [seller, A, B] = await Promise.all(['ol_seller', 'ol_a', 'ol_b'].map((n) => httpUser(base, n)));
      const auction = await c.create(seller!, {
        endDate: new Date(Date.now() + 1_000).toISOString(),
        minIncrement: 100,
        paymentWindowSeconds: 1,
        offerWindowSeconds: 2,
      });
      assert.equal((await c.bid(auction.id, A!, 1_000)).status, 201);
      assert.equal((await c.bid(auction.id, B!, 2_000)).status, 201);
      await c.settled(auction.id, 'offer_pending', A!.id);
      assert.equal((await c.act(auction.id, A!, 'offer/accept')).status, 200);
      assert.equal(await c.standing(auction.id, A!), 'payment_due');
      // A lets the payment window run out: nobody is left.
      await c.settled(auction.id, 'unsold', null);
      assertProblem(await c.act(auction.id, A!, 'payment'), 409, 'PAYMENT_NOT_DUE');
      assert.equal(await c.standing(auction.id, B!), 'payment_lapsed');
      // A was told `payment_lapsed` (GET /me/events); "my bids" should say the same, not `lost`.
      const feed = await SseClient.open(`${base}/api/v1/me/events?lastEventId=0`, A!.auth);
      try {
        await feed.waitFor((f) => f.events.some((e) => e.event === 'payment_lapsed'));
      } finally {
        feed.close();
      }
      assert.equal(await c.standing(auction.id, A!), 'payment_lapsed');
    } finally {
      await app.dispose();
    }
  },
);
