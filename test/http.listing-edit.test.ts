import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
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
 * Listings people can maintain: `PATCH /api/v1/auctions/:id`. The seller edits the item and its catalogue
 * until the end, and the prices and the end until the first bid; every change is one new version and an
 * item_updated event, and an edit that changes nothing stores nothing.
 */

let t: TestApp;
let seller: TestUser;
let other: TestUser;
let bidder: TestUser;

before(async () => {
  t = await startTestApp({ listen: true, heartbeatMs: 500 });
  seller = await createUser(t.app, 'edit_seller');
  other = await createUser(t.app, 'edit_other');
  bidder = await createUser(t.app, 'edit_bidder');
});
after(() => t.dispose());

const patch = (id: string, who: TestUser | null, payload: unknown) =>
  t.app.inject({
    method: 'PATCH',
    url: `/api/v1/auctions/${id}`,
    headers: who?.auth ?? {},
    payload: payload as object,
  });

const read = async (id: string, who?: TestUser) =>
  (
    (await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${id}`, headers: who?.auth ?? {} })).json() as {
      auction: AuctionBody;
    }
  ).auction;

const bid = (id: string, amount: number) =>
  t.app.inject({ method: 'POST', url: `/api/v1/auctions/${id}/bids`, headers: bidder.auth, payload: { amount } });

describe('who may edit, and what', () => {
  test('the seller edits the item and its catalogue; the answer is the seller view, one new version', async () => {
    const auction = await createAuction(t.app, seller, { reservePrice: 5000 });
    const res = await patch(auction.id, seller, {
      item: { name: 'Leica M6, boxed', description: 'With the strap' },
      category: 'cameras',
      attributes: { make: 'Leica', year: 1986, boxed: true },
      location: { country: 'DE', city: 'Munich' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const edited = (res.json() as { auction: AuctionBody }).auction;
    assert.equal(edited.version, auction.version + 1);
    assert.deepEqual(edited.item, {
      name: 'Leica M6, boxed',
      description: 'With the strap',
      imageUrl: null,
      images: [],
    });
    assert.equal(edited.category, 'cameras');
    assert.deepEqual(edited.attributes, { make: 'Leica', year: 1986, boxed: true });
    assert.deepEqual(edited.location, { country: 'DE', region: null, city: 'Munich' });
    assert.equal(edited.reservePrice, 5000, 'the seller view');
    const readBack = await read(auction.id);
    assert.equal(readBack.version, edited.version);
    assert.equal((readBack.item as { name: string }).name, 'Leica M6, boxed');
    assert.equal('reservePrice' in readBack, false);
  });

  test('anyone but the seller: 403 NOT_SELLER; anonymous 401; unknown auction 404; nothing changes', async () => {
    const auction = await createAuction(t.app, seller);
    expectProblem(await patch(auction.id, other, { item: { name: 'Mine now' } }), 'NOT_SELLER');
    expectProblem(await patch(auction.id, null, { item: { name: 'Mine now' } }), 'UNAUTHENTICATED');
    expectProblem(await patch('no-such-auction', seller, { item: { name: 'x' } }), 'AUCTION_NOT_FOUND');
    assert.equal((await read(auction.id)).version, auction.version);
  });

  test('the body: strict, at least one field, the same checks as creation', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 1000 });
    expectProblem(await patch(auction.id, seller, {}), 'VALIDATION_FAILED');
    expectProblem(await patch(auction.id, seller, { item: {} }), 'VALIDATION_FAILED');
    expectProblem(await patch(auction.id, seller, { currency: 'EUR' }), 'VALIDATION_FAILED');
    expectProblem(await patch(auction.id, seller, { item: { imageUrl: 'https://x/a.jpg' } }), 'VALIDATION_FAILED');
    const past = expectProblem(
      await patch(auction.id, seller, { endDate: new Date(Date.now() - 60_000).toISOString() }),
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      (past.errors as { path: string }[]).map((e) => e.path),
      ['/endDate'],
    );
    expectProblem(await patch(auction.id, seller, { buyNowPrice: 999 }), 'VALIDATION_FAILED');
    expectProblem(await patch(auction.id, seller, { category: 'Not A Category' }), 'VALIDATION_FAILED');
    assert.equal((await read(auction.id)).version, auction.version);
  });

  test('up to 10 pictures; 11 is 400; an upload that is not the seller’s own is 400', async () => {
    const auction = await createAuction(t.app, seller);
    const images = (n: number) => Array.from({ length: n }, (_, i) => `https://img.example/${i}.jpg`);
    const ten = await patch(auction.id, seller, { item: { images: images(10) } });
    assert.equal(ten.statusCode, 200, ten.body);
    const item = (ten.json() as { auction: { item: { imageUrl: string; images: string[] } } }).auction.item;
    assert.equal(item.images.length, 10);
    assert.equal(item.imageUrl, 'https://img.example/0.jpg');
    expectProblem(await patch(auction.id, seller, { item: { images: images(11) } }), 'VALIDATION_FAILED');

    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...other.auth, 'content-type': 'image/png' },
      payload: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]),
    });
    assert.equal(upload.statusCode, 201, upload.body);
    const othersPicture = (upload.json() as { url: string }).url;
    expectProblem(await patch(auction.id, seller, { item: { images: [othersPicture] } }), 'VALIDATION_FAILED');
  });
});

