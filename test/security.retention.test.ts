import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock, type TestApp, createAuction, createUser, startTestApp } from './support/harness.ts';
import { expectProblem } from './support/problem.ts';
import { countRows } from './support/store-probe.ts';

const HOUR = 3600_000;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

/**
 * Finding (medium): idempotency keys, expired sessions and orphan uploads
 * were never deleted, and nothing bounded uploads. The server now deletes
 * them itself (bids, rejected or accepted, stay: they are the audit trail).
 */
describe('retention', () => {
  const clock = new ManualClock(Date.now());
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ clock, sessionTtlMs: 2 * HOUR, limits: { uploadsPerUserPerDay: 3 } });
  });
  after(() => app.dispose());

  const upload = (auth: { authorization: string }) =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...auth, 'content-type': 'image/png' },
      payload: PNG,
    });

  test('expired sessions and idempotency records older than 24 h are deleted; bids are kept', async () => {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const auction = await createAuction(
      app.app,
      seller,
      { endDate: new Date(clock.now() + 72 * HOUR).toISOString() },
      clock.now(),
    );
    const bid = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: { ...bidder.auth, 'idempotency-key': 'retained-1' },
      payload: { amount: 1000 },
    });
    assert.equal(bid.statusCode, 201);
    const rejected = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    assert.equal(rejected.statusCode, 409);
    assert.ok(await app.store.findIdempotencyRecord(bidder.id, auction.id, 'retained-1'));

    clock.advance(3 * HOUR); // sessions (2 h) have expired; the key (3 h old) must stay
    await app.retention.sweep();
    assert.equal(await countRows(app.store, 'sessions'), 0);
    assert.ok(await app.store.findIdempotencyRecord(bidder.id, auction.id, 'retained-1'));

    clock.advance(22 * HOUR); // now 25 h old
    await app.retention.sweep();
    assert.equal(await app.store.findIdempotencyRecord(bidder.id, auction.id, 'retained-1'), null);
    const history = await app.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/bids?status=all` });
    assert.equal((history.json() as { items: unknown[] }).items.length, 2, 'both bids stay: the audit trail');
  });

  test('chat is deleted 24 h after its auction ended, not before; a live auction keeps its chat', async () => {
    const seller = await createUser(app.app, 'chat_seller');
    const ending = await createAuction(
      app.app,
      seller,
      { endDate: new Date(clock.now() + HOUR).toISOString() },
      clock.now(),
    );
    const live = await createAuction(
      app.app,
      seller,
      { endDate: new Date(clock.now() + 100 * HOUR).toISOString() },
      clock.now(),
    );
    for (const auctionId of [ending.id, live.id])
      for (let n = 0; n < 3; n++)
        await app.store.insertChatMessage({
          id: `${auctionId}-${n}`,
          auctionId,
          userId: seller.id,
          displayName: 'Seller',
          text: `message ${n}`,
          sentAt: clock.now(),
        });
    clock.advance(HOUR);
    await app.sequencer.close(ending.id); // (or the closer did it first)
    assert.equal((await app.sequencer.getAuction(ending.id))?.lifecycle, 'closed');
    clock.advance(23 * HOUR);
    await app.retention.sweep();
    assert.equal((await app.store.recentChatMessages(ending.id, 50)).length, 3, '23 h after the end: kept');
    clock.advance(2 * HOUR);
    await app.retention.sweep();
    assert.deepEqual(await app.store.recentChatMessages(ending.id, 50), [], '25 h after the end: deleted');
    assert.equal((await app.store.recentChatMessages(live.id, 50)).length, 3);
  });

  test('uploads: a quota per user per day, only your own picture on your auction, orphans swept after 24 h', async () => {
    const seller = await createUser(app.app, 'seller');
    const other = await createUser(app.app, 'other');
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload(seller.auth);
      assert.equal(res.statusCode, 201);
      urls.push((res.json() as { url: string }).url);
    }
    const over = await upload(seller.auth);
    expectProblem(over, 'RATE_LIMITED');
    assert.ok(Number(over.headers['retry-after']) >= 1);

    // Another user cannot put the seller's picture on their auction (nor keep it from being swept).
    const stolen = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auctions',
      headers: other.auth,
      payload: {
        item: { name: 'Not mine', imageUrl: urls[0] },
        startingPrice: 100,
        endDate: new Date(clock.now() + HOUR).toISOString(),
      },
    });
    expectProblem(stolen, 'VALIDATION_FAILED');

    await createAuction(app.app, seller, { item: { name: 'Lamp', imageUrl: urls[0] } }, clock.now());
    const file = (url: string) => join(app.dataDir, 'uploads', url.slice('/uploads/'.length));
    assert.ok(urls.every((u) => existsSync(file(u))));

    clock.advance(23 * HOUR);
    await app.retention.sweep();
    assert.ok(
      urls.every((u) => existsSync(file(u))),
      'younger than 24 h: kept',
    );

    clock.advance(2 * HOUR);
    await app.retention.sweep();
    assert.ok(existsSync(file(urls[0]!)), 'the picture an auction uses stays');
    assert.ok(!existsSync(file(urls[1]!)) && !existsSync(file(urls[2]!)), 'the orphans are gone');
    assert.equal((await app.app.inject({ method: 'GET', url: urls[1]! })).statusCode, 404);
    assert.equal((await app.app.inject({ method: 'GET', url: urls[0]! })).statusCode, 200);
    // A day later the quota is free again (a new session: the old one expired meanwhile).
    const again = await app.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: seller.username, password: 'correct horse battery' },
      remoteAddress: '198.18.250.1',
    });
    assert.equal(again.statusCode, 201);
    assert.equal(
      (await upload({ authorization: `Bearer ${(again.json() as { token: string }).token}` })).statusCode,
      201,
    );
  });
});
