import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GavelApp } from '../src/http/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { createAuction, createUser, nodesOnOneFile } from './support/harness.ts';

/**
 * Two writers on one store: each node decides on its cached copy of an
 * auction, and the store's version guard refuses a batch decided on a state
 * another writer has already moved on from. That batch is not an error for
 * its callers: the sequencer reloads the auction and decides the commands
 * again, so a bid that was stale on arrival is judged against the real
 * current price (accepted above it, refused below it), never answered 503.
 */
test('a batch decided on a stale copy is decided again on the stored state, not failed', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const cluster = await nodesOnOneFile(2, (i) => (i === 0 ? { metrics } : {}));
  const [a, b] = cluster.nodes as [GavelApp, GavelApp];
  try {
    const seller = await createUser(a.app, 'seller');
    const first = await createUser(a.app, 'first');
    const second = await createUser(a.app, 'second');
    const auction = await createAuction(a.app, seller, { startingPrice: 100, minIncrement: 10 });
    const bid = (app: GavelApp, user: typeof first, amount: number) =>
      app.app.inject({
        method: 'POST',
        url: `/api/v1/auctions/${auction.id}/bids`,
        headers: user.auth,
        payload: { amount },
      });

    assert.equal((await bid(a, first, 100)).statusCode, 201); // node A now caches version 2
    assert.equal((await bid(b, second, 200)).statusCode, 201); // node B moves the auction to version 3

    // A's copy says 100: 150 looks acceptable there, but the stored price is 200.
    const stale = await bid(a, first, 150);
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal((stale.json() as { code: string }).code, 'BID_TOO_LOW');
    const above = await bid(a, first, 300);
    assert.equal(above.statusCode, 201, above.body);
    assert.equal((above.json() as { auction: { version: number } }).auction.version, 4);

    const history = await a.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/bids?status=all` });
    const items = (history.json() as { items: { amount: number; status: string; auctionVersion: number }[] }).items;
    assert.deepEqual(
      items.map((i) => [i.amount, i.status, i.auctionVersion]),
      [
        [300, 'accepted', 4],
        [150, 'rejected', 3],
        [200, 'accepted', 3],
        [100, 'accepted', 2],
      ],
    );
    const retries = (await metrics.batchRetries.get()).values[0]?.value ?? 0;
    assert.ok(retries >= 1, `batches re-decided: ${retries}`);
  } finally {
    await cluster.close();
  }
});

/**
 * The same Idempotency-Key sent to two nodes at once: each looks the key up, finds nothing, and decides
 * the bid. The store keeps the first to commit; the other batch is refused as a whole (nothing written),
 * its bid answered with the stored answer and the rest of it decided again.
 */
test('one key raced on two nodes: one bid stored, both callers get the same answer', async () => {
  const cluster = await nodesOnOneFile(2);
  const [a, b] = cluster.nodes as [GavelApp, GavelApp];
  try {
    const seller = await createUser(a.app, 'seller');
    const bidder = await createUser(a.app, 'bidder');
    const other = await createUser(a.app, 'other');
    const auction = await createAuction(a.app, seller, { startingPrice: 100 });
    for (let round = 0; round < 5; round++) {
      const key = `raced-${round}`;
      const amount = 1000 + round * 100;
      const send = (app: GavelApp) =>
        app.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: { ...bidder.auth, 'idempotency-key': key },
          payload: { amount },
        });
      // Another bid in B's batch: it must be decided again and stored, not lost with the refused batch.
      const [fromA, fromB, unrelated] = await Promise.all([
        send(a),
        send(b),
        b.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: other.auth,
          payload: { amount: amount + 50 },
        }),
      ]);
      assert.ok([201, 409].includes(fromA.statusCode), fromA.body);
      assert.equal(fromB.statusCode, fromA.statusCode, fromB.body);
      const idA = (fromA.json() as { bid: { id: string } }).bid.id;
      const idB = (fromB.json() as { bid: { id: string } }).bid.id;
      assert.equal(idA, idB, 'the same stored bid');
      assert.ok([201, 409].includes(unrelated.statusCode), unrelated.body);
    }
    const history = await a.app.inject({
      method: 'GET',
      url: `/api/v1/auctions/${auction.id}/bids?status=all&limit=100`,
    });
    const items = (history.json() as { items: { bidderId: string }[] }).items;
    assert.equal(items.filter((i) => i.bidderId === bidder.id).length, 5, 'one bid per key');
    assert.equal(items.filter((i) => i.bidderId === other.id).length, 5, 'no other bid lost');
  } finally {
    await cluster.close();
  }
});