describe('prices and the end', () => {
  test('change before the first bid; after it, 409 AUCTION_HAS_BIDS while the item may still change', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 1000 });
    const end = new Date(Date.parse(auction.endDate) + 3600_000).toISOString();
    const res = await patch(auction.id, seller, {
      startingPrice: 500,
      buyNowPrice: 9000,
      reservePrice: 2000,
      endDate: end,
    });
    assert.equal(res.statusCode, 200, res.body);
    const edited = (res.json() as { auction: AuctionBody }).auction;
    assert.equal(edited.startingPrice, 500);
    assert.equal(edited.buyNowPrice, 9000);
    assert.equal(edited.reservePrice, 2000);
    assert.equal(edited.endDate, end);
    assert.equal(edited.originalEndDate, end);
    assert.equal(edited.minNextBid, 500);

    assert.equal((await bid(auction.id, 500)).statusCode, 201);
    const versionAfterBid = (await read(auction.id)).version;
    for (const change of [
      { startingPrice: 100 },
      { buyNowPrice: 20_000 },
      { reservePrice: null },
      { endDate: new Date(Date.parse(end) + 60_000).toISOString() },
    ]) {
      const refused = expectProblem(await patch(auction.id, seller, change), 'AUCTION_HAS_BIDS');
      assert.equal((refused.auction as AuctionBody).version, versionAfterBid);
    }
    assert.equal((await read(auction.id)).version, versionAfterBid, 'nothing changed');
    const described = await patch(auction.id, seller, { item: { description: 'Still for sale, now with a case' } });
    assert.equal(described.statusCode, 200, described.body);
    assert.equal((described.json() as { auction: AuctionBody }).auction.version, versionAfterBid + 1);
  });

  test('a closed or cancelled auction is not edited', async () => {
    const cancelled = await createAuction(t.app, seller);
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${cancelled.id}/cancel`,
      headers: seller.auth,
    });
    assert.equal(cancel.statusCode, 200);
    expectProblem(await patch(cancelled.id, seller, { item: { name: 'x' } }), 'AUCTION_CANCELLED');

    const ending = await createAuction(t.app, seller, { endDate: new Date(Date.now() + 300).toISOString() });
    await new Promise((r) => setTimeout(r, 400));
    expectProblem(await patch(ending.id, seller, { item: { name: 'x' } }), 'AUCTION_CLOSED');
  });
});

describe('versions and events', () => {
  test('an edit that changes nothing stores nothing: same version, no event', async () => {
    const auction = await createAuction(t.app, seller, {
      item: { name: 'Same', description: 'Same', imageUrl: 'https://img.example/a.jpg' },
      category: 'misc',
      attributes: { a: 1 },
    });
    const res = await patch(auction.id, seller, {
      item: { name: 'Same', images: ['https://img.example/a.jpg'] },
      category: 'misc',
      attributes: { a: 1 },
      startingPrice: auction.startingPrice,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { auction: AuctionBody }).auction.version, auction.version);
    assert.equal((await read(auction.id)).version, auction.version);
    assert.equal((await t.store.eventsAfter(auction.id, 0, 10)).length, 0);
  });

  test('watchers get item_updated with the new version, in order with the bids', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 100 });
    const sse = await SseClient.open(`${baseUrl(t.app)}/api/v1/auctions/${auction.id}/events`);
    try {
      await sse.waitFor((c) => c.events.length >= 1);
      assert.equal(sse.events[0]!.event, 'snapshot');
      assert.equal((await bid(auction.id, 100)).statusCode, 201);
      const res = await patch(auction.id, seller, { item: { name: 'Renamed while live' } });
      assert.equal(res.statusCode, 200, res.body);
      await sse.waitFor((c) => c.events.some((e) => e.event === 'item_updated'));
      const updated = sse.events.find((e) => e.event === 'item_updated')!;
      const data = JSON.parse(updated.data) as { auction: AuctionBody & { item: { name: string } } };
      assert.equal(updated.id, String(auction.version + 2));
      assert.equal(data.auction.version, auction.version + 2);
      assert.equal(data.auction.item.name, 'Renamed while live');
      assert.equal('reservePrice' in data.auction, false, 'events carry the public view');
      assert.deepEqual(
        sse.events.map((e) => e.event),
        ['snapshot', 'bid', 'item_updated'],
      );
    } finally {
      sse.close();
    }
  });

  test('the documented operation is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    assert.ok(doc.paths['/api/v1/auctions/{id}']?.patch?.requestBody);
  });
});
