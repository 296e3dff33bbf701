import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestApp, createAuction, createUser, startTestApp } from './support/harness.ts';
import { ISO_MS, expectProblem } from './support/problem.ts';

/** `GET /api/v1/users/:id`: anyone may look up the public profile behind a sellerId or bidderId. */

interface WireUser {
  id: string;
  username: string;
  displayName: string;
  createdAt: string;
}

/** What anyone sees of a user: no username (a login name), a tag to tell same display names apart. */
interface PublicUser {
  id: string;
  displayName: string;
  tag: string;
  createdAt: string;
}

describe('GET /api/v1/users/:id (public profile)', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp();
  });
  after(async () => {
    await testApp.dispose();
  });

  const profile = (id: string, headers: Record<string, string> = {}) =>
    testApp.app.inject({ method: 'GET', url: `/api/v1/users/${encodeURIComponent(id)}`, headers });

  test('200 { user } with exactly id, displayName, tag, createdAt, as at sign-up but without the username; no session needed', async () => {
    const signUp = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: `ada_${process.pid}`, password: 'correct horse battery', displayName: 'Ada L.' },
    });
    assert.equal(signUp.statusCode, 201, signUp.body);
    const created = (signUp.json() as { user: WireUser }).user;

    const res = await profile(created.id);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json() as { user: PublicUser };
    assert.deepEqual(Object.keys(body), ['user']);
    assert.deepEqual(Object.keys(body.user).sort(), ['createdAt', 'displayName', 'id', 'tag']);
    const { username, email, emailVerified, ...rest } = created as WireUser & {
      email: unknown;
      emailVerified: unknown;
    };
    assert.equal(email, null);
    assert.equal(emailVerified, false);
    assert.deepEqual({ ...body.user, tag: undefined }, { ...rest, tag: undefined });
    assert.equal(body.user.displayName, 'Ada L.');
    assert.match(body.user.tag, /^[0-9A-HJKMNP-TV-Z]{6}$/);
    assert.match(body.user.createdAt, ISO_MS);
    assert.ok(!/password|scrypt|token/i.test(res.body), 'nothing private in a profile');
    assert.ok(!res.body.includes(username), 'the login username is not public');
  });

  test('resolves the seller and bidder ids an auction and its bid history carry', async () => {
    const seller = await createUser(testApp.app, 'seller');
    const bidder = await createUser(testApp.app, 'bidder');
    const auction = await createAuction(testApp.app, seller, { startingPrice: 100 });
    const bid = await testApp.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 100 },
    });
    assert.equal(bid.statusCode, 201, bid.body);
    const history = (
      await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/bids` })
    ).json() as { items: { bidderId: string }[] };
    const ids = async (id: string) => ((await profile(id)).json() as { user: PublicUser }).user.id;
    assert.equal(await ids(auction.sellerId), seller.id);
    assert.equal(await ids(history.items[0]!.bidderId), bidder.id);
    // Someone else's session makes no difference: a profile is public (and still without a username).
    const seen = (await profile(seller.id, bidder.auth)).json() as { user: PublicUser };
    assert.deepEqual(seen, (await profile(seller.id)).json());
    assert.equal('username' in seen.user, false);
  });

  test('404 USER_NOT_FOUND for unknown ids, including ids of other things and odd characters', async () => {
    const seller = await createUser(testApp.app, 'seller');
    const auction = await createAuction(testApp.app, seller);
    for (const id of [
      'does-not-exist',
      '00000000-0000-0000-0000-000000000000',
      auction.id,
      seller.username,
      'x'.repeat(128),
      '🦄',
      "1' OR '1'='1",
      '%',
    ]) {
      expectProblem(await profile(id), 'USER_NOT_FOUND');
    }
  });

  test('400 VALIDATION_FAILED for malformed ids (the auction id rule: 1–128 characters)', async () => {
    expectProblem(await profile('x'.repeat(129)), 'VALIDATION_FAILED');
    expectProblem(await profile('x'.repeat(400)), 'VALIDATION_FAILED');
    expectProblem(await testApp.app.inject({ method: 'GET', url: '/api/v1/users/%E0%A4%A' }), 'VALIDATION_FAILED');
  });
});
