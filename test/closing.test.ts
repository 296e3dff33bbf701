import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allBids, call } from './support/child-server.ts';
import {
  BURST_LIMITS,
  type AuctionBody,
  ManualClock,
  baseUrl,
  createAuction,
  createTestStorage,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { SseClient } from './support/sse-client.ts';

/** Time: the closing millisecond, soft close, the closer's timeliness, and closing what ended while down. */

test('a bid ordered 1 ms before endDate is accepted; at endDate it is AUCTION_CLOSED (no timer involved)', async () => {
  const clock = new ManualClock();
  const app = await startTestApp({ clock });
  try {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const end = clock.now() + 60_000;
    const auction = await createAuction(
      app.app,
      seller,
      { endDate: new Date(end).toISOString(), softClose: null },
      clock.now(),
    );
    clock.set(end - 1);
    const ok = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    assert.equal(ok.statusCode, 201);
    clock.set(end);
    const late = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 5000 },
    });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().code, 'AUCTION_CLOSED');
    assert.equal(late.json().bid.status, 'rejected');
    // Reads after endDate never show open, even before the closer has announced the close.
    const read = (await app.app.inject({ url: `/api/v1/auctions/${auction.id}` })).json().auction as AuctionBody;
    assert.equal(read.status, 'closed');
    assert.equal(read.currentPrice, 1000);
    assert.deepEqual(read.outcome, { result: 'sold', winnerId: bidder.id, finalPrice: 1000 });
  } finally {
    await app.dispose();
  }
});

test('soft close: a late accepted bid extends the end; a rejected late bid does not', async () => {
  const clock = new ManualClock();
  const app = await startTestApp({ clock });
  try {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const end = clock.now() + 600_000;
    const auction = await createAuction(
      app.app,
      seller,
      { endDate: new Date(end).toISOString(), softClose: { windowSeconds: 30, extendSeconds: 60 } },
      clock.now(),
    );
    clock.set(end - 31_000); // outside the window: no extension
    let res = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    assert.equal(res.json().auction.endDate, new Date(end).toISOString());
    clock.set(end - 10_000); // inside the window, but too low: rejected, no extension
    res = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    assert.equal(res.json().code, 'BID_TOO_LOW');
    assert.equal(res.json().auction.endDate, new Date(end).toISOString());
    res = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1001 },
    });
    assert.equal(res.statusCode, 201);
    const extended = res.json().auction as AuctionBody;
    assert.equal(extended.endDate, new Date(end - 10_000 + 60_000).toISOString());
    assert.equal(extended.originalEndDate, new Date(end).toISOString());
    assert.equal(extended.version, 3, 'the bid and its extension are one state change');
    // The old end passes: still open, and a bid is accepted.
    clock.set(end + 1);
    res = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1100 },
    });
    assert.equal(res.statusCode, 201);
  } finally {
    await app.dispose();
  }
});

test('the closer closes on time (extended end included) and publishes `closed` within a second', async () => {
  const app = await startTestApp({ listen: true, limits: BURST_LIMITS });
  try {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const base = baseUrl(app.app);
    const end = Date.now() + 1500;
    const auction = await createAuction(app.app, seller, {
      endDate: new Date(end).toISOString(),
      reservePrice: 2000,
      softClose: { windowSeconds: 5, extendSeconds: 2 },
    });
    const quiet = await createAuction(app.app, seller, { endDate: new Date(Date.now() + 1000).toISOString() });
    const sse = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
    const quietSse = await SseClient.open(`${base}/api/v1/auctions/${quiet.id}/events`);
    const bid = await call(`${base}/api/v1/auctions/${auction.id}/bids`, 'POST', { amount: 2500 }, bidder.auth);
    const newEnd = Date.parse((bid.body.auction as AuctionBody).endDate);
    assert.ok(newEnd > end, 'the late bid extended the auction');

    await quietSse.waitFor((c) => c.events.some((e) => e.event === 'closed'), 3000);
    const quietClosed = quietSse.json<{ auction: AuctionBody }>(quietSse.events.findIndex((e) => e.event === 'closed'));
    assert.deepEqual(quietClosed.auction.outcome, { result: 'no_bids', winnerId: null, finalPrice: null });

    await new Promise((r) => setTimeout(r, Math.max(0, end - Date.now() + 200)));
    const atOldEnd = (await call(`${base}/api/v1/auctions/${auction.id}`, 'GET')).body.auction as AuctionBody;
    assert.equal(atOldEnd.status, 'open', 'the original end passed but the auction was extended');

    await sse.waitFor((c) => c.events.some((e) => e.event === 'closed'), 5000);
    const closedAt = Date.now();
    assert.ok(closedAt - newEnd < 1000, `closed event ${closedAt - newEnd} ms after endDate`);
    assert.ok(closedAt >= newEnd, 'never closed early');
    const closed = sse.json<{ auction: AuctionBody }>(sse.events.findIndex((e) => e.event === 'closed'));
    assert.equal(closed.auction.status, 'closed');
    assert.deepEqual(closed.auction.outcome, { result: 'sold', winnerId: bidder.id, finalPrice: 2500 });
    assert.deepEqual(
      sse.events.map((e) => e.id),
      ['1', '2', '3'],
    );
    sse.close();
    quietSse.close();
    const late = await call(`${base}/api/v1/auctions/${auction.id}/bids`, 'POST', { amount: 9000 }, bidder.auth);
    assert.equal(late.body.code, 'AUCTION_CLOSED');
  } finally {
    await app.dispose();
  }
});

