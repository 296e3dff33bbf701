import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, createAuction, createUser, startTestApp } from './support/harness.ts';

/**
 * The standard increment table in the auction's own currency, through the API: a yen auction steps by
 * yen (¥300 → ¥5, not the ¥25 the USD-cent table would give), a dinar auction by thousandths.
 */

let t: TestApp;
let seller: TestUser;
let bidder: TestUser;

before(async () => {
  t = await startTestApp();
  seller = await createUser(t.app, 'fx_seller');
  bidder = await createUser(t.app, 'fx_bidder');
});
after(() => t.dispose());

async function minNextBidAfter(currency: string, startingPrice: number, amount: number): Promise<number> {
  const auction = await createAuction(t.app, seller, { currency, startingPrice, incrementTable: 'standard' });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auction.id}/bids`,
    headers: bidder.auth,
    payload: { amount },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { auction: { minNextBid: number } }).auction.minNextBid;
}

test('a yen auction on the standard table steps by whole yen, scaled from the table', async () => {
  assert.equal(await minNextBidAfter('JPY', 300, 300), 305);
  assert.equal(await minNextBidAfter('JPY', 50, 50), 51);
  assert.equal(await minNextBidAfter('JPY', 12_000, 12_000), 12_100);
});

test('a dinar auction (three decimals) and a dollar one keep their own steps', async () => {
  assert.equal(await minNextBidAfter('BHD', 1_000, 1_000), 1_250);
  assert.equal(await minNextBidAfter('USD', 300, 300), 325);
});