test('reserve not met closes as reserve_not_met; closing twice changes nothing', async () => {
  const clock = new ManualClock();
  const app = await startTestApp({ clock });
  try {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const end = clock.now() + 60_000;
    const auction = await createAuction(
      app.app,
      seller,
      { endDate: new Date(end).toISOString(), reservePrice: 5000 },
      clock.now(),
    );
    await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    clock.set(end + 5);
    assert.equal(await app.sequencer.close(auction.id), true);
    assert.equal(await app.sequencer.close(auction.id), false, 'closing is idempotent');
    await app.closer.tick();
    const read = (await app.app.inject({ url: `/api/v1/auctions/${auction.id}` })).json().auction as AuctionBody;
    assert.deepEqual(read.outcome, { result: 'reserve_not_met', winnerId: null, finalPrice: null });
    assert.equal(read.version, 3);
    const events = await app.store.eventsAfter(auction.id, 0, 10);
    assert.deepEqual(
      events.map((e) => `${e.version}:${e.type}`),
      ['2:bid', '3:closed'],
    );
  } finally {
    await app.dispose();
  }
});

test('an auction that ended while the server was down is closed at start-up', async () => {
  const storage = await createTestStorage();
  try {
    const first = await startTestApp({ storage });
    const seller = await createUser(first.app, 'seller');
    const bidder = await createUser(first.app, 'bidder');
    const auction = await createAuction(first.app, seller, {
      endDate: new Date(Date.now() + 400).toISOString(),
      softClose: null,
    });
    await first.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1200 },
    });
    await first.closer.stop(); // simulate being down at endDate: nothing may close it in this process
    await first.app.close();
    await new Promise((r) => setTimeout(r, 600));

    const second = await startTestApp({ storage });
    try {
      // The start-up round runs in the background after app.ready() (a backlog must not hold start-up).
      let stored = (await second.store.loadAuctions([auction.id])).get(auction.id)!;
      for (let i = 0; stored.lifecycle !== 'closed' && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        stored = (await second.store.loadAuctions([auction.id])).get(auction.id)!;
      }
      assert.equal(stored.lifecycle, 'closed');
      assert.deepEqual(stored.outcome, { result: 'sold', winnerId: bidder.id, finalPrice: 1200 });
      const events = await second.store.eventsAfter(auction.id, 0, 10);
      assert.deepEqual(
        events.map((e) => e.type),
        ['bid', 'closed'],
      );
      // What is due next is the winner's payment deadline (4 days after the end), nothing else.
      assert.equal(stored.settlement?.state, 'awaiting_payment');
      assert.equal(await second.store.nextDueTime(), stored.settlement?.deadline);
      assert.equal(stored.settlement?.deadline, stored.endDate + 4 * 24 * 3600 * 1000);
    } finally {
      await second.app.close();
    }
  } finally {
    await storage.remove();
  }
});

test('graceful shutdown: bids in flight are answered and stored; later ones get 503 and are not stored', async () => {
  const app = await startTestApp({ listen: true, limits: BURST_LIMITS });
  const base = baseUrl(app.app);
  const seller = await createUser(app.app, 'seller');
  const bidders = await Promise.all(Array.from({ length: 8 }, () => createUser(app.app, 'bidder')));
  const auction = await createAuction(app.app, seller, { startingPrice: 1 });
  let amount = 1;
  let answered = 0;
  let startClosing!: () => void;
  const firstAnswers = new Promise<void>((r) => (startClosing = r));
  const requests = bidders.flatMap((b) =>
    Array.from({ length: 25 }, () =>
      call(`${base}/api/v1/auctions/${auction.id}/bids`, 'POST', { amount: amount++ }, b.auth)
        .catch(() => null)
        .finally(() => {
          if (++answered === 20) startClosing();
        }),
    ),
  );
  await firstAnswers;
  const closing = app.app.close();
  const answers = await Promise.all(requests);
  await closing;
  const decided = answers.filter((a) => a && (a.status === 201 || a.status === 409));
  for (const a of answers) if (a) assert.ok([201, 409, 503].includes(a.status), `status ${a.status}`);
  assert.ok(decided.length > 0, 'some bids were in flight');

  // Reopen the same data: exactly the decided bids are stored.
  const reopened = await startTestApp({ storage: app.storage, listen: true });
  try {
    const history = await allBids(baseUrl(reopened.app), auction.id);
    const ids = new Set(history.map((b) => b.id));
    for (const a of decided) assert.ok(ids.has((a!.body.bid as { id: string }).id));
    assert.equal(history.length, decided.length);
  } finally {
    await reopened.dispose();
    await app.storage.remove();
  }
});
